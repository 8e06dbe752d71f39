import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/**
 * Lint and format checks, run by `npm test` after the typecheck (so by CI) and by `npm run lint`:
 *   ESLint over the whole project (eslint.config.mjs: typescript-eslint, no-floating-promises);
 *   Prettier over FORMATTED only. The rest of the code predates Prettier and is formatted by
 *   hand; reformatting it all at once would collide with every branch in flight. Add a file here
 *   once it is formatted (`npm run lint -- --fix` formats the listed ones).
 */
const ROOT = resolve(__dirname, '..');

export const FORMATTED = [
  'bench/sandbox-process.ts',
  'bench/sandbox-child.ts',
  'activities/orders/document-markers.ts',
  'activities/orders/fulfilOrder.ts',
  'activities/orders/shipped-check.ts',
  'integrations/odoo/reference.ts',
  'integrations/odoo/accounting.ts',
  'integrations/odoo/deliveries.ts',
  'integrations/odoo/order-addresses.ts',
  'integrations/odoo/parse-answer.ts',
  'integrations/odoo/partners.ts',
  'integrations/odoo/pricelists.ts',
  'integrations/odoo/product-skus.ts',
  'integrations/odoo/sale-lines.ts',
  'integrations/odoo/taxes.ts',
  'activities/orders/refund-plan.ts',
  'test/unit/refund-plan.test.ts',
  'test/support/round-stub.ts',
  'test/unit/odoo-reference.test.ts',
  'workflows/order-run.ts',
  '.prettierrc.json',
  'eslint.config.mjs',
  'scripts/lint.ts',
  'client/ops-page.ts',
  'client/ops-page-assets.ts',
  'client/ops-snapshot.ts',
  'test/integration/npm-start.test.ts',
  'test/integration/ops-page.test.ts',
  'test/integration/order-ui-cancel.test.ts',
  'test/unit/cli-usage.test.ts',
  'test/unit/docker-compose.test.ts',
  'test/support/activity-failure.ts',
  'activities/sync/stock-targets.ts',
  'test/integration/stock-warehouses.test.ts',
  'test/real-odoo/stock-warehouses.test.ts',
  'test/real-odoo/product-images.test.ts',
  'activities/sync/magento-prices.ts',
  'activities/sync/pricelist-items.ts',
  'test/unit/magento-prices.test.ts',
  'test/integration/magento-prices.test.ts',
  'activities/sync/store-weight-unit.ts',
  'test/integration/catalog-weight-unit.test.ts',
  'activities/sync/magento-attribute-sets.ts',
  'activities/sync/magento-product-types.ts',
  'test/unit/magento-product-types.test.ts',
  'integrations/odoo/product-images.ts',
  'activities/sync/image-files.ts',
  'activities/sync/product-extra-images.ts',
  'sandbox/odoo/models/website-sale.ts',
  'test/integration/product-extra-images.test.ts',
  'integrations/odoo/answers.ts',
  'integrations/odoo/catalog.ts',
  'integrations/odoo/inventory.ts',
  'integrations/odoo/pricelist-items.ts',
  'integrations/odoo/product-attributes.ts',
  'integrations/odoo/product-tags.ts',
  'test/unit/catalog-stock-mappers.test.ts',
  'integrations/odoo/write-date-pages.ts',
  'test/unit/write-date-pages.test.ts',
  'test/unit/adapter-boundary.test.ts',
  'test/unit/order-company-taxes.test.ts',
  'test/real-odoo/multi-company.test.ts',
];

function bin(name: string): string {
  return join(ROOT, 'node_modules', '.bin', name);
}

/** Runs both; returns the lines to print and whether both passed. */
export function runLint(options: { fix?: boolean } = {}): { ok: boolean; output: string } {
  const eslint = spawnSync(bin('eslint'), ['--max-warnings', '0', ...(options.fix ? ['--fix'] : []), '.'], { cwd: ROOT, encoding: 'utf8' });
  const prettier = spawnSync(bin('prettier'), [options.fix ? '--write' : '--check', '--log-level', 'warn', ...FORMATTED], { cwd: ROOT, encoding: 'utf8' });
  const output = [eslint.stdout, eslint.stderr, prettier.stdout, prettier.stderr]
    .map((s) => (s ?? '').trim())
    .filter(Boolean)
    .join('\n');
  return { ok: eslint.status === 0 && prettier.status === 0, output };
}

if (require.main === module) {
  const { ok, output } = runLint({ fix: process.argv.includes('--fix') });
  if (output) console.log(output);
  console.log(ok ? '[lint] ESLint and Prettier: clean' : '[lint] ESLint or Prettier found problems (see above)');
  process.exit(ok ? 0 : 1);
}
