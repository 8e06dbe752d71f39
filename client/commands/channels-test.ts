import type { Config } from '../../config/schema';
import { isIntegrationError } from '../../integrations/errors';
import { MagentoClient } from '../../integrations/magento';
import { OdooClient } from '../../integrations/odoo';
import { formatTable } from '../table';

export interface ChannelCheck { channel: string; system: 'magento' | 'odoo'; ok: boolean; detail: string }

/** The plain-words reason for a failed check: what an operator can act on. */
function explain(err: unknown): string {
  if (!isIntegrationError(err)) return (err as Error).message;
  const advice: Partial<Record<string, string>> = {
    auth: 'check the credentials',
    forbidden: 'the integration lacks an ACL resource',
    network: 'the server is unreachable',
    timeout: 'the server did not answer in time',
    not_found: 'check the base URL and store code',
  };
  const hint = advice[err.kind];
  return hint ? `${err.message} (${hint})` : err.message;
}

/**
 * Every existing connector has a "Test connection" button; this is ours. It authenticates against
 * each side and reads one harmless thing, so a wrong secret, database, flavour or ACL shows here
 * and not as the first order's failure.
 */
export async function checkChannels(config: Config, only?: string): Promise<ChannelCheck[]> {
  const channels = config.channels.filter((c) => !only || c.code === only);
  const checks = channels.map(async (channel): Promise<ChannelCheck[]> => {
    const magento = (async (): Promise<ChannelCheck> => {
      try {
        const views = await new MagentoClient(channel.magento).listStoreViews();
        const names = views.map((v) => v.code).join(', ');
        return { channel: channel.code, system: 'magento', ok: true, detail: `${channel.magento.baseUrl} (${channel.magento.auth.mode}): store views ${names}` };
      } catch (err) {
        return { channel: channel.code, system: 'magento', ok: false, detail: explain(err) };
      }
    })();
    const odoo = (async (): Promise<ChannelCheck> => {
      try {
        const { version, identity } = await new OdooClient(channel.odoo).testConnection();
        return {
          channel: channel.code, system: 'odoo', ok: true,
          detail: `${channel.odoo.url} Odoo ${version.version} (${channel.odoo.flavour}), database ${channel.odoo.database}, user ${identity.login}, company ${identity.companyName ?? 'none'}`,
        };
      } catch (err) {
        return { channel: channel.code, system: 'odoo', ok: false, detail: explain(err) };
      }
    })();
    return Promise.all([magento, odoo]);
  });
  return (await Promise.all(checks)).flat();
}

export async function channelsTestCommand(config: Config, args: string[]): Promise<number> {
  const only = args[0];
  if (config.channels.length === 0) {
    console.error('no channels are configured (see README, "Configuration")');
    return 1;
  }
  if (only && !config.channels.some((c) => c.code === only)) {
    console.error(`no channel "${only}"; configured: ${config.channels.map((c) => c.code).join(', ')}`);
    return 1;
  }
  const results = await checkChannels(config, only);
  console.log(formatTable(['CHANNEL', 'SYSTEM', 'STATE', 'DETAIL'], results.map((r) => [r.channel, r.system, r.ok ? 'ok' : 'FAIL', r.detail])));
  return results.every((r) => r.ok) ? 0 : 1;
}
