import { MagentoSchema, type MagentoConfig } from '../../config/schema';
import { createMagentoClient, type MagentoClient } from '../../integrations/magento/client';
import { startMagentoSandbox, type MagentoSandbox, type MagentoSandboxOptions } from '../../sandbox/magento/server';

/** A sandbox on 127.0.0.1:<free port> and a client configured for it, as the connector would be. */
export async function startHarness(options: MagentoSandboxOptions = {}, auth: 'oauth1' | 'bearer' = 'oauth1', timeoutMs = 5000): Promise<{ sandbox: MagentoSandbox; client: MagentoClient; config: MagentoConfig }> {
  const sandbox = await startMagentoSandbox({ host: '127.0.0.1', port: 0, ...options });
  const config = configFor(sandbox, auth, timeoutMs);
  return { sandbox, client: createMagentoClient(config), config };
}

export function configFor(sandbox: MagentoSandbox, auth: 'oauth1' | 'bearer', timeoutMs = 5000, overrides: Partial<Record<'consumerSecret' | 'accessToken' | 'baseUrl', string>> = {}): MagentoConfig {
  const c = sandbox.credentials;
  return MagentoSchema.parse({
    baseUrl: overrides.baseUrl ?? sandbox.url,
    timeoutMs,
    // These tests look at how one answer is classified: no retry inside the client.
    retry: { attempts: 1 },
    auth:
      auth === 'oauth1'
        ? {
            mode: 'oauth1',
            consumerKey: c.consumerKey,
            consumerSecret: overrides.consumerSecret ?? c.consumerSecret,
            accessToken: overrides.accessToken ?? c.accessToken,
            accessTokenSecret: c.accessTokenSecret,
          }
        : { mode: 'bearer', accessToken: overrides.accessToken ?? c.accessToken },
  });
}

/** Resolves to the error a promise rejects with (fails when it resolves). */
export async function rejection<T = Error>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (err) {
    return err as T;
  }
  throw new Error('expected the call to fail');
}
