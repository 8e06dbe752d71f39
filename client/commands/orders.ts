import { parseArgs } from 'node:util';
import { Client, Connection, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Config } from '../../config/schema';
import { temporalConnectionOptions } from '../../config/temporal';
import { cancelUpdate, orderWorkflowId, retrySignal, statusQuery, type OrderStatus } from '../../workflows/order-messages';
import { triggerOrder } from '../order-trigger';
import { formatTable } from '../table';
import { channelCodes, oneChannel } from '../channel-option';
import { reconcileOrders } from '../reconcile';
import { msToNumber } from '@temporalio/common/lib/time';

export const USAGE = `usage:
  orders import <increment id> [--channel C]
  orders status <increment id> [--channel C]
  orders cancel <increment id> --reason "why" [--channel C]
  orders retry <increment id> [--channel C]
  orders list [--needs-attention] [--all] [--channel C] [--limit N]
                   (--all: also complete orders still open for refunds)
  orders reconcile [--since 7d] [--start-missing] [--channel C]
                   every Magento order of the period against its workflow: missing, stopped, parked`;

export function formatOrderStatus(status: OrderStatus): string {
  const head = [
    `order ${status.incrementId} (channel ${status.channel}): ${status.phase.toUpperCase()}`,
    `  Magento id ${status.magentoOrderId ?? '-'}, status ${status.magentoStatus ?? '-'}, payment ${status.paymentKind ?? '-'}`,
    `  Odoo ${status.odooOrderName ?? '-'}${status.odooOrderId ? ` (id ${status.odooOrderId})` : ''}`,
    `  shipments pushed: ${status.shipmentsPushed.length ? status.shipmentsPushed.join(', ') : 'none'}`,
  ];
  for (const [label, actions] of [['invoices', status.invoiceActions], ['refunds', status.creditMemoActions ?? []]] as const) {
    if (actions.length) head.push(`  ${label}:`, ...actions.slice(-10).map((a) => `    - ${a}`));
  }
  if (status.followUpUntil) head.push(`  refund window open until ${status.followUpUntil.replace('T', ' ').slice(0, 16)} UTC: later credit memos are still mirrored`);
  if (status.quietPolls) head.push(`  ${status.quietPolls} poll(s) found nothing new and cost no full round`);
  if (status.attention) head.push(`  NEEDS ATTENTION at "${status.attention.step}" since ${status.attention.since}:`, `    ${status.attention.reason}`, '  fix it, then: orders retry ' + status.incrementId);
  if (status.cancel) head.push(`  cancel requested: ${status.cancel.reason} → ${status.cancel.verdict ? `${status.cancel.verdict.outcome}: ${status.cancel.verdict.detail}` : 'pending'}`);
  const steps = formatTable(['AT', 'STEP', 'OUTCOME', 'DETAIL'], status.steps.map((s) => [s.at.replace('T', ' ').slice(0, 19), s.step, s.outcome, s.detail]));
  return `${head.join('\n')}\n\n${steps}`;
}

export async function ordersCommand(config: Config, argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      channel: { type: 'string' },
      reason: { type: 'string' },
      'needs-attention': { type: 'boolean' },
      all: { type: 'boolean' },
      since: { type: 'string' },
      'start-missing': { type: 'boolean' },
      limit: { type: 'string' },
    },
  });
  const [sub, incrementId] = positionals;
  if (!sub || (sub !== 'list' && sub !== 'reconcile' && !incrementId)) {
    console.error(USAGE);
    return 64;
  }
  // before connecting anywhere: a typo in --channel is a usage error, not an empty list
  const channels = channelCodes(config, values.channel);
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  const client = new Client({ connection, namespace: config.temporal.namespace });
  try {
    if (sub === 'list') {
      const clauses = ["WorkflowType = 'orderWorkflow'", 'ExecutionStatus = "Running"'];
      if (values['needs-attention']) clauses.push('NeedsAttention = true');
      if (values.channel) clauses.push(`Channel = "${values.channel.replace(/"/g, '')}"`);
      const limit = Number(values.limit ?? 50);
      const rows: string[][] = [];
      for await (const wf of client.workflow.list({ query: clauses.join(' AND ') })) {
        const sa = wf.typedSearchAttributes;
        const get = (name: string) => String(sa.getAll().find((p) => p.key.name === name)?.value ?? '');
        // A complete order's workflow stays open for refunds (orders.followUpDays): it is not work.
        if (!values.all && ['complete', 'refunded'].includes(get('OrderState'))) continue;
        rows.push([get('MagentoOrder'), get('Channel'), get('OrderState'), get('OdooOrder'), String((wf.memo as { summary?: string } | undefined)?.summary ?? '')]);
        if (rows.length >= limit) break;
      }
      console.log(formatTable(['MAGENTO ORDER', 'CHANNEL', 'STATE', 'ODOO ORDER', 'SUMMARY'], rows));
      return 0;
    }

    if (sub === 'reconcile') return await reconcile(client, config, channels, values.since ?? '7d', values['start-missing'] ?? false);

    const channel = oneChannel(config, values.channel);
    const ref = { channel, incrementId: incrementId! };
    const handle = client.workflow.getHandle(orderWorkflowId(channel, ref.incrementId));
    switch (sub) {
      case 'import': {
        const result = await triggerOrder(client, config.temporal.taskQueues.orders, ref);
        console.log(result === 'closed' ? `order ${ref.incrementId} is already finished; nothing to do` : `order ${ref.incrementId}: import requested (workflow ${handle.workflowId})`);
        return 0;
      }
      case 'status':
        console.log(formatOrderStatus(await handle.query(statusQuery)));
        return 0;
      case 'retry': {
        // A retry only means something to a parked order; saying "sent" to any other would
        // suggest something happened.
        const status = await handle.query(statusQuery);
        if (status.phase !== 'needs_attention') {
          console.error(`order ${ref.incrementId} is not parked (${status.phase}): nothing to retry`);
          return 1;
        }
        await handle.signal(retrySignal);
        console.log(`order ${ref.incrementId}: retry sent`);
        return 0;
      }
      case 'cancel': {
        if (!values.reason) {
          console.error('orders cancel needs --reason "…"');
          return 64;
        }
        const verdict = await handle.executeUpdate(cancelUpdate, { args: [{ reason: values.reason }] });
        console.log(`order ${ref.incrementId}: ${verdict.accepted ? 'ACCEPTED' : 'REFUSED'} (${verdict.outcome}): ${verdict.detail}`);
        return verdict.accepted ? 0 : 1;
      }
      default:
        console.error(USAGE);
        return 64;
    }
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      console.error(`no workflow for that order (has it been imported? try: orders import <increment id>)`);
      return 1;
    }
    if (err instanceof WorkflowUpdateFailedError) {
      console.error(`refused: ${err.cause?.message ?? err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await connection.close();
  }
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

async function reconcile(client: Client, config: Config, channelCodesToCheck: string[], since: string, startMissing: boolean): Promise<number> {
  const match = /^(\d+)([mhd])$/.exec(since);
  if (!match) {
    console.error(`--since takes a period such as 90m, 24h or 7d, not "${since}"`);
    return 64;
  }
  const from = new Date(Date.now() - Number(match[1]) * UNIT_MS[match[2]!]!);
  let code = 0;
  for (const channel of channelCodesToCheck.map((c) => config.channels.find((ch) => ch.code === c)!)) {
    const result = await reconcileOrders(client, {
      channel, taskQueue: config.temporal.taskQueues.orders, since: from, startMissing,
      // an order placed since the last poll is not missing yet: the poller has not been due
      graceMs: msToNumber(channel.sync.schedules.orders),
      onProgress: (n) => process.stderr.write(`\r${channel.code}: ${n} Magento orders checked`),
    });
    process.stderr.write('\n');
    if (result.problems.length > 0) {
      console.log(formatTable(['MAGENTO ORDER', 'CREATED', 'STATUS', 'FINDING', 'DETAIL'], result.problems.map((p) => [p.incrementId, p.createdAt, p.magentoStatus, p.finding.toUpperCase(), p.detail])));
    }
    const started = result.started.length ? `; started again: ${result.started.join(', ')}` : '';
    console.log(`${channel.code}: ${result.checked} Magento orders since ${from.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${result.fine} in step, ${result.notImported} not for import, ` +
      `${result.problems.filter((p) => p.finding === 'missing').length} missing, ${result.problems.filter((p) => p.finding === 'stopped').length} stopped, ${result.problems.filter((p) => p.finding === 'parked').length} parked` +
      `${result.recent ? `, ${result.recent} younger than the poll interval (${channel.sync.schedules.orders}, not due yet)` : ''}${started}`);
    const left = result.problems.filter((p) => !result.started.includes(p.incrementId));
    if (left.length > 0) code = 1;
  }
  return code;
}
