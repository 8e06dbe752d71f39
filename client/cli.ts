import { ConfigError, loadConfig } from '../config/load';
import type { Config } from '../config/schema';
import { statusCommand } from './commands/status';
import { channelsTestCommand } from './commands/channels-test';
import { ordersCommand } from './commands/orders';
import { mappingsCommand } from './commands/mappings';
import { schedulesCommand } from './commands/schedules';
import { syncCommand } from './commands/sync';

interface Command {
  summary: string;
  usage: string;
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
    run: (config, args) => ordersCommand(config, args),
  },
  mappings: {
    summary: 'carriers, payment methods, taxes, websites, attributes, categories: list (with waiting orders), set [--retry], unset',
    usage: 'mappings list|set|unset [kind] [key] [odoo id]',
    run: (config, args) => mappingsCommand(config, args),
  },
  schedules: {
    summary: 'apply (create/update idempotently), list, pause, unpause, trigger, backfill',
    usage: 'schedules <sub> [id]',
    run: (config, args) => schedulesCommand(config, args),
  },
  sync: {
    summary: 'run <stream> [--full] [--channel C] (waits, shows progress), status',
    usage: 'sync <sub> [stream]',
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
  return command.run(config, args);
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
