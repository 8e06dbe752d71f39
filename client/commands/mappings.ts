import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Config } from '../../config/schema';
import { temporalConnectionOptions } from '../../config/temporal';
import { OdooClient } from '../../integrations/odoo';
import { BindingConflictError, createBindingStore } from '../../store/bindings';
import { openDatabase } from '../../store/database';
import {
  createMappingStore, deleteBinding, listBindingsOfKind, MAPPING_KINDS,
  type BindingMappingKind, type MappingKind,
} from '../../store/mappings';
import { retrySignal } from '../../workflows/order-messages';
import { formatTable } from '../table';
import { oneChannel } from '../channel-option';

const BINDING_KINDS: readonly BindingMappingKind[] = ['attribute', 'category'];
type Kind = MappingKind | BindingMappingKind;
const KINDS: readonly Kind[] = [...MAPPING_KINDS, ...BINDING_KINDS];

export const USAGE = `usage:
  mappings list [kind] [--channel C]                      mapped and unmapped items, and the orders waiting on each
  mappings set <kind> <magento key> <odoo id> [--retry] [--channel C]
                                                          map it; --retry resumes the orders parked on it
  mappings unset <kind> <magento key> [--channel C]
kinds: ${KINDS.join(', ')}`;

/**
 * Kinds that never hold an order or a sync up when they have no Odoo record: the reference sync
 * records stores and attribute sets for the report only, and an unmapped customer group's
 * customers keep Odoo's default pricelist. Listing them as UNMAPPED sent ops after non-problems.
 */
const NOT_NEEDED: Partial<Record<Kind, string>> = {
  website: 'report only', store_group: 'report only', store_view: 'report only', attribute_set: 'report only',
  customer_group: 'Odoo default pricelist',
};

/** The Odoo model a kind maps to, checked on `set` so a typo does not park orders again. */
const ODOO_MODEL: Partial<Record<Kind, 'delivery.carrier' | 'account.journal' | 'account.tax' | 'product.pricelist'>> = {
  carrier: 'delivery.carrier',
  payment_method: 'account.journal',
  tax: 'account.tax',
  customer_group: 'product.pricelist',
};

export interface ParkedOrder { workflowId: string; incrementId: string; reason: string }

export interface Io { out(line: string): void; err(line: string): void }
const consoleIo: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Does this parked order wait on that mapping? Matched on the reasons the order import writes
 * (activities/orders/odoo-mappings.ts): "unmapped carrier <code> (...)", "unmapped payment
 * method <code>: ...", "unmapped tax <percent>% on items[i]" (UnmappedCarrier,
 * UnmappedPaymentMethod, UnmappedTax). A tax is named by its rate there, so a tax rate code
 * matches through the percentage in its label ("8.25% US").
 */
export function waitsOn(reason: string, kind: Kind, magentoKey: string, label: string | null): boolean {
  switch (kind) {
    case 'carrier':
      return new RegExp(`unmapped carrier ${escape(magentoKey)}(?=[\\s(:;]|$)`).test(reason);
    case 'payment_method':
      return new RegExp(`unmapped payment method ${escape(magentoKey)}(?=[\\s(:;]|$)`).test(reason);
    case 'customer_group':
      return new RegExp(`customer group ${escape(magentoKey)} maps to`).test(reason);
    case 'tax': {
      const percent = label ? Number.parseFloat(label) : Number.NaN;
      return Number.isFinite(percent) && new RegExp(`unmapped tax ${escape(String(percent))}%`).test(reason);
    }
    default:
      return false;
  }
}

/** Codes parked orders name that no sync has recorded yet: unmapped too. */
function codesNamedIn(reason: string, kind: Kind): string[] {
  const pattern = kind === 'carrier' ? /unmapped carrier (\S+?)(?=[\s(:;]|$)/g : kind === 'payment_method' ? /unmapped payment method (\S+?)(?=[\s(:;]|$)/g : null;
  return pattern ? [...reason.matchAll(pattern)].map((m) => m[1] as string).filter((c) => c !== '(none)') : [];
}

/** Order workflows of the channel parked in NeedsAttention, with their reason (from the memo). */
export async function parkedOrders(client: Client, channel: string): Promise<ParkedOrder[]> {
  const query = `WorkflowType = 'orderWorkflow' AND ExecutionStatus = "Running" AND NeedsAttention = true AND Channel = "${channel.replace(/"/g, '')}"`;
  const parked: ParkedOrder[] = [];
  for await (const wf of client.workflow.list({ query })) {
    const sa = wf.typedSearchAttributes.getAll();
    const incrementId = String(sa.find((p) => p.key.name === 'MagentoOrder')?.value ?? wf.workflowId);
    const reason = String((wf.memo as { summary?: string } | undefined)?.summary ?? '');
    parked.push({ workflowId: wf.workflowId, incrementId, reason });
  }
  return parked;
}

export async function mappingsCommand(config: Config, argv: string[], io: Io = consoleIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { channel: { type: 'string' }, retry: { type: 'boolean' } },
  });
  const [sub, kindArg, magentoKey, odooIdArg] = positionals;
  const kind = kindArg as Kind | undefined;
  const bad = (message?: string) => {
    if (message) io.err(message);
    io.err(USAGE);
    return 64;
  };
  if (sub !== 'list' && sub !== 'set' && sub !== 'unset') return bad();
  if (kind !== undefined && !KINDS.includes(kind)) return bad(`unknown kind "${kind}"`);
  if (sub !== 'list' && (!kind || !magentoKey)) return bad();
  const odooId = odooIdArg === undefined ? undefined : Number(odooIdArg);
  if (sub === 'set' && (odooId === undefined || !Number.isInteger(odooId) || odooId <= 0)) return bad('set needs the Odoo record id (a positive integer)');
  if (!config.database.url) {
    io.err('DATABASE_URL is not set: the mappings live in the connector\'s database');
    return 2;
  }
  const channel = oneChannel(config, values.channel);
  const pool = await openDatabase(config.database.url, { max: 2, applicationName: 'm2o-cli' });
  try {
    if (sub === 'list') return await list(config, pool, channel, kind, io);
    if (sub === 'unset') return await unset(pool, channel, kind as Kind, magentoKey as string, io);
    return await set(config, pool, channel, kind as Kind, magentoKey as string, odooId as number, values.retry === true, io);
  } finally {
    await pool.end();
  }
}

/** Parked orders, or null with a warning when Temporal does not answer (the table still helps). */
async function withTemporal<T>(config: Config, io: Io, run: (client: Client) => Promise<T>): Promise<T | null> {
  let connection: Connection;
  try {
    connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  } catch (err) {
    io.err(`warning: Temporal at ${config.temporal.address} did not answer (${(err as Error).message}); waiting orders are not shown`);
    return null;
  }
  try {
    return await run(new Client({ connection, namespace: config.temporal.namespace }));
  } finally {
    await connection.close();
  }
}

async function list(config: Config, pool: Pool, channel: string, kind: Kind | undefined, io: Io): Promise<number> {
  const parked = (await withTemporal(config, io, (client) => parkedOrders(client, channel))) ?? [];
  const kinds = kind ? [kind] : KINDS;
  const rows: string[][] = [];
  const mappings = createMappingStore(pool);
  for (const k of kinds) {
    const items: Array<{ key: string; label: string | null; odooId: number | null; source: string | null }> = [];
    if ((BINDING_KINDS as readonly string[]).includes(k)) {
      for (const b of await listBindingsOfKind(pool, channel, k as BindingMappingKind)) items.push({ key: b.magentoKey, label: null, odooId: b.odooId, source: 'binding' });
    } else {
      for (const m of await mappings.list(channel, k as MappingKind)) items.push({ key: m.magentoKey, label: m.label, odooId: m.odooId, source: m.source });
      const known = new Set(items.map((i) => i.key));
      for (const order of parked) {
        for (const code of codesNamedIn(order.reason, k)) {
          if (!known.has(code)) {
            known.add(code);
            items.push({ key: code, label: '(named by a parked order)', odooId: null, source: null });
          }
        }
      }
    }
    for (const item of items) {
      const waiting = parked.filter((o) => waitsOn(o.reason, k, item.key, item.label)).map((o) => o.incrementId);
      const odoo = item.odooId !== null ? String(item.odooId) : NOT_NEEDED[k] && waiting.length === 0 ? `- (${NOT_NEEDED[k]})` : 'UNMAPPED';
      rows.push([k, item.key, item.label ?? '', odoo, item.source ?? '', waiting.join(' ')]);
    }
  }
  io.out(formatTable(['KIND', 'MAGENTO KEY', 'LABEL', 'ODOO ID', 'SOURCE', 'ORDERS WAITING'], rows));
  const unmapped = rows.filter((r) => r[3] === 'UNMAPPED').length;
  io.out(`\n${rows.length} item(s), ${unmapped} unmapped; fix one with: mappings set <kind> <magento key> <odoo id> --retry`);
  return 0;
}

async function unset(pool: Pool, channel: string, kind: Kind, magentoKey: string, io: Io): Promise<number> {
  const done = (BINDING_KINDS as readonly string[]).includes(kind)
    ? await deleteBinding(pool, channel, kind as BindingMappingKind, magentoKey)
    : await createMappingStore(pool).unset(channel, kind as MappingKind, magentoKey);
  io.out(done ? `${kind} ${magentoKey}: unmapped` : `${kind} ${magentoKey}: was not mapped`);
  return 0;
}

async function set(config: Config, pool: Pool, channel: string, kind: Kind, magentoKey: string, odooId: number, retry: boolean, io: Io): Promise<number> {
  const model = ODOO_MODEL[kind];
  if (model) {
    const channelConfig = config.channels.find((c) => c.code === channel)!;
    const rows = await new OdooClient(channelConfig.odoo).searchRead(model, [['id', '=', odooId]], { fields: ['name'], limit: 1 });
    if (rows.length === 0) {
      io.err(`Odoo has no ${model} with id ${odooId}; nothing changed`);
      return 1;
    }
    io.out(`${kind} ${magentoKey} → ${model} ${odooId} "${String(rows[0]?.name ?? '')}"`);
  }
  let label: string | null = null;
  if ((BINDING_KINDS as readonly string[]).includes(kind)) {
    try {
      await createBindingStore(pool).bind({ channel, kind: kind as BindingMappingKind, magentoKey, odooId });
    } catch (err) {
      if (!(err instanceof BindingConflictError)) throw err;
      io.err(`${err.message}; unset the other one first`);
      return 1;
    }
  } else {
    const store = createMappingStore(pool);
    await store.set({ channel, kind: kind as MappingKind, magentoKey, odooId, source: 'ops' });
    label = (await store.find(channel, kind as MappingKind, magentoKey))?.label ?? null;
  }
  io.out(`${kind} ${magentoKey}: mapped to Odoo id ${odooId}`);

  const outcome = await withTemporal(config, io, async (client) => {
    const waiting = (await parkedOrders(client, channel)).filter((o) => waitsOn(o.reason, kind, magentoKey, label));
    if (waiting.length === 0) return 'none';
    if (!retry) {
      io.out(`${waiting.length} order(s) wait on it: ${waiting.map((o) => o.incrementId).join(', ')}`);
      io.out(`retry them with: mappings set ${kind} ${magentoKey} ${odooId} --retry   (or: orders retry <increment id>)`);
      return 'offered';
    }
    for (const order of waiting) {
      await client.workflow.getHandle(order.workflowId).signal(retrySignal);
      io.out(`order ${order.incrementId}: retry sent`);
    }
    return 'retried';
  });
  if (outcome === 'none') io.out('no parked order waits on it');
  return 0;
}
