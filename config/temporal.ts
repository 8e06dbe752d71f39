import { readFileSync } from 'node:fs';
import type { Config } from './schema';

/** The same connection settings for the worker (NativeConnection) and the CLI (Connection). */
export function temporalConnectionOptions(temporal: Config['temporal']) {
  const { tls } = temporal;
  const read = (file?: string) => (file ? readFileSync(file) : undefined);
  const useTls = tls.enabled || Boolean(tls.caFile || tls.certFile) || temporal.apiKey !== undefined;
  return {
    address: temporal.address,
    apiKey: temporal.apiKey?.reveal(),
    tls: useTls
      ? {
          serverNameOverride: tls.serverName,
          serverRootCACertificate: read(tls.caFile),
          clientCertPair: tls.certFile && tls.keyFile ? { crt: read(tls.certFile)!, key: read(tls.keyFile)! } : undefined,
        }
      : undefined,
  };
}
