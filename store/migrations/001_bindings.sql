-- One row per record known on both sides. Unique on each side: a second Odoo record for the same
-- Magento record (or the reverse) is refused by the database itself, whatever races above it.
CREATE TABLE bindings (
  id            bigserial PRIMARY KEY,
  channel       text        NOT NULL,
  kind          text        NOT NULL,   -- 'order', 'product', 'customer', 'shipment', ...
  magento_key   text        NOT NULL,   -- increment id, SKU, entity id: whatever Magento keys it by
  odoo_id       bigint      NOT NULL,
  content_hash  text,                   -- hash of what was last written, to skip unchanged records
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT bindings_magento_side UNIQUE (channel, kind, magento_key),
  CONSTRAINT bindings_odoo_side    UNIQUE (channel, kind, odoo_id)
);
