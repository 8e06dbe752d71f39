/**
 * The one list of Odoo (model, method) pairs this connector may call. The client's typed
 * `call` only accepts pairs from here, and test/unit/odoo-contract.test.ts checks every pair
 * against the recorded Odoo contract (methods.tsv, the fields_get dumps, and the additions
 * below), so a new call cannot slip in without being checked against a real server's answers.
 */
export const ODOO_OPERATIONS = {
  // web_save: a customer and its contacts made and read back in one call (Odoo 17+)
  'res.partner': ['search_read', 'search_count', 'read', 'create', 'write', 'web_save', 'address_get', 'name_search'],
  'res.users': ['read', 'context_get'],
  // search_read: the company currency (an order in it needs no pricelist of its own) and the
  // company an order's store view is mapped to (orderDefaults)
  'res.company': ['read', 'search_read'],
  // the order currency must be one Odoo has (order import)
  'res.currency': ['search_read'],
  // payment terms and sales teams by name (orderDefaults)
  'account.payment.term': ['search_read'],
  'crm.team': ['search_read'],
  'res.country': ['search_read'],
  'res.country.state': ['search_read'],
  'uom.uom': ['search_read'],
  // customer groups map to pricelists (reference sync, customers sync, order import)
  'product.pricelist': ['search_read'],
  // catalog master magento: tier and special prices as fixed-price items of the customer groups' pricelists
  'product.pricelist.item': ['search_read', 'create', 'unlink'],
  'product.category': ['search_read', 'search_count', 'read', 'create', 'write'],
  'product.attribute': ['search_read', 'read', 'create'],
  'product.attribute.value': ['search_read', 'create'],
  // catalog master magento: a Magento attribute set as the tag "Magento set: <name>"
  'product.tag': ['search_read', 'create', 'write'],
  // fields_get: whether the template has product_template_image_ids (the eCommerce app's extra images)
  'product.template': ['search_read', 'search_count', 'search', 'read', 'create', 'write', 'fields_get'],
  // a template's extra images (catalog.images), only where website_sale is installed
  'product.image': ['search_read', 'create', 'write', 'unlink'],
  'product.template.attribute.line': ['search_read', 'write'],
  'product.template.attribute.value': ['search_read', 'write'],
  'product.product': ['search_read', 'search_count', 'search', 'read', 'create', 'write'],
  'stock.warehouse': ['search_read', 'read'],
  'stock.location': ['search_read'],
  // action_apply_inventory: the initial stock from Magento, where the channel applies it
  'stock.quant': ['search_read', 'create', 'read_group', 'action_apply_inventory'],
  // web_save: the import's create and read back in one call (Odoo 17+)
  'sale.order': ['search_read', 'search_count', 'read', 'create', 'write', 'web_save', 'action_confirm', 'action_cancel', 'action_draft', 'action_unlock'],
  // write: a refund of goods that have not shipped lowers the line's quantity (and its delivery)
  'sale.order.line': ['search_read', 'write'],
  'sale.order.cancel': ['create', 'action_cancel'],
  'choose.delivery.carrier': ['create', 'button_confirm'],
  'delivery.carrier': ['search_read'],
  'stock.picking': ['search_read', 'read', 'write', 'button_validate', 'action_cancel'],
  'stock.move': ['search_read', 'write'],
  'stock.backorder.confirmation': ['create', 'process', 'process_cancel_backorder'],
  // stock_sms's confirmation on a company's first delivery to a customer with a phone
  'confirm.stock.sms': ['dont_send_sms'],
  'sale.advance.payment.inv': ['create', 'create_invoices'],
  // write: a "Rounding difference" line on a draft partial credit note (orders.roundingSku)
  'account.move': ['search_read', 'read', 'create', 'write', 'action_post'],
  'account.payment.register': ['create', 'action_create_payments'],
  'account.payment': ['read'],
  'account.move.reversal': ['create', 'refund_moves'],
  'account.journal': ['search_read'],
  // create: the reference sync makes the sale tax a Magento tax rate needs when Odoo has none
  'account.tax': ['search_read', 'create'],
  // a new tax needs a tax group of its country (real Odoo refuses it otherwise)
  'account.tax.group': ['search_read', 'create'],
  // foreign-country taxes invoice only under a fiscal position with a foreign VAT number
  'account.fiscal.position': ['search_read'],
  'account.payment.method.line': ['search_read'],
  'ir.model.data': ['create', 'search_read', 'check_object_reference'],
  // sale order tags: the Magento status shown on the Odoo order ("Magento: processing")
  'crm.tag': ['search_read', 'read', 'create'],
} as const satisfies Record<string, readonly string[]>;

type Operations = typeof ODOO_OPERATIONS;
export type OdooModel = keyof Operations;
export type OdooMethodOf<M extends OdooModel> = Operations[M][number];
/** models on which the connector may call `method` */
export type OdooModelWith<Method extends string> = {
  [M in OdooModel]: Method extends OdooMethodOf<M> ? M : never;
}[OdooModel];

export function listOdooOperations(): Array<{ model: string; method: string }> {
  return Object.entries(ODOO_OPERATIONS).flatMap(([model, methods]) =>
    (methods as readonly string[]).map((method) => ({ model, method })),
  );
}

/**
 * Calls the contract's transcripts did not record, each with the Odoo source file that defines
 * it (addons path as of 18.0), so a reviewer can check the signature.
 */
export const CONTRACT_ADDITIONS: ReadonlyArray<{ model: string; method: string; source: string }> = [
  {
    model: 'stock.backorder.confirmation',
    method: 'process_cancel_backorder',
    source: 'addons/stock/wizard/stock_backorder_confirmation.py',
  },
  // Plain ORM calls on models the recorded fields_get dumps do not cover; checked on the real
  // 18.0 and 19.0 servers by the real-Odoo tier (test/real-odoo/sync.test.ts).
  { model: 'account.tax.group', method: 'search_read', source: 'addons/account/models/account_tax.py' },
  { model: 'account.tax.group', method: 'create', source: 'addons/account/models/account_tax.py' },
  { model: 'account.fiscal.position', method: 'search_read', source: 'addons/account/models/partner.py' },
  { model: 'confirm.stock.sms', method: 'dont_send_sms', source: 'addons/stock_sms/wizard/confirm_stock_sms.py' },
  // served by the sandbox for tests that play the Odoo user
  { model: 'confirm.stock.sms', method: 'send_sms', source: 'addons/stock_sms/wizard/confirm_stock_sms.py' },
  { model: 'account.tax.group', method: 'read', source: 'addons/account/models/account_tax.py' },
  { model: 'account.fiscal.position', method: 'create', source: 'addons/account/models/partner.py' },
  { model: 'account.fiscal.position', method: 'read', source: 'addons/account/models/partner.py' },
  // create and read back in one call (order import, issue 11); checked on real 18.0 and 19.0 by
  // test/real-odoo/orders.test.ts
  { model: 'sale.order', method: 'web_save', source: 'addons/web/models/models.py' },
  { model: 'res.partner', method: 'web_save', source: 'addons/web/models/models.py' },
  // order currency and company currency (order import, issue 10)
  { model: 'res.currency', method: 'search_read', source: 'addons/base/models/res_currency.py' },
  { model: 'res.company', method: 'search_read', source: 'addons/base/models/res_company.py' },
  // served by the sandbox for tests that set a shop up as an Odoo admin does (issue 10)
  { model: 'res.country', method: 'create', source: 'addons/base/models/res_country.py' },
  { model: 'res.country.state', method: 'create', source: 'addons/base/models/res_country.py' },
  { model: 'res.country.state', method: 'search', source: 'addons/base/models/res_country.py' },
  { model: 'res.country.state', method: 'read', source: 'addons/base/models/res_country.py' },
  // checked on the real servers by test/real-odoo/order-odoo-side.test.ts
  { model: 'crm.tag', method: 'search_read', source: 'addons/sales_team/models/crm_tag.py' },
  { model: 'crm.tag', method: 'read', source: 'addons/sales_team/models/crm_tag.py' },
  { model: 'crm.tag', method: 'create', source: 'addons/sales_team/models/crm_tag.py' },
  // orderDefaults: names looked up on the real servers by test/real-odoo/order-odoo-side.test.ts
  { model: 'crm.team', method: 'search_read', source: 'addons/sales_team/models/crm_team.py' },
  { model: 'account.payment.term', method: 'search_read', source: 'addons/account/models/account_payment_term.py' },
  { model: 'res.company', method: 'search_read', source: 'addons/base/models/res_company.py' },
  // Magento tier / special prices (catalog master magento), checked on the real servers by
  // test/real-odoo/magento-catalog.test.ts
  { model: 'product.pricelist.item', method: 'search_read', source: 'addons/product/models/product_pricelist_item.py' },
  { model: 'product.pricelist.item', method: 'create', source: 'addons/product/models/product_pricelist_item.py' },
  { model: 'product.pricelist.item', method: 'unlink', source: 'addons/product/models/product_pricelist_item.py' },
  // Magento attribute sets as product tags (catalog master magento), checked on the real servers
  // by test/real-odoo/magento-catalog.test.ts
  { model: 'product.tag', method: 'search_read', source: 'addons/product/models/product_tag.py' },
  { model: 'product.tag', method: 'create', source: 'addons/product/models/product_tag.py' },
  { model: 'product.tag', method: 'write', source: 'addons/product/models/product_tag.py' },
  // A template's extra images (catalog.images). The model comes with the eCommerce app, which the
  // recorded servers and the real-Odoo tier do not install: the catalog asks product.template's
  // fields_get for product_template_image_ids first and makes none of these calls without it
  // (test/real-odoo/product-images.test.ts checks that answer on real 18.0 and 19.0).
  { model: 'product.image', method: 'search_read', source: 'addons/website_sale/models/product_image.py' },
  { model: 'product.image', method: 'create', source: 'addons/website_sale/models/product_image.py' },
  { model: 'product.image', method: 'write', source: 'addons/website_sale/models/product_image.py' },
  { model: 'product.image', method: 'unlink', source: 'addons/website_sale/models/product_image.py' },
];
