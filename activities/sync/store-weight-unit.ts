import { ApplicationFailure } from '@temporalio/common';
import type { ChannelConfig } from '../../config/schema';
import type { MagentoClient } from '../../integrations/magento';
import { kilogramsPer } from './magento-catalog-values';

/**
 * kg per unit of the weight unit of the channel's store view (else the first): Magento keeps
 * weights in lbs or kgs (Stores › Configuration › General › Locale Options), Odoo in kg. Any
 * other answer stops the run: guessing would put wrong weights on every product.
 */
export async function storeKgPerUnit(channel: ChannelConfig, magento: MagentoClient): Promise<number> {
  const configs = await magento.stores.configs();
  const config = configs.find((c) => c.code === channel.magento.storeCode) ?? configs[0];
  const unit = config?.weight_unit ?? '';
  const factor = kilogramsPer(unit);
  if (factor === null) {
    throw ApplicationFailure.nonRetryable(
      `channel "${channel.code}": Magento store view "${config?.code ?? channel.magento.storeCode}" has weight unit "${unit}", neither lbs nor kgs`,
      'UnknownWeightUnit',
    );
  }
  return factor;
}
