import type { ChannelConfig, Config } from '../config/schema';
import { MagentoClient } from './magento';
import { createOdooTransport, OdooClient } from './odoo';
import { readCachingAxios, readCachingTransport } from './read-scope';

export interface ChannelClients { channel: ChannelConfig; magento: MagentoClient; odoo: OdooClient }

/**
 * One Magento and one Odoo client per channel for the life of the worker: the Odoo JSON-RPC
 * transport authenticates once and reuses its uid, which only pays off if the client is reused.
 */
export function createChannelClients(config: Config) {
  const cache = new Map<string, ChannelClients>();
  return (code: string): ChannelClients => {
    let clients = cache.get(code);
    if (!clients) {
      const channel = config.channels.find((c) => c.code === code);
      // A workflow for a channel that was removed from the config: ops must see it, not a retry loop.
      if (!channel) throw new UnknownChannelError(code, config.channels.map((c) => c.code));
      // Inside an order activity, repeated reads are answered from its read scope (integrations/read-scope.ts).
      clients = {
        channel,
        magento: new MagentoClient(channel.magento, { axiosInstance: readCachingAxios(channel.magento) }),
        odoo: new OdooClient(channel.odoo, readCachingTransport(createOdooTransport(channel.odoo))),
      };
      cache.set(code, clients);
    }
    return clients;
  };
}

export type ClientsFor = ReturnType<typeof createChannelClients>;

export class UnknownChannelError extends Error {
  constructor(code: string, known: string[]) {
    super(`channel "${code}" is not configured (configured: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownChannelError';
  }
}
