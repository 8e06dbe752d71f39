import { ChannelSchema, type ChannelConfig } from '../config/schema';
import { startMagentoSandbox, type MagentoSandbox, type MagentoSandboxOptions } from './magento';
import { startOdooSandbox, type OdooSandbox, type OdooSandboxOptions } from './odoo/server';

export interface DemoStack {
  magento: MagentoSandbox;
  odoo: OdooSandbox;
  /** a channel wired to both sandboxes, parsed by the real schema */
  channel: ChannelConfig;
  stop(): Promise<void>;
}

export interface DemoStackOptions {
  code?: string;
  magento?: MagentoSandboxOptions;
  odoo?: OdooSandboxOptions;
  /** jsonrpc talks to an 18.0 sandbox, json2 to a 19.0 one */
  flavour?: 'jsonrpc' | 'json2';
  /** extra channel settings (orders, sync, webhooks) */
  channel?: Record<string, unknown>;
}

/** The Magento and Odoo sandboxes of one demo shop, sharing one demo world, and their channel. */
export async function startDemoStack(options: DemoStackOptions = {}): Promise<DemoStack> {
  const flavour = options.flavour ?? 'jsonrpc';
  const [magento, odoo] = await Promise.all([
    startMagentoSandbox(options.magento),
    startOdooSandbox({ version: flavour === 'json2' ? 19 : 18, ...options.odoo }),
  ]);
  const channel = demoChannel(options, sandboxEndpoints(magento, odoo));
  return {
    magento, odoo, channel,
    async stop() {
      await Promise.all([magento.close(), odoo.close()]);
    },
  };
}

/** every request to both sandboxes answered `ms` later (benchmarks with API latency); 0 adds none */
export function withLatency(stack: Pick<DemoStack, 'magento' | 'odoo'>, ms: number): void {
  if (ms <= 0) return;
  stack.magento.faults.set([{ route: '*', latencyMs: ms }]);
  stack.odoo.faults.set([{ route: '*', latencyMs: ms }]);
}

/** where a channel reaches the two sandboxes, and with which credentials (plain values) */
export interface SandboxEndpoints {
  magento: { url: string; credentials: MagentoSandbox['credentials'] };
  odoo: Pick<OdooSandbox, 'url' | 'database' | 'login' | 'apiKey'>;
}

export function sandboxEndpoints(magento: MagentoSandbox, odoo: OdooSandbox): SandboxEndpoints {
  return { magento: { url: magento.url, credentials: magento.credentials }, odoo: { url: odoo.url, database: odoo.database, login: odoo.login, apiKey: odoo.apiKey } };
}

/** the demo channel of these options wired to these sandboxes, parsed by the real schema */
export function demoChannel(options: DemoStackOptions, { magento, odoo }: SandboxEndpoints): ChannelConfig {
  const { consumerKey, consumerSecret, accessToken, accessTokenSecret } = magento.credentials;
  return ChannelSchema.parse({
    code: options.code ?? 'demo',
    magento: { baseUrl: magento.url, storeCode: 'default', timeoutMs: 5000, auth: { mode: 'oauth1', consumerKey, consumerSecret, accessToken, accessTokenSecret } },
    odoo: { url: odoo.url, database: odoo.database, login: odoo.login, apiKey: odoo.apiKey, flavour: options.flavour ?? 'jsonrpc', timeoutMs: 5000 },
    ...options.channel,
  });
}
