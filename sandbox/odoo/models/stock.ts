import { userError } from '../exceptions';
import { createRecords, getValue, nowString, round2, type Env, type Rec, type Store } from '../orm';
import { bool, char, computed, constant, datetime, float, idOf, m2o, o2m, sel } from './fields';

export const CUSTOMERS_LOCATION = 5;
export const INVENTORY_LOSS_LOCATION = 14;

const MOVE_STATES = ['draft', 'waiting', 'confirmed', 'partially_available', 'assigned', 'done', 'cancel'] as const;

export function defineStockModels(db: Store): void {
  db.define({
    name: 'stock.location', description: 'Inventory Locations', order: 'complete_name, id',
    displayName: (env, rec) => String(getValue(env, 'stock.location', rec, 'complete_name')),
    fields: {
      name: char('Location Name', { required: true }),
      location_id: m2o('stock.location', 'Parent Location'),
      usage: sel('Location Type', ['supplier', 'view', 'internal', 'customer', 'inventory', 'production', 'transit'], { default: constant('internal'), required: true }),
      complete_name: {
        ...char('Full Location Name'),
        ...computed((env, rec) => {
          const parent = typeof rec.location_id === 'number' ? env.db.get('stock.location', rec.location_id) : undefined;
          return parent && rec.usage !== 'view' ? `${String(getValue(env, 'stock.location', parent, 'complete_name'))}/${String(rec.name)}` : String(rec.name);
        }),
      },
      warehouse_id: { ...m2o('stock.warehouse', 'Warehouse'), ...computed((env, rec) => warehouseOfLocation(env, rec.id)) },
      active: bool('Active', { default: constant(true) }),
      company_id: m2o('res.company', 'Company'),
    },
  });
  db.define({
    name: 'stock.picking.type', description: 'Picking Type',
    displayName: (env, rec) => `${String(env.db.get('stock.warehouse', rec.warehouse_id as number)?.name ?? '')}: ${String(rec.name)}`,
    fields: {
      name: char('Operation Type', { required: true }),
      code: sel('Type of Operation', ['incoming', 'outgoing', 'internal'], { required: true }),
      sequence_code: char('Sequence Prefix', { required: true }),
      warehouse_id: m2o('stock.warehouse', 'Warehouse'),
      default_location_src_id: m2o('stock.location', 'Default Source Location'),
      default_location_dest_id: m2o('stock.location', 'Default Destination Location'),
    },
  });
  db.define({
    name: 'stock.warehouse', description: 'Warehouse',
    fields: {
      name: char('Warehouse', { required: true }),
      code: char('Short Name', { required: true }),
      lot_stock_id: m2o('stock.location', 'Location Stock'),
      view_location_id: m2o('stock.location', 'View Location'),
      out_type_id: m2o('stock.picking.type', 'Out Type'),
      in_type_id: m2o('stock.picking.type', 'In Type'),
      delivery_steps: sel('Outgoing Shipments', ['ship_only', 'pick_ship', 'pick_pack_ship'], { default: constant('ship_only') }),
      reception_steps: sel('Incoming Shipments', ['one_step', 'two_steps', 'three_steps'], { default: constant('one_step') }),
      partner_id: m2o('res.partner', 'Address', { default: constant(1) }),
      company_id: m2o('res.company', 'Company', { default: constant(1) }),
      active: bool('Active', { default: constant(true) }),
    },
    afterCreate: (env, rec) => {
      if (rec.lot_stock_id) return;
      const [view] = createRecords(env, 'stock.location', [{ name: rec.code, usage: 'view', location_id: 1 }]);
      const [stock] = createRecords(env, 'stock.location', [{ name: 'Stock', usage: 'internal', location_id: view }]);
      const [inType, outType] = createRecords(env, 'stock.picking.type', [
        { name: 'Receipts', code: 'incoming', sequence_code: 'IN', warehouse_id: rec.id, default_location_src_id: 4, default_location_dest_id: stock },
        { name: 'Delivery Orders', code: 'outgoing', sequence_code: 'OUT', warehouse_id: rec.id, default_location_src_id: stock, default_location_dest_id: CUSTOMERS_LOCATION },
      ]);
      Object.assign(rec, { view_location_id: view, lot_stock_id: stock, in_type_id: inType, out_type_id: outType });
    },
  });
  db.define({ name: 'stock.lot', description: 'Lot/Serial', fields: { name: char('Lot/Serial Number', { required: true }), product_id: m2o('product.product', 'Product') } });
  db.define({
    name: 'stock.quant', description: 'Quants',
    displayName: (env, rec) => String(getValue(env, 'stock.location', env.db.must('stock.location', rec.location_id as number), 'complete_name')),
    fields: {
      product_id: m2o('product.product', 'Product', { required: true }),
      location_id: m2o('stock.location', 'Location', { required: true }),
      warehouse_id: { ...m2o('stock.warehouse', 'Warehouse'), ...computed((env, rec) => warehouseOfLocation(env, rec.location_id as number)) },
      quantity: float('Quantity'),
      reserved_quantity: float('Reserved Quantity', { default: constant(0) }),
      available_quantity: { ...float('Available Quantity'), ...computed((_env, rec) => round2(Number(rec.quantity ?? 0) - Number(rec.reserved_quantity ?? 0))) },
      inventory_quantity: float('Counted Quantity'),
      inventory_quantity_set: bool('Inventory Quantity Set'),
      inventory_diff_quantity: { ...float('Difference'), ...computed((_env, rec) => (rec.inventory_quantity_set ? round2(Number(rec.inventory_quantity ?? 0) - Number(rec.quantity ?? 0)) : 0)) },
      inventory_quantity_auto_apply: { ...float('Inventoried Quantity'), ...computed((_env, rec) => Number(rec.quantity ?? 0)) },
      lot_id: m2o('stock.lot', 'Lot/Serial Number'),
      package_id: m2o('stock.lot', 'Package'),
      owner_id: m2o('res.partner', 'Owner'),
      in_date: datetime('Incoming Date', { default: () => nowString() }),
    },
    beforeWrite: (env, recs, vals) => {
      if ('inventory_quantity_auto_apply' in vals) {
        const qty = Number(vals.inventory_quantity_auto_apply);
        delete vals.inventory_quantity_auto_apply;
        for (const quant of recs) applyInventory(env, quant, qty);
      }
      if ('inventory_quantity' in vals) vals.inventory_quantity_set = true;
    },
  });
  db.define({
    name: 'stock.picking', description: 'Transfer', order: 'id desc',
    fields: {
      name: char('Reference', { default: constant('/') }),
      origin: char('Source Document'),
      note: char('Notes'),
      state: { ...sel('Status', ['draft', 'waiting', 'confirmed', 'assigned', 'done', 'cancel']), ...computed((env, rec) => pickingState(env, rec)) },
      partner_id: m2o('res.partner', 'Contact'),
      picking_type_id: m2o('stock.picking.type', 'Operation Type', { required: true }),
      picking_type_code: { ...sel('Type of Operation', ['incoming', 'outgoing', 'internal']), ...computed((env, rec) => env.db.get('stock.picking.type', rec.picking_type_id as number)?.code ?? false) },
      location_id: m2o('stock.location', 'Source Location', { default: (env, vals) => env.db.get('stock.picking.type', vals.picking_type_id as number)?.default_location_src_id ?? false }),
      location_dest_id: m2o('stock.location', 'Destination Location', { default: (env, vals) => env.db.get('stock.picking.type', vals.picking_type_id as number)?.default_location_dest_id ?? false }),
      move_ids: o2m('stock.move', 'picking_id', 'Stock Moves'),
      move_line_ids: o2m('stock.move.line', 'picking_id', 'Operations'),
      backorder_id: m2o('stock.picking', 'Back Order of'),
      backorder_ids: o2m('stock.picking', 'backorder_id', 'Back Orders'),
      return_id: m2o('stock.picking', 'Return of'),
      return_ids: o2m('stock.picking', 'return_id', 'Returns'),
      sale_id: m2o('sale.order', 'Sales Order'),
      carrier_id: m2o('delivery.carrier', 'Carrier'),
      carrier_tracking_ref: char('Tracking Reference'),
      weight: { ...float('Weight'), ...computed((env, rec) => round2(env.db.whereEq('stock.move', 'picking_id', rec.id).reduce((s, m) => s + Number(m.product_uom_qty) * Number(getValue(env, 'product.product', env.db.must('product.product', m.product_id as number), 'weight') ?? 0), 0))) },
      scheduled_date: datetime('Scheduled Date', { default: () => nowString() }),
      date_done: datetime('Date of Transfer'),
      move_type: sel('Shipping Policy', ['direct', 'one'], { default: constant('direct') }),
      company_id: m2o('res.company', 'Company', { default: constant(1) }),
    },
    afterCreate: (env, rec) => {
      if (rec.name === '/' || !rec.name) rec.name = pickingName(env, rec.picking_type_id as number);
      for (const move of env.db.whereEq('stock.move', 'picking_id', rec.id)) {
        move.location_id = move.location_id || rec.location_id;
        move.location_dest_id = move.location_dest_id || rec.location_dest_id;
        if (move.state === 'draft') move.state = 'confirmed';
      }
    },
  });
  db.define({
    name: 'stock.move', description: 'Stock Move',
    displayName: (env, rec) => {
      const picking = typeof rec.picking_id === 'number' ? env.db.get('stock.picking', rec.picking_id) : undefined;
      const product = env.db.get('product.product', rec.product_id as number);
      return `${String(picking?.origin || picking?.name || rec.reference || '')}/${String(product?.default_code || product?.id || '')}`;
    },
    fields: {
      name: char('Description', { only: 18 }),
      reference: { ...char('Reference'), ...computed((env, rec) => (typeof rec.picking_id === 'number' ? env.db.get('stock.picking', rec.picking_id)?.name ?? false : rec.name ?? false)) },
      picking_id: m2o('stock.picking', 'Transfer'),
      product_id: m2o('product.product', 'Product', { required: true }),
      product_uom_qty: float('Demand', { required: true }),
      product_uom: m2o('uom.uom', 'UoM', { default: constant(1) }),
      quantity: float('Quantity'),
      picked: bool('Picked'),
      state: sel('Status', MOVE_STATES, { default: constant('draft') }),
      location_id: m2o('stock.location', 'Source Location'),
      location_dest_id: m2o('stock.location', 'Destination Location'),
      sale_line_id: m2o('sale.order.line', 'Sale Line'),
      move_line_ids: o2m('stock.move.line', 'move_id', 'Move Lines'),
      origin_returned_move_id: m2o('stock.move', 'Origin return move'),
      to_refund: bool('Update quantities on SO/PO'),
      origin: char('Source Document'),
      date: datetime('Date Scheduled', { default: () => nowString() }),
      company_id: m2o('res.company', 'Company', { default: constant(1) }),
    },
    afterWrite: (env, recs, vals) => {
      if ('quantity' in vals) for (const move of recs) syncMoveLine(env, move);
    },
  });
  db.define({
    name: 'stock.move.line', description: 'Product Moves (Stock Move Line)',
    fields: {
      move_id: m2o('stock.move', 'Stock Operation'),
      picking_id: m2o('stock.picking', 'Transfer'),
      product_id: m2o('product.product', 'Product'),
      quantity: float('Quantity'),
      lot_id: m2o('stock.lot', 'Lot/Serial Number'),
      lot_name: char('Lot/Serial Number Name'),
      location_id: m2o('stock.location', 'From'),
      location_dest_id: m2o('stock.location', 'To'),
      picked: bool('Picked'),
      state: { ...sel('Status', MOVE_STATES), ...computed((env, rec) => env.db.get('stock.move', rec.move_id as number)?.state ?? 'draft') },
    },
  });
  db.define({
    name: 'stock.backorder.confirmation', description: 'Backorder Confirmation',
    fields: {
      pick_ids: { type: 'many2many', relation: 'stock.picking', string: 'Pick', default: (env) => (env.context.button_validate_picking_ids as number[] | undefined) ?? [] },
      show_transfers: bool('Show Transfers', { default: (env) => env.context.default_show_transfers ?? false }),
      backorder_confirmation_line_ids: { type: 'one2many', relation: 'stock.picking', inverse: 'id', string: 'Backorder Confirmation Lines', ...computed((_env, rec) => (rec.pick_ids as number[]) ?? []) },
    },
  });
  db.define({
    name: 'confirm.stock.sms', description: 'Confirm Stock SMS',
    fields: {
      pick_ids: { type: 'many2many', relation: 'stock.picking', string: 'Pick' },
      // sandbox only: what the backorder wizard before it decided (null: nothing left over)
      backorder: { type: 'boolean', string: 'Backorder' },
    },
  });
  db.define({
    name: 'stock.return.picking', description: 'Return Picking',
    fields: {
      picking_id: m2o('stock.picking', 'Picking', { default: (env) => (env.context.active_model === 'stock.picking' ? env.context.active_id ?? false : false) }),
      product_return_moves: o2m('stock.return.picking.line', 'wizard_id', 'Moves'),
    },
    afterCreate: (env, rec) => {
      const moves = env.db.whereEq('stock.move', 'picking_id', rec.picking_id, (m) => m.state === 'done');
      // 18.0 and 19.0 both default the quantities to 0: the caller must write them.
      createRecords(env, 'stock.return.picking.line', moves.map((m) => ({ wizard_id: rec.id, product_id: m.product_id, move_id: m.id, quantity: 0 })));
    },
  });
  db.define({
    name: 'stock.return.picking.line', description: 'Return Picking Line',
    fields: {
      wizard_id: m2o('stock.return.picking', 'Wizard'),
      product_id: m2o('product.product', 'Product', { required: true }),
      quantity: float('Quantity'),
      move_id: m2o('stock.move', 'Move'),
    },
  });
}

function pickingName(env: Env, typeId: number): string {
  const type = env.db.must('stock.picking.type', typeId);
  const warehouse = env.db.get('stock.warehouse', type.warehouse_id as number);
  const n = env.db.nextSequence(`picking.${typeId}`);
  return `${String(warehouse?.code ?? 'WH')}/${String(type.sequence_code)}/${String(n).padStart(5, '0')}`;
}

function pickingState(env: Env, picking: Rec): string {
  const states = env.db.whereEq('stock.move', 'picking_id', picking.id).map((m) => String(m.state));
  if (states.length === 0) return 'draft';
  if (states.every((s) => s === 'cancel')) return 'cancel';
  if (states.every((s) => s === 'done' || s === 'cancel')) return 'done';
  if (states.some((s) => s === 'draft')) return 'draft';
  if (states.some((s) => s === 'assigned' || s === 'partially_available')) return 'assigned';
  return 'confirmed';
}

export function warehouseOfLocation(env: Env, locationId: number): number | false {
  for (const wh of env.db.all('stock.warehouse')) {
    let cursor: number | false = locationId;
    while (typeof cursor === 'number') {
      if (cursor === wh.view_location_id) return wh.id;
      cursor = idOf(env.db.get('stock.location', cursor)?.location_id);
    }
  }
  return false;
}

function isUnder(env: Env, locationId: number, root: number): boolean {
  let cursor: number | false = locationId;
  while (typeof cursor === 'number') {
    if (cursor === root) return true;
    cursor = idOf(env.db.get('stock.location', cursor)?.location_id);
  }
  return false;
}

/** the internal locations a stock figure covers: context warehouse_id / location, or all */
function locationsInScope(env: Env): Set<number> {
  const internal = env.db.where('stock.location', (l) => l.usage === 'internal');
  const warehouseId = env.context.warehouse_id;
  const locationId = env.context.location;
  let roots: number[] | undefined;
  if (typeof warehouseId === 'number') roots = [env.db.get('stock.warehouse', warehouseId)?.view_location_id as number];
  else if (typeof locationId === 'number') roots = [locationId];
  return new Set(internal.filter((l) => !roots || roots.some((r) => isUnder(env, l.id, r))).map((l) => l.id));
}

export function productStock(env: Env, productId: number) {
  const scope = locationsInScope(env);
  const quants = env.db.whereEq('stock.quant', 'product_id', productId, (q) => scope.has(q.location_id as number));
  const qty = quants.reduce((s, q) => s + Number(q.quantity ?? 0), 0);
  const reserved = quants.reduce((s, q) => s + Number(q.reserved_quantity ?? 0), 0);
  const open = env.db.whereEq('stock.move', 'product_id', productId, (m) => !['done', 'cancel', 'draft'].includes(String(m.state)));
  const outgoing = open.filter((m) => scope.has(m.location_id as number) && !scope.has(m.location_dest_id as number)).reduce((s, m) => s + Number(m.product_uom_qty), 0);
  const incoming = open.filter((m) => !scope.has(m.location_id as number) && scope.has(m.location_dest_id as number)).reduce((s, m) => s + Number(m.product_uom_qty), 0);
  return {
    qty_available: round2(qty),
    free_qty: round2(qty - reserved),
    virtual_available: round2(qty + incoming - outgoing),
    incoming_qty: round2(incoming),
    outgoing_qty: round2(outgoing),
  };
}

function quantAt(env: Env, productId: number, locationId: number): Rec {
  const existing = env.db.whereEq('stock.quant', 'product_id', productId, (q) => q.location_id === locationId)[0];
  if (existing) return existing;
  const [id] = createRecords(env, 'stock.quant', [{ product_id: productId, location_id: locationId, quantity: 0 }]);
  return env.db.must('stock.quant', id as number);
}

function isStorable(env: Env, productId: number): boolean {
  const product = env.db.must('product.product', productId);
  return getValue(env, 'product.product', product, 'is_storable') === true;
}

/** moves `qty` of a product and records the done move, as an inventory adjustment does */
function moveStock(env: Env, productId: number, from: number, to: number, qty: number): void {
  if (qty === 0) return;
  for (const [loc, sign] of [[from, -1], [to, 1]] as const) {
    const usage = env.db.get('stock.location', loc)?.usage;
    if (usage === 'view') continue;
    const quant = quantAt(env, productId, loc);
    quant.quantity = round2(Number(quant.quantity ?? 0) + sign * qty);
  }
}

export function applyInventory(env: Env, quant: Rec, counted: number): void {
  const delta = round2(counted - Number(quant.quantity ?? 0));
  quant.inventory_quantity = 0;
  quant.inventory_quantity_set = false;
  if (delta === 0) return;
  const [from, to] = delta > 0 ? [INVENTORY_LOSS_LOCATION, quant.location_id as number] : [quant.location_id as number, INVENTORY_LOSS_LOCATION];
  moveStock(env, quant.product_id as number, from, to, Math.abs(delta));
  const [moveId] = createRecords(env, 'stock.move', [
    { ...moveName(env, 'Product Quantity Updated'), product_id: quant.product_id, product_uom_qty: Math.abs(delta), quantity: Math.abs(delta), picked: true, location_id: from, location_dest_id: to, state: 'done' },
  ]);
  syncMoveLine(env, env.db.must('stock.move', moveId as number));
}

/** stock.quant.create in inventory mode reuses the quant of the same product and location */
export function createQuants(env: Env, valsList: Array<Record<string, unknown>>): number[] {
  if (!env.context.inventory_mode) return createRecords(env, 'stock.quant', valsList);
  return valsList.map((input) => {
    const vals = { ...input };
    const autoApply = vals.inventory_quantity_auto_apply;
    delete vals.inventory_quantity_auto_apply;
    let quant = env.db.whereEq('stock.quant', 'product_id', vals.product_id, (q) => q.location_id === vals.location_id)[0];
    if (!quant) {
      const { inventory_quantity: counted, ...rest } = vals;
      const [id] = createRecords(env, 'stock.quant', [{ ...rest, quantity: 0 }]);
      quant = env.db.must('stock.quant', id as number);
      if (counted !== undefined) Object.assign(quant, { inventory_quantity: Number(counted), inventory_quantity_set: true });
    } else if (vals.inventory_quantity !== undefined) {
      Object.assign(quant, { inventory_quantity: Number(vals.inventory_quantity), inventory_quantity_set: true });
    }
    if (autoApply !== undefined) applyInventory(env, quant, Number(autoApply));
    return quant.id;
  });
}

export function actionApplyInventory(env: Env, ids: number[]): null {
  for (const id of ids) {
    const quant = env.db.must('stock.quant', id);
    if (quant.inventory_quantity_set) applyInventory(env, quant, Number(quant.inventory_quantity ?? 0));
  }
  return null;
}

export function syncMoveLine(env: Env, move: Rec): void {
  const lines = env.db.whereEq('stock.move.line', 'move_id', move.id);
  const qty = Number(move.quantity ?? 0);
  if (lines.length === 0 && qty > 0) {
    createRecords(env, 'stock.move.line', [
      { move_id: move.id, picking_id: move.picking_id, product_id: move.product_id, quantity: qty, location_id: move.location_id, location_dest_id: move.location_dest_id, picked: move.picked ?? false },
    ]);
  } else {
    for (const line of lines) Object.assign(line, { quantity: qty, picked: move.picked ?? false });
  }
}

/** reserves what the source location can give */
export function reserveMove(env: Env, move: Rec): void {
  if (['done', 'cancel'].includes(String(move.state))) return;
  const demand = Number(move.product_uom_qty);
  const source = env.db.get('stock.location', move.location_id as number);
  if (!isStorable(env, move.product_id as number) || source?.usage !== 'internal') {
    move.quantity = demand;
    move.state = 'assigned';
    syncMoveLine(env, move);
    return;
  }
  let need = round2(demand - Number(move.quantity ?? 0));
  const quants = env.db.whereEq('stock.quant', 'product_id', move.product_id, (q) => isUnder(env, q.location_id as number, source.id)).sort((a, b) => a.id - b.id);
  for (const quant of quants) {
    if (need <= 0) break;
    const free = round2(Number(quant.quantity ?? 0) - Number(quant.reserved_quantity ?? 0));
    const take = Math.min(free, need);
    if (take <= 0) continue;
    quant.reserved_quantity = round2(Number(quant.reserved_quantity ?? 0) + take);
    move.reserved_from = [...((move.reserved_from as Array<[number, number]>) ?? []), [quant.id, take]];
    move.quantity = round2(Number(move.quantity ?? 0) + take);
    need = round2(need - take);
  }
  const reserved = Number(move.quantity ?? 0);
  move.state = reserved >= demand ? 'assigned' : reserved > 0 ? 'partially_available' : 'confirmed';
  syncMoveLine(env, move);
}

function releaseReservation(env: Env, move: Rec): void {
  for (const [quantId, qty] of (move.reserved_from as Array<[number, number]>) ?? []) {
    const quant = env.db.get('stock.quant', quantId);
    if (quant) quant.reserved_quantity = Math.max(0, round2(Number(quant.reserved_quantity ?? 0) - qty));
  }
  move.reserved_from = [];
}

/**
 * A confirmed sale line's quantity went down: its pending deliveries want that much less (Odoo's
 * sale_stock does it through a negative procurement). The newest pending moves give first; a move
 * left with nothing to do is cancelled; the rest keep only the reservation they still need.
 */
export function reduceDemand(env: Env, saleLineId: number, by: number): void {
  let left = by;
  const pending = env.db.whereEq('stock.move', 'sale_line_id', saleLineId, (m) => !['done', 'cancel'].includes(String(m.state))).sort((a, b) => b.id - a.id);
  for (const move of pending) {
    if (left <= 0) break;
    const demand = Number(move.product_uom_qty ?? 0);
    const take = Math.min(demand, left);
    left = round2(left - take);
    if (take >= demand) {
      cancelMove(env, move);
      continue;
    }
    releaseReservation(env, move);
    Object.assign(move, { product_uom_qty: round2(demand - take), quantity: 0 });
    reserveMove(env, move);
  }
}

export function cancelMove(env: Env, move: Rec): void {
  if (move.state === 'done') throw userError("You cannot cancel a stock move that has been set to 'Done'. Create a return in order to reverse the moves which took place.");
  releaseReservation(env, move);
  move.state = 'cancel';
  move.quantity = 0;
}

function doneMove(env: Env, move: Rec, qty: number): void {
  releaseReservation(env, move);
  moveStock(env, move.product_id as number, move.location_id as number, move.location_dest_id as number, qty);
  Object.assign(move, { quantity: qty, product_uom_qty: qty, picked: true, state: 'done', date: nowString() });
  syncMoveLine(env, move);
}

/** what each move ships: picked moves their quantity; if none is picked, every move's quantity */
function shippedQuantities(moves: Rec[]): Map<number, number> {
  const anyPicked = moves.some((m) => m.picked);
  return new Map(moves.map((m) => [m.id, anyPicked && !m.picked ? 0 : Number(m.quantity ?? 0)]));
}

export function buttonValidate(env: Env, ids: number[]): unknown {
  const needsBackorder: number[] = [];
  for (const id of ids) {
    const picking = env.db.must('stock.picking', id);
    const moves = env.db.whereEq('stock.move', 'picking_id', id, (m) => !['done', 'cancel'].includes(String(m.state)));
    if (pickingState(env, picking) === 'done') throw userError(`You cannot validate a transfer if no quantities are reserved. To force the transfer, encode quantities.`);
    const shipped = shippedQuantities(moves);
    if ([...shipped.values()].every((q) => q <= 0)) {
      throw userError('You cannot validate a transfer if no quantities are reserved. To force the transfer, encode quantities.');
    }
    if (moves.some((m) => (shipped.get(m.id) ?? 0) < Number(m.product_uom_qty)) && !env.context.picking_ids_not_to_backorder) needsBackorder.push(id);
  }
  if (needsBackorder.length > 0) {
    return {
      name: 'Create Backorder?', type: 'ir.actions.act_window', view_mode: 'form', res_model: 'stock.backorder.confirmation',
      views: [[892, 'form']], view_id: 892, target: 'new',
      context: { button_validate_picking_ids: ids, default_show_transfers: false, default_pick_ids: ids.map((id) => [4, id]) },
    };
  }
  return smsWarning(env, ids, false) ?? finishPickings(env, ids, false);
}

export function finishPickings(env: Env, ids: number[], backorder: boolean): true {
  for (const id of ids) finishPicking(env, id, backorder);
  return true;
}

/**
 * stock_sms's _pre_action_done_hook: once the other checks pass, a company that texts customers
 * on delivery and was never warned gets the SMS wizard first (deliveries to a partner with a
 * phone). Its buttons validate the pickings afterwards.
 */
export function smsWarning(env: Env, ids: number[], backorder: boolean): Record<string, unknown> | null {
  const warn = ids.filter((id) => {
    const picking = env.db.must('stock.picking', id);
    const company = env.db.get('res.company', Number(picking.company_id ?? 1)) ?? env.db.get('res.company', 1);
    const type = env.db.get('stock.picking.type', picking.picking_type_id as number);
    const partner = typeof picking.partner_id === 'number' ? env.db.get('res.partner', picking.partner_id) : undefined;
    return !!company?.stock_move_sms_validation && !company.has_received_warning_stock_sms && type?.code === 'outgoing' && !!(partner?.mobile || partner?.phone);
  });
  if (warn.length === 0) return null;
  const [wizard] = createRecords(env, 'confirm.stock.sms', [{ pick_ids: warn, backorder }]);
  return {
    name: 'SMS', type: 'ir.actions.act_window', view_mode: 'form', res_model: 'confirm.stock.sms', views: [[1215, 'form']], view_id: 1215, target: 'new',
    res_id: wizard, context: { ...env.context, button_validate_picking_ids: ids },
  };
}

/** confirm.stock.sms.send_sms / dont_send_sms: the company is warned; the pickings are validated */
export function answerSmsWarning(env: Env, ids: number[], send: boolean): true {
  for (const id of ids) {
    const wizard = env.db.must('confirm.stock.sms', id);
    const pickIds = (wizard.pick_ids as number[]) ?? [];
    for (const pickingId of pickIds) {
      const company = env.db.get('res.company', Number(env.db.must('stock.picking', pickingId).company_id ?? 1));
      if (company && !company.has_received_warning_stock_sms) {
        company.has_received_warning_stock_sms = true;
        if (!send) company.stock_move_sms_validation = false;
      }
    }
    const toValidate = (env.context.button_validate_picking_ids as number[] | undefined) ?? pickIds;
    finishPickings(env, toValidate, wizard.backorder === true);
  }
  return true;
}

/** validates what is shipped; the rest goes to a backorder or is cancelled */
export function finishPicking(env: Env, pickingId: number, backorder: boolean): number | false {
  const picking = env.db.must('stock.picking', pickingId);
  const moves = env.db.whereEq('stock.move', 'picking_id', pickingId, (m) => !['done', 'cancel'].includes(String(m.state)));
  const shipped = shippedQuantities(moves);
  let backorderId: number | false = false;
  for (const move of moves) {
    const qty = shipped.get(move.id) ?? 0;
    const remaining = round2(Number(move.product_uom_qty) - qty);
    if (remaining > 0) {
      if (backorder && backorderId === false) {
        const [id] = createRecords(env, 'stock.picking', [
          { picking_type_id: picking.picking_type_id, location_id: picking.location_id, location_dest_id: picking.location_dest_id, origin: picking.origin, partner_id: picking.partner_id, sale_id: picking.sale_id, carrier_id: picking.carrier_id, backorder_id: pickingId },
        ]);
        backorderId = id as number;
      }
      if (backorder) {
        const [newMove] = createRecords(env, 'stock.move', [
          { picking_id: backorderId, product_id: move.product_id, product_uom_qty: remaining, quantity: 0, sale_line_id: move.sale_line_id, location_id: move.location_id, location_dest_id: move.location_dest_id, origin: move.origin, ...moveName(env, move.name), state: 'confirmed' },
        ]);
        const created = env.db.must('stock.move', newMove as number);
        // The reservation follows the quantity left, as Odoo's split does.
        if (qty === 0) {
          releaseReservation(env, move);
          move.quantity = 0;
        }
        reserveMove(env, created);
      }
    }
    if (qty > 0) doneMove(env, move, qty);
    else cancelMove(env, move);
  }
  picking.date_done = nowString();
  return backorderId;
}

export function createReturn(env: Env, wizardId: number): Record<string, unknown> {
  const wizard = env.db.must('stock.return.picking', wizardId);
  const picking = env.db.must('stock.picking', wizard.picking_id as number);
  const lines = env.db.whereEq('stock.return.picking.line', 'wizard_id', wizardId, (l) => Number(l.quantity) > 0);
  if (lines.length === 0) throw userError('Please specify at least one non-zero quantity.');
  const type = env.db.must('stock.picking.type', picking.picking_type_id as number);
  const warehouse = env.db.get('stock.warehouse', type.warehouse_id as number);
  const returnType = (type.code === 'outgoing' ? warehouse?.in_type_id : warehouse?.out_type_id) ?? picking.picking_type_id;
  const [returnId] = createRecords(env, 'stock.picking', [
    { picking_type_id: returnType, location_id: picking.location_dest_id, location_dest_id: picking.location_id, origin: `Return of ${String(picking.name)}`, partner_id: picking.partner_id, sale_id: picking.sale_id, return_id: picking.id },
  ]);
  for (const line of lines) {
    const orig = env.db.must('stock.move', line.move_id as number);
    const [moveId] = createRecords(env, 'stock.move', [
      { picking_id: returnId, product_id: line.product_id, product_uom_qty: Number(line.quantity), origin_returned_move_id: orig.id, to_refund: true, sale_line_id: orig.sale_line_id, location_id: picking.location_dest_id, location_dest_id: picking.location_id, ...moveName(env, orig.name), state: 'confirmed' },
    ]);
    reserveMove(env, env.db.must('stock.move', moveId as number));
  }
  return { name: 'Returned Picking', view_mode: 'form', res_model: 'stock.picking', res_id: returnId, type: 'ir.actions.act_window', context: { ...env.context } };
}

export function cancelPickings(env: Env, ids: number[]): true {
  for (const id of ids) {
    env.db.must('stock.picking', id);
    for (const move of env.db.whereEq('stock.move', 'picking_id', id, (m) => m.state !== 'cancel')) cancelMove(env, move);
  }
  return true;
}

/** stock.move.name exists on 18.0 only (19.0 dropped it) */
export function moveName(env: Env, name: unknown): Record<string, unknown> {
  return env.version === 18 ? { name: name ?? false } : {};
}
