import type { z } from 'zod';
import type { OdooConfig } from '../../config/schema';
import { IntegrationError } from '../errors';
import { Json2Transport } from './json2-transport';
import { many2oneId } from './many2one';
import { JsonRpcTransport } from './jsonrpc-transport';
import type { OdooMethodOf, OdooModel, OdooModelWith } from './operations';
import {
  ACCOUNT_MOVE_FIELDS, AccountMoveSchema, AddressMapSchema, Ids, PICKING_FIELDS, PickingSchema, PRODUCT_VARIANT_FIELDS,
  ProductVariantSchema, SALE_ORDER_FIELDS, SaleOrderSchema, STOCK_LEVEL_FIELDS, STOCK_MOVE_FIELDS, StockLevelSchema,
  StockMoveSchema, UserSchema, WindowActionSchema,
  type AccountMove, type Picking, type SaleOrder, type StockLevel, type StockMove, type WindowAction,
} from './schemas';
import type { OdooServerVersion, OdooTransport } from './transport';
import { OdooReference } from './reference';
import { retryingTransport } from './retrying-transport';

export type Domain = unknown[];
export type Context = Record<string, unknown>;
export type OdooRecord = Record<string, unknown> & { id: number };

export interface SearchReadOptions {
  fields?: readonly string[];
  limit?: number;
  offset?: number;
  order?: string;
  context?: Context;
}

export interface OdooIdentity {
  uid: number;
  login: string;
  name: string;
  companyId: number | null;
  companyName: string | null;
}

export interface TaxCountries {
  fiscalCountryId: number | null;
  /** country id → the fiscal position with a foreign VAT number there */
  foreignVatPositions: Map<number, number>;
}

export type SaleOrderLineInput =
  | { productId: number; quantity: number; priceUnit: number; discount?: number; taxIds?: number[]; name?: string }
  | { note: string }
  | { section: string };

export interface SaleOrderInput {
  partnerId: number;
  invoiceAddressId?: number;
  shippingAddressId?: number;
  /** the Magento order reference; copied by Odoo to the invoice ref and the picking origin */
  clientOrderRef: string;
  origin?: string;
  warehouseId?: number;
  pricelistId?: number;
  /** what the Magento order says beyond its lines (customer note, PO number, gift messages, comments) */
  note?: string;
  paymentTermId?: number;
  teamId?: number;
  companyId?: number;
  lines: SaleOrderLineInput[];
  /**
   * The shipping line, made with the order as the delivery wizard would make it (carrier on the
   * order, one line of the carrier's product at Magento's price, taxes from that product and the
   * fiscal position): one create instead of create + wizard + confirm.
   */
  delivery?: { carrierId: number; productId: number; name: string; price: number };
}

/**
 * The context of the customers, contacts and sale orders the connector creates, and of the
 * confirm (which makes the delivery): the connector's API user does not follow each of them.
 * Following would send it every record's notifications, and costs about a sixth of an import's
 * Odoo time (real 18.0: 309 against 252 ms for a partner with two contacts, an order, its confirm).
 */
export const NO_SUBSCRIBE_CONTEXT: Context = { mail_create_nosubscribe: true };

/** what web_read returns of each field: a relation's own fields when they are named */
export type WebSpec = Record<string, { fields?: WebSpec }>;

export function createOdooTransport(config: OdooConfig): OdooTransport {
  const transport = config.flavour === 'json2' ? new Json2Transport(config) : new JsonRpcTransport(config);
  return retryingTransport(transport, config.retry);
}

/**
 * Typed access to Odoo for the activities. Generic ORM calls plus the business steps of an
 * order, each written the way the recorded real servers accept them (wizards with their
 * context, action dicts instead of return values, 18/19 field renames).
 */
export class OdooClient {
  private versionPromise: Promise<OdooServerVersion> | undefined;
  /** reference data (taxes, carriers, products by SKU, …) this client's worker keeps for a minute */
  readonly reference: OdooReference = new OdooReference(this);

  constructor(
    readonly config: OdooConfig,
    private readonly transport: OdooTransport = createOdooTransport(config),
  ) {}

  get flavour(): OdooTransport['flavour'] {
    return this.transport.flavour;
  }

  /** the server version; no credentials needed */
  version(): Promise<OdooServerVersion> {
    if (!this.versionPromise) {
      const attempt = this.transport.version();
      this.versionPromise = attempt;
      attempt.catch(() => {
        if (this.versionPromise === attempt) this.versionPromise = undefined;
      });
    }
    return this.versionPromise;
  }

  /** "who am I and for which company": a harmless authenticated read */
  async whoAmI(): Promise<OdooIdentity> {
    const uid = await this.transport.uid();
    const [user] = await this.readParsed('res.users', [uid], ['login', 'name', 'company_id'], UserSchema);
    if (!user) throw this.protocolError('res.users.read', `user ${uid} is not readable`);
    return {
      uid,
      login: user.login,
      name: user.name,
      companyId: user.company_id === false ? null : user.company_id[0],
      companyName: user.company_id === false ? null : user.company_id[1],
    };
  }

  /** the "Test connection" button: version, then an authenticated read */
  async testConnection(): Promise<{ version: OdooServerVersion; identity: OdooIdentity }> {
    const version = await this.version();
    const identity = await this.whoAmI();
    return { version, identity };
  }

  // ---- generic ORM ------------------------------------------------------------------------

  call<M extends OdooModel>(model: M, method: OdooMethodOf<M>, options: { ids?: number[]; kwargs?: Record<string, unknown>; context?: Context } = {}): Promise<unknown> {
    return this.transport.call({ model, method, ...options });
  }

  async searchRead(model: OdooModelWith<'search_read'>, domain: Domain, options: SearchReadOptions = {}): Promise<OdooRecord[]> {
    const kwargs: Record<string, unknown> = { domain };
    if (options.fields) kwargs.fields = [...options.fields];
    if (options.offset !== undefined) kwargs.offset = options.offset;
    if (options.limit !== undefined) kwargs.limit = options.limit;
    if (options.order !== undefined) kwargs.order = options.order;
    const result = await this.call(model, 'search_read' as never, { kwargs, context: options.context });
    return this.records(result, `${model}.search_read`);
  }

  async searchCount(model: OdooModelWith<'search_count'>, domain: Domain, context?: Context): Promise<number> {
    const result = await this.call(model, 'search_count' as never, { kwargs: { domain }, context });
    if (typeof result !== 'number') throw this.protocolError(`${model}.search_count`, 'expected a number');
    return result;
  }

  async search(model: OdooModelWith<'search'>, domain: Domain, options: { limit?: number; offset?: number; order?: string; context?: Context } = {}): Promise<number[]> {
    const kwargs: Record<string, unknown> = { domain };
    if (options.offset !== undefined) kwargs.offset = options.offset;
    if (options.limit !== undefined) kwargs.limit = options.limit;
    if (options.order !== undefined) kwargs.order = options.order;
    return this.parse(Ids, await this.call(model, 'search' as never, { kwargs, context: options.context }), `${model}.search`);
  }

  /** missing ids are silently left out by Odoo */
  async read(model: OdooModelWith<'read'>, ids: number[], fields: readonly string[], context?: Context): Promise<OdooRecord[]> {
    if (ids.length === 0) return [];
    const result = await this.call(model, 'read' as never, { ids, kwargs: { fields: [...fields] }, context });
    return this.records(result, `${model}.read`);
  }

  /** one round trip for any number of records; always answers the list of new ids */
  async create(model: OdooModelWith<'create'>, valsList: Array<Record<string, unknown>>, context?: Context): Promise<number[]> {
    const result = await this.call(model, 'create' as never, { kwargs: { vals_list: valsList }, context });
    // JSON-RPC answers a bare id for a single dict; we always send a list, but accept both.
    const ids = typeof result === 'number' ? [result] : this.parse(Ids, result, `${model}.create`);
    if (ids.length !== valsList.length) throw this.protocolError(`${model}.create`, `asked for ${valsList.length} records, got ${ids.length} ids`);
    return ids;
  }

  /**
   * Creates one record and reads it back in the same round trip: web_save (Odoo 17 and later),
   * which answers in web_read's shape (a many2one is its id, or {id, display_name} when the spec
   * asks for its fields; an x2many is its ids, or rows when it does). Null on older servers,
   * which lack it: the caller then creates and reads.
   */
  async webSave(model: OdooModelWith<'web_save'>, vals: Record<string, unknown>, specification: WebSpec, context?: Context): Promise<OdooRecord | null> {
    if (!((await this.version()).major >= 17)) return null;
    const result = await this.call(model, 'web_save' as never, { ids: [], kwargs: { vals, specification }, context });
    const [row] = this.records(result, `${model}.web_save`);
    if (!row) throw this.protocolError(`${model}.web_save`, 'answered no record');
    return row;
  }

  async write(model: OdooModelWith<'write'>, ids: number[], vals: Record<string, unknown>, context?: Context): Promise<void> {
    const result = await this.call(model, 'write' as never, { ids, kwargs: { vals }, context });
    if (result !== true) throw this.protocolError(`${model}.write`, `expected true, got ${JSON.stringify(result)}`);
  }

  // ---- partners ---------------------------------------------------------------------------

  async addressGet(partnerId: number, types: string[] = ['invoice', 'delivery', 'contact']): Promise<Record<string, number | false>> {
    const result = await this.call('res.partner', 'address_get', { ids: [partnerId], kwargs: { adr_pref: types } });
    return this.parse(AddressMapSchema, result, 'res.partner.address_get');
  }

  // ---- products and stock -----------------------------------------------------------------

  async findVariantsBySku(skus: string[]): Promise<Array<z.infer<typeof ProductVariantSchema>>> {
    if (skus.length === 0) return [];
    const rows = await this.searchRead('product.product', [['default_code', 'in', skus]], { fields: PRODUCT_VARIANT_FIELDS });
    return rows.map((row) => this.parse(ProductVariantSchema, row, 'product.product.search_read'));
  }

  /**
   * Sets the absolute on-hand quantity of a product in a location. Safe to repeat: in inventory
   * mode Odoo reuses the quant of the same product and location.
   */
  async setOnHandQuantity(productId: number, locationId: number, quantity: number): Promise<number> {
    const [id] = await this.create(
      'stock.quant',
      [{ product_id: productId, location_id: locationId, inventory_quantity_auto_apply: quantity }],
      { inventory_mode: true },
    );
    return id as number;
  }

  async stockLevels(productIds: number[], options: { warehouseId?: number; locationId?: number } = {}): Promise<StockLevel[]> {
    const context: Context = {};
    if (options.warehouseId !== undefined) context.warehouse_id = options.warehouseId;
    if (options.locationId !== undefined) context.location = options.locationId;
    const rows = await this.read('product.product', productIds, STOCK_LEVEL_FIELDS, context);
    return rows.map((row) => this.parse(StockLevelSchema, row, 'product.product.read'));
  }

  // ---- taxes ------------------------------------------------------------------------------

  /**
   * Where the company may charge tax: its fiscal country, and each foreign country it holds a
   * VAT number in (a fiscal position with a foreign VAT), with that fiscal position. Odoo refuses
   * to post an invoice whose taxes belong to any other country.
   */
  async taxCountries(): Promise<TaxCountries> {
    const { companyId } = await this.whoAmI();
    const [company] = companyId ? await this.read('res.company', [companyId], ['account_fiscal_country_id', 'country_id']) : [];
    const fiscal = company ? (many2oneId(company.account_fiscal_country_id) ?? many2oneId(company.country_id)) : null;
    const positions = await this.searchRead('account.fiscal.position', [['foreign_vat', '!=', false]], { fields: ['name', 'country_id'], order: 'id asc' });
    const foreign = new Map<number, number>();
    for (const p of positions) {
      const country = many2oneId(p.country_id);
      if (country !== null && country !== fiscal && !foreign.has(country)) foreign.set(country, p.id);
    }
    return { fiscalCountryId: fiscal, foreignVatPositions: foreign };
  }

  /**
   * The tax group a new tax of this country and rate goes in: one of the country named for the
   * rate ("Tax 8.25%"), else one is made. Odoo would otherwise pick any group of the country, and
   * the invoice's tax subtotal would read "Tax 15%" for an 8.25% tax (seen on 19.0), or refuse the
   * tax when the country has no group at all (a German tax in a US company).
   */
  async taxGroupFor(countryId: number, percent: number): Promise<number> {
    const groups = await this.searchRead('account.tax.group', [['country_id', '=', countryId]], { fields: ['name'], order: 'sequence, id' });
    const label = `${Number(percent.toFixed(4))}%`;
    const named = groups.find((g) => new RegExp(`(^|\\s)${label.replace('.', '\\.')}$`).test(String(g.name ?? '')));
    if (named) return named.id;
    const [id] = await this.create('account.tax.group', [{ name: `Tax ${label}`, country_id: countryId }]);
    return id as number;
  }

  // ---- sale orders ------------------------------------------------------------------------

  /** 18.0 calls the line taxes `tax_id`; 19.0 renamed it `tax_ids` */
  async saleLineTaxField(): Promise<'tax_id' | 'tax_ids'> {
    const { major } = await this.version();
    return major >= 19 ? 'tax_ids' : 'tax_id';
  }

  /** every sale order with this customer reference or one of these origins, oldest first (two shops may share increment ids) */
  async findSaleOrdersByReference(ref: string, origins: string[] = []): Promise<SaleOrder[]> {
    const domain = origins.length ? ['|', ['client_order_ref', '=', ref], ['origin', 'in', origins]] : [['client_order_ref', '=', ref]];
    const rows = await this.searchRead('sale.order', domain, { fields: SALE_ORDER_FIELDS, order: 'id asc' });
    return rows.map((row) => this.parse(SaleOrderSchema, row, 'sale.order.search_read'));
  }

  async readSaleOrder(id: number): Promise<SaleOrder | null> {
    const [row] = await this.read('sale.order', [id], SALE_ORDER_FIELDS);
    return row ? this.parse(SaleOrderSchema, row, 'sale.order.read') : null;
  }

  async createSaleOrder(input: SaleOrderInput): Promise<number> {
    const [id] = await this.create('sale.order', [await this.saleOrderVals(input)], NO_SUBSCRIBE_CONTEXT);
    return id as number;
  }

  /**
   * The create and the read an import needs after it, in one round trip where the server has
   * web_save (two calls otherwise).
   */
  async createSaleOrderAndRead(input: SaleOrderInput): Promise<SaleOrder> {
    const spec: WebSpec = Object.fromEntries(SALE_ORDER_FIELDS.map((f) => [f, f === 'company_id' ? { fields: { display_name: {} } } : {}]));
    const saved = await this.webSave('sale.order', await this.saleOrderVals(input), spec, NO_SUBSCRIBE_CONTEXT);
    if (saved === null) {
      const id = await this.createSaleOrder(input);
      const created = await this.readSaleOrder(id);
      if (!created) throw this.protocolError('sale.order.read', `sale order ${id} vanished right after it was created`);
      return created;
    }
    // web_read's many2one {id, display_name} in read()'s [id, name]
    const company = saved.company_id as { id: number; display_name: string } | false | undefined;
    const row = { ...saved, company_id: company ? [company.id, company.display_name] : false };
    return this.parse(SaleOrderSchema, row, 'sale.order.web_save');
  }

  private async saleOrderVals(input: SaleOrderInput): Promise<Record<string, unknown>> {
    const taxField = await this.saleLineTaxField();
    const orderLine = input.lines.map((line) => {
      if ('note' in line) return [0, 0, { display_type: 'line_note', name: line.note }];
      if ('section' in line) return [0, 0, { display_type: 'line_section', name: line.section }];
      const vals: Record<string, unknown> = {
        product_id: line.productId,
        product_uom_qty: line.quantity,
        // Given explicitly so Magento's price wins over the Odoo pricelist.
        price_unit: line.priceUnit,
        discount: line.discount ?? 0,
      };
      if (line.taxIds) vals[taxField] = [[6, 0, line.taxIds]];
      if (line.name) vals.name = line.name;
      return [0, 0, vals];
    });
    const vals: Record<string, unknown> = { partner_id: input.partnerId, client_order_ref: input.clientOrderRef, order_line: orderLine };
    if (input.invoiceAddressId) vals.partner_invoice_id = input.invoiceAddressId;
    if (input.shippingAddressId) vals.partner_shipping_id = input.shippingAddressId;
    if (input.origin) vals.origin = input.origin;
    if (input.warehouseId) vals.warehouse_id = input.warehouseId;
    if (input.pricelistId) vals.pricelist_id = input.pricelistId;
    if (input.note) vals.note = input.note;
    if (input.paymentTermId) vals.payment_term_id = input.paymentTermId;
    if (input.teamId) vals.team_id = input.teamId;
    if (input.companyId) vals.company_id = input.companyId;
    if (input.delivery) {
      const { carrierId, productId, name, price } = input.delivery;
      vals.carrier_id = carrierId;
      // sequence after every product line, as the wizard's _create_delivery_line does
      orderLine.push([0, 0, { product_id: productId, name, product_uom_qty: 1, price_unit: price, is_delivery: true, sequence: 1000 }]);
    }
    return vals;
  }

  /** the shipping line, through the same wizard the UI uses */
  async addDeliveryLine(orderId: number, carrierId: number, price: number): Promise<void> {
    const [wizard] = await this.create('choose.delivery.carrier', [{ order_id: orderId, carrier_id: carrierId, delivery_price: price }]);
    await this.call('choose.delivery.carrier', 'button_confirm', { ids: [wizard as number] });
  }

  async confirmSaleOrder(id: number): Promise<void> {
    await this.call('sale.order', 'action_confirm', { ids: [id], context: NO_SUBSCRIBE_CONTEXT });
  }

  /**
   * Confirms a quotation; one Odoo already confirmed is success. A confirm that reached Odoo but
   * whose answer was lost is retried, and Odoo then refuses ("not in a state requiring
   * confirmation"): reading the state tells the two apart.
   */
  async ensureConfirmed(id: number): Promise<'confirmed' | 'already_confirmed'> {
    try {
      await this.confirmSaleOrder(id);
      return 'confirmed';
    } catch (err) {
      if (err instanceof IntegrationError && !err.retryable && (await this.readSaleOrder(id))?.state === 'sale') return 'already_confirmed';
      throw err;
    }
  }

  /**
   * Cancels an order. On 18.0 a confirmed order answers action_cancel with the cancel wizard
   * and cancels nothing, so the wizard is run; 19.0 cancels directly. Odoo allows cancelling
   * delivered orders: refusing that is the workflow's decision, not this method's.
   */
  async cancelSaleOrder(id: number): Promise<void> {
    const result = await this.call('sale.order', 'action_cancel', { ids: [id] });
    const action = WindowActionSchema.safeParse(result);
    if (action.success && action.data.res_model === 'sale.order.cancel') {
      const [wizard] = await this.create('sale.order.cancel', [{ order_id: id }]);
      await this.call('sale.order.cancel', 'action_cancel', { ids: [wizard as number] });
    }
  }

  // ---- deliveries -------------------------------------------------------------------------

  async listPickings(orderId: number): Promise<Picking[]> {
    const rows = await this.searchRead('stock.picking', [['sale_id', '=', orderId]], { fields: PICKING_FIELDS, order: 'id asc' });
    return rows.map((row) => this.parse(PickingSchema, row, 'stock.picking.search_read'));
  }

  /** a sale order's outgoing deliveries (receipts and internal moves are not shipments), oldest first */
  async outgoingPickings(orderId: number): Promise<Picking[]> {
    return (await this.listPickings(orderId)).filter((p) => (p.picking_type_code ?? 'outgoing') === 'outgoing');
  }

  /** the name of a delivery of this sale order that has actually shipped goods, or null */
  async shippedDelivery(orderId: number): Promise<string | null> {
    const done = (await this.outgoingPickings(orderId)).filter((p) => p.state === 'done');
    const moves = await this.movesOfPickings(done.map((p) => p.id));
    const shipped = done.find((p) => moves.some((m) => many2oneId(m.picking_id) === p.id && m.state === 'done' && m.quantity > 0));
    return shipped?.name ?? null;
  }

  async listMoves(pickingId: number): Promise<StockMove[]> {
    return this.movesOfPickings([pickingId]);
  }

  /** the moves of several deliveries in one read */
  async movesOfPickings(pickingIds: number[]): Promise<StockMove[]> {
    if (pickingIds.length === 0) return [];
    const rows = await this.searchRead('stock.move', [['picking_id', 'in', pickingIds]], { fields: STOCK_MOVE_FIELDS, order: 'id asc' });
    return rows.map((row) => this.parse(StockMoveSchema, row, 'stock.move.search_read'));
  }

  /**
   * Validates a delivery. With `quantities` (move id → quantity shipped) only those are shipped;
   * when that is less than the demand Odoo answers with the backorder wizard, which is run
   * here: `backorder: true` (default) keeps the rest as a new picking, false drops it. Where
   * stock_sms is installed, the first delivery of a company to a customer with a phone answers
   * with its SMS confirmation wizard instead, before or after the backorder one. It is answered
   * "don't send" (Odoo then stops asking that company): texting customers goes through Odoo's
   * paid SMS service, which is the merchant's choice to make in Odoo, not a side effect of a
   * validation made through the API.
   */
  async validatePicking(pickingId: number, options: { quantities?: Record<number, number>; backorder?: boolean } = {}): Promise<{ backorderIds: number[] }> {
    for (const [moveId, quantity] of Object.entries(options.quantities ?? {})) {
      await this.write('stock.move', [Number(moveId)], { quantity, picked: true });
    }
    const keep = options.backorder ?? true;
    let result = await this.call('stock.picking', 'button_validate', { ids: [pickingId] });
    let backorderAsked = false;
    for (let wizards = 0; ; wizards++) {
      const action = WindowActionSchema.safeParse(result);
      // True, or an action that asks nothing more (a client notification): done.
      if (!action.success || !action.data.res_model) break;
      if (wizards === 3) throw this.protocolError('stock.picking.button_validate', `still asking ${action.data.res_model} after three wizards`);
      const context = typeof action.data.context === 'object' ? action.data.context : {};
      if (action.data.res_model === 'confirm.stock.sms' && action.data.res_id) {
        result = await this.call('confirm.stock.sms', 'dont_send_sms', { ids: [action.data.res_id], context });
      } else if (action.data.res_model === 'stock.backorder.confirmation') {
        backorderAsked = true;
        const [wizard] = await this.create('stock.backorder.confirmation', [{}], context);
        result = await this.call('stock.backorder.confirmation', keep ? 'process' : 'process_cancel_backorder', { ids: [wizard as number], context });
      } else {
        throw this.protocolError('stock.picking.button_validate', `unexpected wizard ${action.data.res_model}`);
      }
    }
    if (!keep || !backorderAsked) return { backorderIds: [] };
    const [picking] = await this.read('stock.picking', [pickingId], ['backorder_ids']);
    return { backorderIds: this.parse(Ids, picking?.backorder_ids ?? [], 'stock.picking.read') };
  }

  async setTrackingRef(pickingId: number, trackingRef: string): Promise<void> {
    await this.write('stock.picking', [pickingId], { carrier_tracking_ref: trackingRef });
  }

  // ---- invoices, payments, credit notes ---------------------------------------------------

  /**
   * Invoices what the product invoice policies allow (ordered or delivered quantities) through
   * sale.advance.payment.inv; `_create_invoices` is private. Nothing to invoice is a UserError.
   */
  async invoiceSaleOrder(orderId: number): Promise<number[]> {
    const context = { active_model: 'sale.order', active_ids: [orderId], active_id: orderId };
    const [wizard] = await this.create('sale.advance.payment.inv', [{ advance_payment_method: 'delivered' }], context);
    const result = await this.call('sale.advance.payment.inv', 'create_invoices', { ids: [wizard as number], context });
    const action = this.parse(WindowActionSchema, result, 'sale.advance.payment.inv.create_invoices');
    if (action.res_id) return [action.res_id];
    const order = await this.readSaleOrder(orderId);
    if (!order) return [];
    const drafts = await this.searchRead('account.move', [['invoice_origin', '=', order.name], ['state', '=', 'draft']], { fields: ['id'], order: 'id asc' });
    return drafts.map((row) => row.id);
  }

  /** Odoo answers `false` on success */
  async postMove(moveId: number): Promise<void> {
    await this.call('account.move', 'action_post', { ids: [moveId] });
  }

  /** a sale order's customer invoices, oldest first (credit notes and cancelled ones left out) */
  async customerInvoicesOf(order: Pick<SaleOrder, 'invoice_ids'>): Promise<AccountMove[]> {
    const moves = await this.readMoves(order.invoice_ids);
    return moves.filter((m) => m.move_type === 'out_invoice' && m.state !== 'cancel').sort((a, b) => a.id - b.id);
  }

  /** a draft credit note for the whole invoice, in the invoice's own journal */
  async draftFullReversal(invoiceId: number, reason: string): Promise<number> {
    const [row] = await this.searchRead('account.move', [['id', '=', invoiceId]], { fields: ['journal_id'] });
    const journalId = many2oneId(row?.journal_id);
    if (journalId === null) throw new Error(`Odoo invoice ${invoiceId} has no journal`);
    return this.createCreditNote(invoiceId, { journalId, reason });
  }

  async readMoves(ids: number[]): Promise<AccountMove[]> {
    const rows = await this.read('account.move', ids, ACCOUNT_MOVE_FIELDS);
    return rows.map((row) => this.parse(AccountMoveSchema, row, 'account.move.read'));
  }

  async registerPayment(moveId: number, options: { journalId: number; amount?: number; memo?: string; paymentMethodLineId?: number; date?: string }): Promise<number> {
    const context = { active_model: 'account.move', active_ids: [moveId] };
    const vals: Record<string, unknown> = { journal_id: options.journalId };
    if (options.amount !== undefined) {
      vals.amount = options.amount;
      vals.payment_difference_handling = 'open';
    }
    if (options.memo) vals.communication = options.memo;
    if (options.paymentMethodLineId) vals.payment_method_line_id = options.paymentMethodLineId;
    if (options.date) vals.payment_date = options.date;
    const [wizard] = await this.create('account.payment.register', [vals], context);
    const result = await this.call('account.payment.register', 'action_create_payments', { ids: [wizard as number], context });
    const action = this.parse(WindowActionSchema, result, 'account.payment.register.action_create_payments');
    if (!action.res_id) throw this.protocolError('account.payment.register.action_create_payments', 'no payment id in the answer');
    return action.res_id;
  }

  /** a draft credit note reversing the whole invoice; edit its lines for a partial refund, then post */
  async createCreditNote(invoiceId: number, options: { journalId: number; reason: string }): Promise<number> {
    const context = { active_model: 'account.move', active_ids: [invoiceId] };
    // journal_id is required over RPC even though the UI fills it in.
    const [wizard] = await this.create('account.move.reversal', [{ reason: options.reason, journal_id: options.journalId }], context);
    const result = await this.call('account.move.reversal', 'refund_moves', { ids: [wizard as number], context });
    const action = this.parse(WindowActionSchema, result, 'account.move.reversal.refund_moves');
    if (!action.res_id) throw this.protocolError('account.move.reversal.refund_moves', 'no credit note id in the answer');
    return action.res_id;
  }

  // ---- external ids -------------------------------------------------------------------------

  /** the record bound to module.name, or null; the only binding Odoo keeps unique */
  async findXmlId(module: string, name: string): Promise<{ model: string; resId: number } | null> {
    const rows = await this.searchRead('ir.model.data', [['module', '=', module], ['name', '=', name]], { fields: ['model', 'res_id'], limit: 1 });
    const row = rows[0];
    return row ? { model: String(row.model), resId: Number(row.res_id) } : null;
  }

  async bindXmlId(module: string, name: string, model: string, resId: number): Promise<number> {
    const [id] = await this.create('ir.model.data', [{ module, name, model, res_id: resId, noupdate: true }]);
    return id as number;
  }

  // ---- helpers ----------------------------------------------------------------------------

  private async readParsed<S extends z.ZodType>(model: OdooModelWith<'read'>, ids: number[], fields: string[], schema: S): Promise<Array<z.infer<S>>> {
    const rows = await this.read(model, ids, fields);
    return rows.map((row) => this.parse(schema, row, `${model}.read`));
  }

  private records(value: unknown, operation: string): OdooRecord[] {
    if (!Array.isArray(value) || !value.every((r) => typeof r === 'object' && r !== null && typeof (r as { id?: unknown }).id === 'number')) {
      throw this.protocolError(operation, 'expected a list of records');
    }
    return value as OdooRecord[];
  }

  private parse<S extends z.ZodType>(schema: S, value: unknown, operation: string): z.infer<S> {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw this.protocolError(operation, `unexpected answer shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`);
    }
    return parsed.data;
  }

  private protocolError(operation: string, detail: string): IntegrationError {
    return new IntegrationError('odoo', 'protocol', `${operation}: ${detail}`, { operation });
  }
}

export type { WindowAction };
