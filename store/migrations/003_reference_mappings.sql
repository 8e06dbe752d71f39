-- Magento reference codes (carrier/shipping method, payment method, tax rate code, website, store
-- view, customer group, attribute set) → the Odoo record ops or the reference sync chose. Unlike
-- `bindings`, many Magento codes may share one Odoo record (checkmo and banktransfer both paid into
-- one bank journal; several rate codes with one 19% tax), so only the Magento side is unique.
-- A row with odoo_id NULL is "seen in Magento, not mapped yet": what `mappings list` reports.
CREATE TABLE reference_mappings (
  channel       text        NOT NULL,
  kind          text        NOT NULL,
  magento_key   text        NOT NULL,
  label         text,                   -- what Magento calls it (title, name, "19% DE"), for people
  odoo_id       bigint,                 -- NULL: seen, unmapped
  source        text,                   -- 'ops' (set by hand; never overwritten by a sync), 'sync', 'name'
  content_hash  text,                   -- hash of the Magento record last applied (tax rates)
  seen_at       timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, kind, magento_key)
);
