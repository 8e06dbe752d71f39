import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CLIENT_ROUTES } from '../../integrations/magento/routes';
import { SCHEMA_CONTRACT } from '../../integrations/magento/schemas';
import { SANDBOX_ROUTES } from '../../sandbox/magento/registry';

/**
 * The client and the sandbox may only use what Magento 2.4.7 really has. The route lists come from
 * the code itself (the client's route table, the sandbox's registry), the truth from the recorded
 * contracts carried in test/contracts (CONTRACTS_DIR overrides where it is).
 */
const CONTRACTS = process.env.CONTRACTS_DIR ?? resolve(__dirname, '../contracts');
const MAGENTO = join(CONTRACTS, 'magento');

interface TsvRoute { method: string; url: string; resources: string }

function readRoutes(): TsvRoute[] {
  const [header, ...rows] = readFileSync(join(MAGENTO, 'routes-2.4.7.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const cols = header!.split('\t');
  const at = (name: string) => {
    const i = cols.indexOf(name);
    assert.ok(i >= 0, `routes-2.4.7.tsv has no "${name}" column`);
    return i;
  };
  const [m, u, r] = [at('http_method'), at('url'), at('resources')];
  return rows.map((row) => {
    const f = row.split('\t');
    return { method: f[m]!, url: f[u]!, resources: f[r]! };
  });
}

const routes = readRoutes();
const known = new Set(routes.map((r) => `${r.method} ${r.url}`));

describe('routes exist in Magento 2.4.7', () => {
  test('the contract file is the full 2.4.7 route list', () => {
    assert.ok(routes.length > 400, `only ${routes.length} routes read`);
  });

  test('every route the client calls', () => {
    const unknown = CLIENT_ROUTES.filter((r) => !known.has(`${r.method} ${r.pattern}`)).map((r) => r.key);
    assert.deepEqual(unknown, []);
    assert.ok(CLIENT_ROUTES.length >= 40);
  });

  test('every route the sandbox serves, with the ACL resource Magento names in its 401', () => {
    for (const route of SANDBOX_ROUTES) {
      const row = routes.find((r) => r.method === route.method && r.url === route.pattern);
      assert.ok(row, `${route.method} ${route.pattern} is not a Magento 2.4.7 route`);
      assert.ok(row.resources.split(/[,\s]+/).includes(route.resource), `${route.method} ${route.pattern}: resource ${route.resource} vs ${row.resources}`);
    }
  });

  test('the sandbox serves every route the client calls, once', () => {
    const served = SANDBOX_ROUTES.map((r) => `${r.method} ${r.pattern}`);
    assert.equal(new Set(served).size, served.length, 'a route is registered twice');
    const missing = CLIENT_ROUTES.filter((r) => !served.includes(r.key)).map((r) => r.key);
    assert.deepEqual(missing, []);
  });
});

describe('schema field names exist in the 2.4.7 data interfaces', () => {
  const fields = JSON.parse(readFileSync(join(MAGENTO, 'fields.json'), 'utf8')) as Record<string, { fields: Array<{ field: string }> }>;
  const extensions = JSON.parse(readFileSync(join(MAGENTO, 'extension-attributes.json'), 'utf8')) as Record<string, Array<{ code: string }>>;

  for (const entry of SCHEMA_CONTRACT) {
    const name = entry.interface ?? `${entry.extensionOf} extension_attributes`;
    test(name, () => {
      const shape = (entry.schema as unknown as { shape?: Record<string, unknown> }).shape;
      assert.ok(shape, `${name}: not an object schema`);
      const keys = Object.keys(shape);
      const allowed = entry.interface
        ? fields[entry.interface]?.fields.map((f) => f.field)
        : extensions[entry.extensionOf!]?.map((e) => e.code);
      assert.ok(allowed, `${name} is not in the contract files`);
      const unknown = keys.filter((k) => !allowed.includes(k));
      assert.deepEqual(unknown, [], `${name}: fields not in the contract`);
    });
  }
});
