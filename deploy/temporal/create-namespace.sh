#!/bin/sh
# The namespace job: the namespace the connector runs in, created once. The worker registers its
# search attributes and applies the retention itself at every start (client/server-setup.ts).
set -eu
ns="${TEMPORAL_NAMESPACE:-default}"
until temporal operator cluster health --address "$TEMPORAL_ADDRESS" | grep -q SERVING; do sleep 2; done
if temporal operator namespace describe --address "$TEMPORAL_ADDRESS" -n "$ns" >/dev/null 2>&1; then
  echo "namespace $ns exists"
else
  temporal operator namespace create --address "$TEMPORAL_ADDRESS" -n "$ns" --retention "${HISTORY_RETENTION_DAYS:-30}d"
fi
