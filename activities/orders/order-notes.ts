import type { Order } from '../../integrations/magento';

/**
 * What the order says that the lines do not (issue 10, class 7), as the Odoo order's note: the
 * customer's note, the purchase order number, the order's and the items' gift messages and the
 * status-history comments the customer could see. Pure; undefined when there is nothing to say.
 */

interface GiftMessage { sender?: string | null; recipient?: string | null; message?: string | null }

// A note is for people: an absurd comment is cut rather than stored whole.
const MAX_PART = 2000;
const cut = (text: string): string => (text.length > MAX_PART ? `${text.slice(0, MAX_PART)}…` : text);

function giftText(gift: GiftMessage | undefined): string | undefined {
  const message = gift?.message?.trim();
  if (!message) return undefined;
  const from = gift?.sender?.trim();
  const to = gift?.recipient?.trim();
  const who = [from ? `from ${from}` : '', to ? `to ${to}` : ''].filter(Boolean).join(' ');
  return `${who ? ` ${who}` : ''}: ${cut(message)}`;
}

export function orderNote(order: Order): string | undefined {
  const parts: string[] = [];
  const customerNote = order.customer_note?.trim();
  if (customerNote) parts.push(`Customer note: ${cut(customerNote)}`);
  const po = order.payment?.po_number?.trim();
  if (po) parts.push(`Purchase order number: ${cut(po)}`);
  const orderGift = giftText((order.extension_attributes as { gift_message?: GiftMessage } | undefined)?.gift_message);
  if (orderGift) parts.push(`Gift message${orderGift}`);
  for (const item of order.items) {
    if (item.parent_item_id) continue;
    const gift = giftText((item as { extension_attributes?: { gift_message?: GiftMessage } }).extension_attributes?.gift_message);
    if (gift) parts.push(`Gift message for ${item.sku}${gift}`);
  }
  const visible = (order.status_histories ?? [])
    .filter((h) => h.is_visible_on_front === 1 && h.comment?.trim())
    .sort((a, b) => String(a.created_at ?? '').localeCompare(String(b.created_at ?? '')));
  for (const h of visible) parts.push(`Magento comment${h.created_at ? ` (${String(h.created_at)})` : ''}: ${cut(String(h.comment).trim())}`);
  return parts.length > 0 ? parts.join('\n') : undefined;
}
