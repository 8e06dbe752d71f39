import { ConfigError, loadConfig } from '../config/load';
import type { Config } from '../config/schema';
import { statusCommand } from './commands/status';
import { channelsTestCommand } from './commands/channels-test';
import { ordersCommand, USAGE as ORDERS_USAGE } from './commands/orders';
import { mappingsCommand, USAGE as MAPPINGS_USAGE } from './commands/mappings';
import { schedulesCommand, USAGE as SCHEDULES_USAGE } from './commands/schedules';
import { syncCommand, USAGE as SYNC_USAGE } from './commands/sync';
import { UnknownChannelError } from './channel-option';

interface Command {
  summary: string;
  usage: string;
  /** the command's own usage text, shown after a usage error (default: `usage`) */
  help?: string;
  run(config: Config, args: string[]): Promise<number>;
}

// Each command is a module of its own; this table is the whole routing.
const COMMANDS: Record<string, Command> = {
  status: {
    summary: 'check the Temporal connection, the worker queues and the store',
    usage: 'status',
    run: (config) => statusCommand(config),
  },
  channels: {
    summary: 'test connection: authenticate to each Magento and Odoo and read one harmless thing',
    usage: 'channels test [channel]',
    run: async (config, args) => {
      if (args[0] !== 'test') {
        console.error('usage: channels test [channel]');
        return 64;
      }
      return channelsTestCommand(config, args.slice(1));
    },
  },
  orders: {
    summary: 'import, status, cancel --reason, retry, list [--needs-attention]',
    usage: 'orders <sub> [id] [...]',
    help: ORDERS_USAGE,
    run: (config, args) => ordersCommand(config, args),
  },
  mappings: {
    summary: 'carriers, payment methods, taxes, websites, attributes, categories: list (with waiting orders), set [--retry], unset',
    usage: 'mappings list|set|unset [kind] [key] [odoo id]',
    help: MAPPINGS_USAGE,
    run: (config, args) => mappingsCommand(config, args),
  },
  schedules: {
    summary: 'apply (create/update idempotently), list, pause, unpause, trigger, backfill',
    usage: 'schedules <sub> [id]',
    help: SCHEDULES_USAGE,
    run: (config, args) => schedulesCommand(config, args),
  },
  sync: {
    summary: 'run <stream> [--full] [--channel C] (waits, shows progress), status',
    usage: 'sync <sub> [stream]',
    help: SYNC_USAGE,
    run: (config, args) => syncCommand(config, args),
  },
};

function help(): string {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length));
  return [
    'm2o: operate the Magento ⇄ Odoo connector',
    '',
    'usage: npm run cli -- <command> [options]     (or: npx m2o <command>)',
    '',
    'commands:',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  show this text`,
    '',
    'Configuration comes from environment variables and an optional JSON file (M2O_CONFIG);',
    'see README.md, "Configuration".',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(help());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`unknown command "${name}"\n\n${help()}`);
    return 64;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  try {
    return await command.run(config, args);
  } catch (err) {
    // Usage errors (an unknown flag, a flag without its value, a --channel nobody configured)
    // are answered with the command's own usage, not the SDK-style message alone.
    if (isUsageError(err)) {
      console.error(`${(err as Error).message}\n\n${command.help ?? `usage: ${command.usage}`}`);
      return 64;
    }
    throw err;
  }
}

function isUsageError(err: unknown): boolean {
  if (err instanceof UnknownChannelError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
