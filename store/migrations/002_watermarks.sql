-- Where each incremental sync stream stopped: Odoo write_date or Magento updated_at, as text so
-- each stream keeps its source's own format. Advanced only after a page is fully applied.
CREATE TABLE watermarks (
  channel     text        NOT NULL,
  stream      text        NOT NULL,
  value       text        NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, stream)
);
