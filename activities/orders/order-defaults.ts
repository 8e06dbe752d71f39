import type { ChannelConfig } from '../../config/schema';
import type { MagentoClient, Order } from '../../integrations/magento';
import type { OdooClient } from '../../integrations/odoo';
import { OrderDataError } from './failures';
import type { OrderCompany } from './odoo-mappings';

export interface OrderDefaults {
  paymentTermId?: number;
  teamId?: number;
  warehouseId?: number;
  /** the company the order is booked in: its id, and its name as the channel gives it (for errors) */
  company?: OrderCompany;
}

type Assignment = { team?: string; warehouse?: string; company?: string };

/**
 * Where an order belongs in Odoo (channel key orderDefaults): the payment term of its payment
 * method (else the channel's default), and the sales team, warehouse and company of its store
 * view (else of its website). Nothing configured: nothing is read and Odoo's defaults apply. A
 * configured name Odoo does not have is bad data: the order parks with the name and the field.
 */
export async function orderDefaultsFor(channel: ChannelConfig, magento: MagentoClient, odoo: OdooClient, order: Order): Promise<OrderDefaults> {
  const settings = channel.orderDefaults;
  const out: OrderDefaults = {};
  const method = order.payment?.method ?? '';
  const termName = settings.paymentTerms.byMethod[method] ?? settings.paymentTerms.default;
  const field = settings.paymentTerms.byMethod[method] ? `orderDefaults.paymentTerms.byMethod.${method}` : 'orderDefaults.paymentTerms.default';
  if (termName) out.paymentTermId = await idByName(odoo, 'account.payment.term', termName, order, field);

  const assignment = await storeAssignment(channel, magento, order);
  // the company first: the team and warehouse must be that company's
  if (assignment) {
    const { where, value } = assignment;
    if (value.company) out.company = { id: await idByName(odoo, 'res.company', value.company, order, `${where}.company`), name: value.company };
    // Real Odoo refuses a team or warehouse of another company on the order ("Incompatible
    // companies on records"); each company may well have its own "Sales" team and "WH".
    const ofCompany = out.company ? ` of company "${out.company.name}"` : '';
    if (value.team) out.teamId = await idByName(odoo, 'crm.team', value.team, order, `${where}.team`, out.company?.id, ofCompany);
    if (value.warehouse) {
      const warehouseId = await odoo.reference.warehouseByCode(value.warehouse, out.company?.id);
      if (warehouseId === null) throw missing(order, `${where}.warehouse`, `warehouse with code "${value.warehouse}"${ofCompany}`);
      out.warehouseId = warehouseId;
    }
  }
  return out;
}

/**
 * The company an Odoo order is booked in, when the channel books store views or websites in
 * companies of their own (orderDefaults ... company): lookups made for the order after its
 * import (the payment journal) must then be that company's. Without such a setting, nothing.
 */
export function bookedCompany(channel: ChannelConfig, saleOrder: { company_id?: [number, string] | false }): OrderCompany | undefined {
  const { storeViews, websites } = channel.orderDefaults;
  const names = [...Object.values(storeViews), ...Object.values(websites)].some((a) => a.company);
  return names && Array.isArray(saleOrder.company_id) ? { id: saleOrder.company_id[0], name: saleOrder.company_id[1] } : undefined;
}

async function storeAssignment(channel: ChannelConfig, magento: MagentoClient, order: Order): Promise<{ where: string; value: Assignment } | null> {
  const { storeViews, websites } = channel.orderDefaults;
  if (Object.keys(storeViews).length === 0 && Object.keys(websites).length === 0) return null;
  const view = (await magento.stores.views()).find((v) => v.id === order.store_id);
  if (view?.code && storeViews[view.code]) return { where: `orderDefaults.storeViews.${view.code}`, value: storeViews[view.code]! };
  if (Object.keys(websites).length === 0 || view?.website_id == null) return null;
  const website = (await magento.stores.websites()).find((w) => w.id === view.website_id);
  if (website?.code && websites[website.code]) return { where: `orderDefaults.websites.${website.code}`, value: websites[website.code]! };
  return null;
}

async function idByName(
  odoo: OdooClient, model: 'account.payment.term' | 'res.company' | 'crm.team', name: string, order: Order, field: string, companyId?: number, ofCompany = '',
): Promise<number> {
  const id = await odoo.reference.idByName(model, name, companyId);
  if (id === null) throw missing(order, field, `${model} "${name}"${ofCompany}`);
  return id;
}

function missing(order: Order, field: string, what: string): OrderDataError {
  return new OrderDataError('UnmappedOrderDefault', `order ${order.increment_id}: ${field} names ${what}, which Odoo does not have: create it in Odoo or fix the channel setting, then retry`);
}
