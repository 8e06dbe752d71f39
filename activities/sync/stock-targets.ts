import { ApplicationFailure } from '@temporalio/common';
import type { ChannelConfig } from '../../config/schema';
import { IntegrationError } from '../../integrations/errors';
import type { MagentoClient } from '../../integrations/magento';

/** One MSI source and the Odoo warehouse (code) whose quantities it receives. */
export interface StockTarget {
  warehouse: string;
  sourceCode: string;
  /** the config key that put it there, for error messages */
  field: string;
}

/**
 * Where the stock stream writes: for an MSI channel whose websites are mapped to warehouses
 * (orderDefaults.websites.<code>.warehouse), each mapped warehouse feeds the source of the stock
 * that website sells from (Magento's stock resolver, then the stock's sources). A stock with
 * several sources takes the warehouse's quantities on the source whose code is the warehouse
 * code (case aside); the rest of its sources are left to whoever fills them. The channel's own
 * pair (inventory.warehouse → inventory.sourceCode) still applies to its source unless a mapping
 * claimed that source. No website mapping, or a legacy channel: exactly that one pair, as always.
 *
 * Store view mappings are not used here: MSI sells per website, not per store view.
 */
export async function stockTargets(channel: ChannelConfig, magento: MagentoClient): Promise<StockTarget[]> {
  const fallback: StockTarget = { warehouse: channel.inventory.warehouse, sourceCode: channel.inventory.sourceCode, field: 'inventory.warehouse' };
  const mapped = Object.entries(channel.orderDefaults.websites).filter(([, value]) => value.warehouse !== undefined);
  if (channel.inventory.target !== 'msi' || mapped.length === 0) return [fallback];

  const targets: StockTarget[] = [];
  for (const [website, value] of mapped.sort(([a], [b]) => a.localeCompare(b))) {
    const field = `orderDefaults.websites.${website}.warehouse`;
    const warehouse = value.warehouse!;
    const sourceCode = await sourceOfWebsite(channel, magento, website, warehouse, field);
    const claimed = targets.find((t) => t.sourceCode === sourceCode);
    if (claimed && claimed.warehouse !== warehouse) {
      throw configError(
        channel,
        `${field} ("${warehouse}") and ${claimed.field} ("${claimed.warehouse}") both feed the Magento source "${sourceCode}"; one source can hold one warehouse's quantities: give the websites their own sources, or map them to the same warehouse`,
      );
    }
    if (!claimed) targets.push({ warehouse, sourceCode, field });
  }
  if (!targets.some((t) => t.sourceCode === fallback.sourceCode)) targets.push(fallback);
  return targets;
}

async function sourceOfWebsite(channel: ChannelConfig, magento: MagentoClient, website: string, warehouse: string, field: string): Promise<string> {
  let stockId: number;
  try {
    stockId = (await magento.stock.stockOfWebsite(website)).stock_id;
  } catch (err) {
    if (err instanceof IntegrationError && err.kind === 'not_found') {
      throw configError(
        channel,
        `${field}: Magento website "${website}" sells from no stock (${err.message}); assign it to a stock in Stores › Inventory › Stocks, or remove the mapping`,
      );
    }
    throw err;
  }
  const sources = await magento.stock.sourcesOfStock(stockId);
  if (sources.length === 1) return sources[0]!.source_code;
  const named = sources.find((s) => s.source_code.toLowerCase() === warehouse.toLowerCase());
  if (named) return named.source_code;
  const codes = sources.map((s) => `"${s.source_code}"`).join(', ') || 'none';
  throw configError(
    channel,
    `${field}: the stock ${stockId} of Magento website "${website}" has the sources ${codes}, and none is named after warehouse "${warehouse}"; link one source, or name the source for this warehouse "${warehouse.toLowerCase()}"`,
  );
}

function configError(channel: ChannelConfig, message: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`channel "${channel.code}": ${message}`, 'StockTargetConfig');
}
