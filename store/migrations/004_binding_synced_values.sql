-- The values both sides agreed on at the last sync of a record, field by field (contact fields of
-- a customer and of each address). Where data flows both ways (Magento customers → Odoo, and Odoo
-- contact edits → Magento), this is the base of a three-way merge: a side whose field differs
-- from it changed that field; a field both sides changed differently is a conflict, reported.
ALTER TABLE bindings ADD COLUMN synced_values jsonb;
