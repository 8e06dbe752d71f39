import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { merge, splitName } from '../../activities/sync/contacts';

describe('three-way merge of contact fields (Odoo, Magento, last agreed)', () => {
  const base = { street: 'Hauptstraße 1', city: 'Berlin', phone: '+49 30 1', country_id: 57 };

  test('only Odoo changed: pushed; only Magento changed: left to the customers stream', () => {
    const odoo = { ...base, phone: '+49 30 9' };
    const magento = { ...base, city: 'Potsdam' };
    assert.deepEqual(merge(Object.keys(base), odoo, magento, base), { push: ['phone'], conflicts: [] });
  });

  test('both changed the same field differently: a conflict, not a push', () => {
    assert.deepEqual(merge(['city'], { city: 'Altona' }, { city: 'Lübeck' }, base), { push: [], conflicts: ['city'] });
  });

  test('both changed it to the same value, or case and blanks only: nothing to do', () => {
    assert.deepEqual(merge(['city'], { city: 'Potsdam' }, { city: 'potsdam ' }, base), { push: [], conflicts: [] });
  });

  test('a many2one read as [id, name] compares by id; empty and false are the same', () => {
    assert.deepEqual(merge(['country_id', 'street'], { country_id: 57, street: false }, { country_id: 57, street: '' }, { country_id: 57, street: '' }), { push: [], conflicts: [] });
  });
});

describe('splitName', () => {
  test('the last word is the last name', () => {
    assert.deepEqual(splitName('  Mary  Ann Smith '), { firstname: 'Mary Ann', lastname: 'Smith' });
  });
  test('one word is not enough for Magento', () => {
    assert.equal(splitName('Cher'), null);
    assert.equal(splitName('   '), null);
  });
});
