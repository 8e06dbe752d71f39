import { z } from 'zod';

/**
 * Shapes of what the connector reads from Odoo, as recorded on real 18.0 and 19.0 servers.
 * Odoo writes "no value" as `false` for almost every field type, never as null.
 */
export const Many2one = z.union([z.tuple([z.number().int(), z.string()]), z.literal(false)]);
export const OptionalText = z.union([z.string(), z.literal(false)]);
export const Ids = z.array(z.number().int());

export const JsonRpcVersionSchema = z.looseObject({
  server_version: z.string(),
  server_version_info: z.array(z.union([z.number(), z.string()])),
});
export const Json2VersionSchema = z.looseObject({
  version: z.string(),
  version_info: z.array(z.union([z.number(), z.string()])),
});
export const UidSchema = z.looseObject({ uid: z.number().int().positive() });

/** ir.actions.act_window dicts returned by buttons and wizards */
export const WindowActionSchema = z.looseObject({
  type: z.string(),
  res_model: z.string().optional(),
  res_id: z.number().int().optional(),
  context: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
});
export type WindowAction = z.infer<typeof WindowActionSchema>;

export const UserSchema = z.looseObject({
  id: z.number().int(),
  login: z.string(),
  name: z.string(),
  company_id: Many2one,
});

export const SaleOrderSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  state: z.enum(['draft', 'sent', 'sale', 'cancel']),
  locked: z.boolean(),
  client_order_ref: OptionalText,
  origin: OptionalText,
  delivery_status: z.union([z.enum(['pending', 'started', 'partial', 'full']), z.literal(false)]),
  invoice_status: z.union([z.enum(['upselling', 'invoiced', 'to invoice', 'no']), z.literal(false)]),
  amount_total: z.number(),
  picking_ids: Ids,
  invoice_ids: Ids,
  // the company the order is booked in: its invoice's payment takes that company's journal
  company_id: Many2one.optional(),
});
export type SaleOrder = z.infer<typeof SaleOrderSchema>;
export const SALE_ORDER_FIELDS = ['name', 'state', 'locked', 'client_order_ref', 'origin', 'delivery_status', 'invoice_status', 'amount_total', 'picking_ids', 'invoice_ids', 'company_id'] as const;

export const PickingSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  state: z.enum(['draft', 'waiting', 'confirmed', 'assigned', 'done', 'cancel']),
  origin: OptionalText,
  backorder_id: Many2one,
  carrier_tracking_ref: OptionalText,
  move_ids: Ids,
  picking_type_code: z.enum(['incoming', 'outgoing', 'internal']).optional(),
});
export type Picking = z.infer<typeof PickingSchema>;
export const PICKING_FIELDS = ['name', 'state', 'origin', 'backorder_id', 'carrier_tracking_ref', 'move_ids', 'picking_type_code'] as const;

export const StockMoveSchema = z.looseObject({
  id: z.number().int(),
  product_id: Many2one,
  product_uom_qty: z.number(),
  quantity: z.number(),
  picked: z.boolean(),
  state: z.string(),
  sale_line_id: Many2one,
  picking_id: Many2one,
});
export type StockMove = z.infer<typeof StockMoveSchema>;
export const STOCK_MOVE_FIELDS = ['product_id', 'product_uom_qty', 'quantity', 'picked', 'state', 'sale_line_id', 'picking_id'] as const;

export const AccountMoveSchema = z.looseObject({
  id: z.number().int(),
  name: OptionalText,
  state: z.enum(['draft', 'posted', 'cancel']),
  move_type: z.string(),
  amount_total: z.number(),
  amount_residual: z.number(),
  payment_state: z.string(),
  invoice_origin: OptionalText,
  ref: OptionalText,
  reversed_entry_id: Many2one,
});
export type AccountMove = z.infer<typeof AccountMoveSchema>;
export const ACCOUNT_MOVE_FIELDS = ['name', 'state', 'move_type', 'amount_total', 'amount_residual', 'payment_state', 'invoice_origin', 'ref', 'reversed_entry_id'] as const;

export const ProductVariantSchema = z.looseObject({
  id: z.number().int(),
  default_code: OptionalText,
  product_tmpl_id: Many2one,
  lst_price: z.number(),
});
export const PRODUCT_VARIANT_FIELDS = ['default_code', 'product_tmpl_id', 'lst_price'] as const;

export const StockLevelSchema = z.looseObject({
  id: z.number().int(),
  qty_available: z.number(),
  free_qty: z.number(),
  virtual_available: z.number(),
  outgoing_qty: z.number(),
});
export type StockLevel = z.infer<typeof StockLevelSchema>;
export const STOCK_LEVEL_FIELDS = ['qty_available', 'free_qty', 'virtual_available', 'outgoing_qty'] as const;

export const AddressMapSchema = z.record(z.string(), z.union([z.number().int(), z.literal(false)]));
export const XmlIdReferenceSchema = z.tuple([z.string(), z.number().int()]);
