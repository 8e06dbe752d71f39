import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Product } from '../../integrations/magento';
import { plainText, templateValues, variantPricing } from '../../activities/sync/magento-catalog-values';
import { adobeTarget } from '../../client/adobe-events';
import { imageType } from '../../activities/sync/product-images';

test('variant prices: lowest as the template price, extras per value of the attribute that explains them, or a note', () => {
  assert.deepEqual(variantPricing([{ price: 20, valueIds: [1, 10] }, { price: 20, valueIds: [2, 10] }]), { base: 20, extras: new Map() });
  // size explains it (attribute 2: 10 → +0, 11 → +2.50); colour does not
  const sized = variantPricing([
    { price: 20, valueIds: [1, 10] }, { price: 22.5, valueIds: [1, 11] }, { price: 20, valueIds: [2, 10] }, { price: 22.5, valueIds: [2, 11] },
  ]);
  assert.deepEqual(sized, { base: 20, extras: new Map([[11, 2.5]]) });
  // cents stay exact (0.1 + 0.2 style sums are not used)
  assert.deepEqual(variantPricing([{ price: 19.99, valueIds: [1] }, { price: 20.09, valueIds: [2] }]).extras, new Map([[2, 0.1]]));
  const odd = variantPricing([{ price: 20, valueIds: [1, 10] }, { price: 25, valueIds: [1, 11] }, { price: 21, valueIds: [2, 10] }, { price: 20, valueIds: [2, 11] }]);
  assert.equal(odd.base, 20);
  assert.match(odd.note ?? '', /cannot express/);
});

test('template values: price, weight, HTML description, short description as text, first mapped category, status → active', () => {
  const product = {
    sku: 'LAMP', name: ' Lamp ', price: '39.90', weight: '1.75', status: 2, type_id: 'simple',
    extension_attributes: { category_links: [{ category_id: '7' }, { category_id: '9' }] },
    custom_attributes: [{ attribute_code: 'description', value: '<p>A <b>bright</b> lamp</p>' }, { attribute_code: 'short_description', value: '<p>Bright &amp; warm</p>' }],
  } as unknown as Product;
  assert.deepEqual(templateValues(product, new Map([[9, 90]]), 1), {
    name: 'Lamp', list_price: 39.9, weight: 1.75, description: '<p>A <b>bright</b> lamp</p>', description_sale: 'Bright & warm', categ_id: 90, active: false,
  });
  assert.equal(templateValues({ ...product, name: '', custom_attributes: [] } as Product, new Map(), 1).name, 'LAMP');
  assert.equal(templateValues({ ...product, custom_attributes: [] } as Product, new Map(), 1).categ_id, 1, 'unmapped categories: the root');
  assert.equal(plainText('one<br/>two'), 'one\ntwo');
});

test('Adobe event names map to orders and products; anything else is ignored with the reason', () => {
  assert.deepEqual(adobeTarget('com.adobe.commerce.observer.sales_order_save_after', { increment_id: '000000042', status: 'processing' }), { kind: 'order', incrementId: '000000042', status: 'processing' });
  assert.deepEqual(adobeTarget('plugin.magento.sales.api.order_management.place', { increment_id: 42 }), { kind: 'order', incrementId: '42' });
  assert.deepEqual(adobeTarget('com.adobe.commerce.observer.catalog_product_save_after', { sku: 'LAMP' }), { kind: 'product', sku: 'LAMP' });
  assert.equal(adobeTarget('observer.sales_order_save_after', {}).kind, 'ignored');
  assert.match((adobeTarget('observer.customer_save_after', { email: 'x' }) as { why: string }).why, /not an order or product event/);
});

test('image types by their first bytes', () => {
  assert.equal(imageType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))?.mime, 'image/png');
  assert.equal(imageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))?.ext, 'jpg');
  assert.equal(imageType(Buffer.from('GIF89a....'))?.mime, 'image/gif');
  assert.equal(imageType(Buffer.from('<svg/>')), null);
});
