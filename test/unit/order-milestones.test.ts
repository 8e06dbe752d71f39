import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AccountMove } from '../../integrations/odoo';
import { milestoneComment, reachedMilestones } from '../../activities/orders/order-milestones';

const invoice = (over: Partial<AccountMove>): AccountMove => ({
  id: 1, name: 'INV/2026/00001', state: 'posted', move_type: 'out_invoice', amount_total: 10, amount_residual: 10, payment_state: 'not_paid', invoice_origin: 'S1', ref: false, reversed_entry_id: false, ...over,
});

test('milestones follow the Odoo order states', () => {
  assert.deepEqual(reachedMilestones({ state: 'draft', delivery_status: false, invoice_status: 'no' }, []), []);
  assert.deepEqual(reachedMilestones({ state: 'sale', delivery_status: 'partial', invoice_status: 'to invoice' }, []), ['confirmed']);
  assert.deepEqual(reachedMilestones({ state: 'sale', delivery_status: 'full', invoice_status: 'to invoice' }, []), ['confirmed', 'delivered']);
  // invoiced only once Odoo says nothing is left to invoice and a posted invoice exists
  assert.deepEqual(reachedMilestones({ state: 'sale', delivery_status: 'full', invoice_status: 'invoiced' }, [invoice({ state: 'draft' })]), ['confirmed', 'delivered']);
  assert.deepEqual(reachedMilestones({ state: 'sale', delivery_status: 'full', invoice_status: 'invoiced' }, [invoice({})]), ['confirmed', 'delivered', 'invoiced']);
  assert.deepEqual(
    reachedMilestones({ state: 'sale', delivery_status: 'pending', invoice_status: 'invoiced' }, [invoice({ payment_state: 'in_payment' }), invoice({ id: 2, move_type: 'out_refund', payment_state: 'not_paid' })]),
    ['confirmed', 'invoiced', 'paid'],
  );
  assert.deepEqual(reachedMilestones({ state: 'sale', delivery_status: 'full', invoice_status: 'invoiced' }, [invoice({ payment_state: 'paid' }), invoice({ id: 2, payment_state: 'partial' })]), ['confirmed', 'delivered', 'invoiced']);
  assert.deepEqual(reachedMilestones({ state: 'cancel', delivery_status: 'full', invoice_status: 'invoiced' }, [invoice({})]), ['cancelled']);
});

test('a milestone comment names the Odoo order and carries its marker', () => {
  assert.equal(milestoneComment('invoiced', 'S00012', ['INV/1', 'INV/2']), 'Odoo S00012: fully invoiced (INV/1, INV/2) [odoo:invoiced]');
  assert.equal(milestoneComment('cancelled', 'S00012', []), 'Odoo S00012: cancelled in Odoo [odoo:cancelled]');
});
