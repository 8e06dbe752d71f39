import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigSchema, type Config } from './schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// m2o.config.json is the operator's; .data/dev-stack.json is what a running `npm start` wrote, so
// the CLI in a second terminal finds the embedded database and the sandboxes without setup.
export const DEV_STACK_FILE = '.data/dev-stack.json';
const DEFAULT_FILES = ['m2o.config.json', DEV_STACK_FILE];

/**
 * Reads the configuration once, at process start: an optional JSON file (M2O_CONFIG, else the
 * first of DEFAULT_FILES that exists), then environment variables on top. Any string in the file
 * written as "env:NAME" is replaced by that environment variable, so the file can be committed
 * to a deployment repo without a single secret in it.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd(), options: { devStack?: boolean } = {}): Config {
  const problems: string[] = [];
  let raw: Record<string, Json> = {};

  const explicitFile = env.M2O_CONFIG;
  const file = explicitFile
    ? resolve(cwd, explicitFile)
    : DEFAULT_FILES.filter((name) => options.devStack !== false || name !== DEV_STACK_FILE)
        .map((name) => resolve(cwd, name))
        .find((path) => existsSync(path));
  if (file) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('the top level must be a JSON object');
      }
      raw = parsed as Record<string, Json>;
    } catch (err) {
      throw new ConfigError([`config file ${explicitFile ?? file}: ${(err as Error).message}`]);
    }
  }

  raw = substituteEnvReferences(raw, env, [], problems) as Record<string, Json>;
  applyEnvOverrides(raw, env);
  if (problems.length > 0) throw new ConfigError(problems);

  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`),
    );
  }
  return result.data;
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function substituteEnvReferences(value: Json, env: Env, path: PropertyKey[], problems: string[]): Json {
  if (typeof value === 'string' && value.startsWith('env:')) {
    const name = value.slice(4);
    const found = env[name];
    if (found === undefined || found === '') {
      problems.push(`${formatPath(path)}: environment variable ${name} is not set`);
      return value;
    }
    return found;
  }
  if (Array.isArray(value)) {
    return value.map((item, i) => substituteEnvReferences(item, env, [...path, i], problems));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substituteEnvReferences(v, env, [...path, k], problems)]),
    );
  }
  return value;
}

function section(raw: Record<string, Json>, key: string): Record<string, Json> {
  const existing = raw[key];
  if (existing && typeof existing === 'object' && !Array.isArray(existing)) return existing;
  const created: Record<string, Json> = {};
  raw[key] = created;
  return created;
}

function setIfPresent(target: Record<string, Json>, key: string, value: string | undefined, as: 'string' | 'number' | 'boolean' = 'string'): void {
  if (value === undefined || value === '') return;
  if (as === 'number') target[key] = Number(value);
  else if (as === 'boolean') target[key] = ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
  else target[key] = value;
}

/** The variables Temporal's own tools use, plus DATABASE_URL and a one-channel shorthand. */
function applyEnvOverrides(raw: Record<string, Json>, env: Env): void {
  const temporal = section(raw, 'temporal');
  setIfPresent(temporal, 'address', env.TEMPORAL_ADDRESS);
  setIfPresent(temporal, 'namespace', env.TEMPORAL_NAMESPACE);
  setIfPresent(temporal, 'apiKey', env.TEMPORAL_API_KEY);
  const tls = section(temporal, 'tls');
  setIfPresent(tls, 'enabled', env.TEMPORAL_TLS, 'boolean');
  setIfPresent(tls, 'serverName', env.TEMPORAL_TLS_SERVER_NAME);
  setIfPresent(tls, 'caFile', env.TEMPORAL_TLS_CA_CERT_PATH ?? env.TEMPORAL_TLS_CA);
  setIfPresent(tls, 'certFile', env.TEMPORAL_TLS_CLIENT_CERT_PATH ?? env.TEMPORAL_TLS_CERT);
  setIfPresent(tls, 'keyFile', env.TEMPORAL_TLS_CLIENT_KEY_PATH ?? env.TEMPORAL_TLS_KEY);

  setIfPresent(section(raw, 'database'), 'url', env.DATABASE_URL);
  setIfPresent(section(raw, 'history'), 'retentionDays', env.HISTORY_RETENTION_DAYS, 'number');
  const gateway = section(raw, 'gateway');
  setIfPresent(gateway, 'host', env.GATEWAY_HOST);
  setIfPresent(gateway, 'port', env.GATEWAY_PORT, 'number');
  const ops = section(raw, 'ops');
  setIfPresent(ops, 'token', env.OPS_TOKEN);
  setIfPresent(ops, 'temporalUiUrl', env.TEMPORAL_UI_URL);

  // A single channel from plain variables (docker-compose, twelve-factor hosts). A config file
  // is the way to run several.
  if (env.MAGENTO_BASE_URL) {
    const channels = Array.isArray(raw.channels) ? raw.channels : [];
    const code = env.CHANNEL_CODE ?? 'default';
    const auth: Record<string, Json> = env.MAGENTO_CONSUMER_KEY
      ? {
          mode: 'oauth1',
          consumerKey: env.MAGENTO_CONSUMER_KEY,
          consumerSecret: env.MAGENTO_CONSUMER_SECRET ?? '',
          accessToken: env.MAGENTO_ACCESS_TOKEN ?? '',
          accessTokenSecret: env.MAGENTO_ACCESS_TOKEN_SECRET ?? '',
        }
      : { mode: 'bearer', accessToken: env.MAGENTO_ACCESS_TOKEN ?? '' };
    const magento: Record<string, Json> = { baseUrl: env.MAGENTO_BASE_URL, auth };
    setIfPresent(magento, 'storeCode', env.MAGENTO_STORE_CODE);
    const odoo: Record<string, Json> = {};
    setIfPresent(odoo, 'url', env.ODOO_URL);
    setIfPresent(odoo, 'database', env.ODOO_DATABASE);
    setIfPresent(odoo, 'login', env.ODOO_LOGIN);
    setIfPresent(odoo, 'apiKey', env.ODOO_API_KEY);
    setIfPresent(odoo, 'flavour', env.ODOO_API_FLAVOUR);
    const webhooks: Record<string, Json> = {};
    setIfPresent(webhooks, 'odooToken', env.ODOO_WEBHOOK_TOKEN);
    setIfPresent(webhooks, 'signingSecret', env.WEBHOOK_SIGNING_SECRET);
    raw.channels = [...channels.filter((c) => !(c && typeof c === 'object' && !Array.isArray(c) && c.code === code)), { code, magento, odoo, webhooks }];
  }
}
