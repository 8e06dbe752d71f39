import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { attributeSetTagName, setTagChange } from '../../activities/sync/magento-attribute-sets';
import { odooShapeOf } from '../../activities/sync/magento-product-types';

describe('Magento product types and attribute sets in Odoo (catalog master magento)', () => {
  test('each Magento type has its Odoo shape; grouped, bundle and unknown types are skipped with a reason', () => {
    assert.deepEqual(
      ['configurable', 'simple', 'virtual', 'downloadable'].map((t) => odooShapeOf(t).kind),
      ['variants', 'goods', 'service', 'service'],
    );
    for (const type of ['grouped', 'bundle', 'giftcard', null]) {
      const shape = odooShapeOf(type);
      assert.equal(shape.kind, 'skip', String(type));
      assert.ok(shape.kind === 'skip' && shape.reason.length > 20);
    }
    assert.match((odooShapeOf('bundle') as { reason: string }).reason, /mrp/);
    assert.match((odooShapeOf('giftcard') as { reason: string }).reason, /"giftcard"/);
  });

  test("a template's set tag is linked and the channel's other set tags unlinked; a set without a tag changes nothing", () => {
    const tags = new Map([
      [4, 11],
      [9, 12],
      [10, 13],
    ]);
    assert.deepEqual(setTagChange(tags, 9), { link: [12], unlink: [11, 13] });
    assert.deepEqual(setTagChange(tags, '4'), { link: [11], unlink: [12, 13] }, 'set ids arrive as strings or numbers');
    assert.deepEqual(setTagChange(tags, 99), { link: [], unlink: [] }, 'a set without a tag this run: the tags are left as they are');
    const shared = new Map([
      [4, 11],
      [5, 11],
      [9, 12],
    ]);
    assert.deepEqual(setTagChange(shared, 9), { link: [12], unlink: [11] }, 'two sets with one tag: unlinked once');
    assert.equal(attributeSetTagName('Default'), 'Magento set: Default');
  });
});
