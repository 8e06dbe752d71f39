import type { Order, OrderAddress } from '../../integrations/magento';
import { OrderDataError } from './failures';

/**
 * What no real checkout produces, refused before anything is written to Odoo: each problem names
 * the order's increment id, the record and the field. Pure (test/unit/order-checks.test.ts).
 */

// Magento's own column widths (sales_order / sales_order_address varchar(255), street text 64K
// but a line in a real address is short); Odoo's partner fields have no limit, so an absurd value
// would be booked as it is.
const NAME_MAX = 255;
const STREET_MAX = 1024;
// The practical e-mail shape (Magento's \Laminas\Validator\EmailAddress is stricter still).
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function orderProblems(order: Order): string[] {
  const problems: string[] = [];
  const lines = order.items.filter((i) => !i.parent_item_id);
  if (lines.length === 0) problems.push('items: the order has no items');
  order.items.forEach((item, index) => {
    if (item.parent_item_id) return;
    const qty = item.qty_ordered;
    if (!(typeof qty === 'number' && Number.isFinite(qty) && qty > 0)) problems.push(`items[${index}].qty_ordered is ${String(qty)} ("${item.sku}"): must be above 0`);
    if (typeof item.price === 'number' && item.price < 0) problems.push(`items[${index}].price is ${item.price} ("${item.sku}"): must not be negative`);
    if (typeof item.discount_amount === 'number' && item.discount_amount < 0) problems.push(`items[${index}].discount_amount is ${item.discount_amount} ("${item.sku}"): must not be negative`);
    if (item.sku.length > NAME_MAX) problems.push(`items[${index}].sku is ${item.sku.length} characters long (at most ${NAME_MAX})`);
  });
  for (const field of ['shipping_amount', 'grand_total', 'subtotal', 'tax_amount'] as const) {
    const value = order[field];
    if (typeof value === 'number' && value < 0) problems.push(`${field} is ${value}: must not be negative`);
  }
  const email = order.customer_email?.trim() ?? '';
  if (!EMAIL.test(email) || email.length > NAME_MAX) problems.push(`customer_email ${email ? `"${email.slice(0, 80)}"` : 'is empty'}${email ? ' is not an e-mail address' : ''}`);
  for (const field of ['customer_firstname', 'customer_lastname'] as const) {
    const value = order[field];
    if (typeof value === 'string' && value.length > NAME_MAX) problems.push(`${field} is ${value.length} characters long (at most ${NAME_MAX})`);
  }
  const addresses: Array<[string, OrderAddress | undefined]> = [['billing_address', order.billing_address ?? undefined]];
  order.extension_attributes?.shipping_assignments?.forEach((a, i) => addresses.push([`extension_attributes.shipping_assignments[${i}].shipping.address`, a.shipping?.address ?? undefined]));
  for (const [where, address] of addresses) {
    if (!address) continue;
    for (const field of ['firstname', 'lastname', 'company', 'city', 'postcode', 'telephone', 'region', 'email'] as const) {
      const value = address[field];
      if (typeof value === 'string' && value.length > NAME_MAX) problems.push(`${where}.${field} is ${value.length} characters long (at most ${NAME_MAX})`);
    }
    address.street?.forEach((line, i) => {
      if (line.length > STREET_MAX) problems.push(`${where}.street[${i}] is ${line.length} characters long (at most ${STREET_MAX})`);
    });
    const addressEmail = address.email?.trim();
    if (addressEmail && !EMAIL.test(addressEmail)) problems.push(`${where}.email "${addressEmail.slice(0, 80)}" is not an e-mail address`);
  }
  return problems;
}

export function checkOrder(order: Order): void {
  const problems = orderProblems(order);
  if (problems.length > 0) {
    throw new OrderDataError('InvalidOrder', `order ${order.increment_id}: ${problems.join('; ')}: correct the order in Magento (or cancel it), then retry`);
  }
}
