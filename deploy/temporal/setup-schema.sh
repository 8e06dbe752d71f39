#!/bin/sh
# The schema job (temporalio/admin-tools): sets up Temporal's schema-version tables (harmless when
# they exist, as in Temporal's own auto-setup), applies every versioned upgrade not applied yet,
# then exits. The server starts only after it succeeded, so an upgrade of the image upgrades the
# schema first.
set -eu
: "${SQL_PASSWORD:?SQL_PASSWORD is not set}"
SCHEMA=/etc/temporal/schema/postgresql/v12
tool() { temporal-sql-tool --plugin postgres12 --ep postgresql -p 5432 -u temporal --pw "$SQL_PASSWORD" "$@"; }
tool --db temporal setup-schema -v 0.0
tool --db temporal update-schema -d "$SCHEMA/temporal/versioned"
tool --db temporal_visibility setup-schema -v 0.0
tool --db temporal_visibility update-schema -d "$SCHEMA/visibility/versioned"
echo "Temporal schema is current"
