import type { MagentoClient, Order } from '../../integrations/magento';
import { SearchCriteria, shippingMethodOf } from '../../integrations/magento';
import { OrderDataError } from './failures';

/**
 * The payment method's title as the customer saw it. Magento keeps it in
 * extension_attributes.payment_additional_info (key "method_title") and, on older stores, as the
 * first entry of payment.additional_information.
 */
export function paymentTitleOf(order: Order): string | undefined {
  const info = order.extension_attributes?.payment_additional_info?.find((i) => i.key === 'method_title')?.value;
  if (info) return info;
  const first = order.payment?.additional_information?.[0];
  return first && !first.startsWith('{') ? first : undefined;
}

/** "Flat Rate - Fixed" → "Flat Rate": Magento writes "<carrier title> - <method title>". */
export function carrierTitleOf(order: Order): string | undefined {
  const description = order.shipping_description?.trim();
  if (!description) return undefined;
  const dash = description.indexOf(' - ');
  return dash === -1 ? description : description.slice(0, dash);
}

/** "ups_GND" → { carrier: "ups", method: "GND" } (the carrier code never contains "_" in core). */
export function shippingCodesOf(order: Order): { code: string; carrier: string; method: string } | undefined {
  const code = shippingMethodOf(order) ?? (order as { shipping_method?: string | null }).shipping_method ?? undefined;
  if (!code) return undefined;
  const underscore = code.indexOf('_');
  return underscore === -1 ? { code, carrier: code, method: code } : { code, carrier: code.slice(0, underscore), method: code.slice(underscore + 1) };
}

/** The order with this increment id, or null. The search answer carries the full order. */
export async function findOrderByIncrementId(magento: MagentoClient, incrementId: string): Promise<Order | null> {
  // Checked order by order: a malformed order fails with its own increment id and field.
  const result = await magento.orders.searchEach(SearchCriteria.empty().where('increment_id', 'eq', incrementId).withPageSize(5));
  const exact = result.items.find((e) => e.summary?.increment_id === incrementId);
  if (!exact) return null;
  if (!exact.ok) throw exact.error;
  return exact.order;
}

export async function requireOrder(magento: MagentoClient, incrementId: string, entityId?: number): Promise<Order> {
  if (entityId !== undefined) return magento.orders.get(entityId);
  const order = await findOrderByIncrementId(magento, incrementId);
  if (!order) throw new OrderDataError('OrderNotFound', `Magento has no order ${incrementId} on this store view`);
  return order;
}

export function isClosedInMagento(order: Order): boolean {
  return order.state === 'canceled' || order.state === 'closed';
}
