// The order activities' read scope: inside one activity a repeated Odoo read is answered from
// memory until something is written (or a lock is taken); outside an activity nothing is kept.
// A counting stand-in transport (unit test: no server).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forgetReads, readCachingTransport, withReadScope } from '../../integrations/read-scope';
import type { OdooCall, OdooTransport } from '../../integrations/odoo/transport';

function countingTransport() {
  const calls: string[] = [];
  let state = 'draft';
  const transport: OdooTransport = {
    flavour: 'jsonrpc',
    version: async () => ({ version: '18.0', major: 18 }),
    uid: async () => 2,
    async call(call: OdooCall) {
      calls.push(`${call.model}.${call.method}`);
      if (call.method === 'action_confirm') state = 'sale';
      return [{ id: 7, state, lines: [1, 2] }];
    },
  };
  return { calls, transport: readCachingTransport(transport) };
}

const read = (t: OdooTransport) => t.call({ model: 'sale.order', method: 'read', ids: [7], kwargs: { fields: ['state'] } }) as Promise<Array<{ state: string; lines: number[] }>>;

describe('order activity read scope', () => {
  test('a repeated read inside one activity is one call; a write forgets it; the next activity reads again', async () => {
    const { calls, transport } = countingTransport();
    const acts = withReadScope({
      async step() {
        const a = await read(transport);
        const b = await read(transport);
        b[0]!.lines.push(99); // a caller changing its copy changes nothing remembered
        const c = await read(transport);
        await transport.call({ model: 'sale.order', method: 'action_confirm', ids: [7] });
        const d = await read(transport);
        return [a[0]!.state, c[0]!.lines.length, d[0]!.state];
      },
    });
    assert.deepEqual(await acts.step(), ['draft', 2, 'sale']);
    assert.deepEqual(calls, ['sale.order.read', 'sale.order.action_confirm', 'sale.order.read']);
    await acts.step();
    assert.equal(calls.filter((c) => c === 'sale.order.read').length, 4, 'a new activity starts with nothing remembered');
  });

  test('different arguments are different reads; a lock (forgetReads) forgets', async () => {
    const { calls, transport } = countingTransport();
    const acts = withReadScope({
      async step() {
        await read(transport);
        await transport.call({ model: 'sale.order', method: 'read', ids: [8], kwargs: { fields: ['state'] } });
        forgetReads();
        await read(transport);
      },
    });
    await acts.step();
    assert.equal(calls.length, 3);
  });

  test('outside an activity every read goes to Odoo', async () => {
    const { calls, transport } = countingTransport();
    await read(transport);
    await read(transport);
    assert.equal(calls.length, 2);
  });
});
