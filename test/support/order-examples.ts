import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** the recorded Magento 2.4.7 order bodies in test/contracts (CONTRACTS_DIR to read another copy) */
const ORDER_EXAMPLES = join(process.env.CONTRACTS_DIR ?? join(__dirname, '..', 'contracts'), 'magento', 'order-examples');

/** one recorded order body, exactly as `GET /V1/orders/:id` answered */
export function recordedOrder(file: string): unknown {
  return JSON.parse(readFileSync(join(ORDER_EXAMPLES, file), 'utf8'));
}
