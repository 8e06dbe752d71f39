import { Client, Connection, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Config } from '../../config/schema';
import { temporalConnectionOptions } from '../../config/temporal';
import { applySchedules } from '../schedules';
import { formatTable } from '../table';

function readableDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

export const USAGE = 'usage: schedules apply | list | pause <id> [note] | unpause <id> | trigger <id> | backfill <id> <from ISO time> <to ISO time>';

export async function schedulesCommand(config: Config, args: string[]): Promise<number> {
  const [sub, id, ...rest] = args;
  if (!sub || (['pause', 'unpause', 'trigger', 'backfill'].includes(sub) && !id)) {
    console.error(USAGE);
    return 64;
  }
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  const client = new Client({ connection, namespace: config.temporal.namespace });
  try {
    switch (sub) {
      case 'apply': {
        const done = await applySchedules(client, config);
        console.log(formatTable(['SCHEDULE', 'RESULT'], Object.entries(done)));
        return 0;
      }
      case 'list': {
        const rows: string[][] = [];
        for await (const s of client.schedule.list()) {
          const d = await client.schedule.getHandle(s.scheduleId).describe();
          const every = d.spec.intervals?.map((i) => readableDuration(Number(i.every))).join(', ') ?? '';
          const next = d.info.nextActionTimes[0]?.toISOString().replace('T', ' ').slice(0, 19) ?? '-';
          const last = d.info.recentActions.at(-1)?.takenAt.toISOString().replace('T', ' ').slice(0, 19) ?? '-';
          rows.push([s.scheduleId, d.state.paused ? `paused${d.state.note ? ` (${d.state.note})` : ''}` : 'active', every, last, next]);
        }
        console.log(formatTable(['SCHEDULE', 'STATE', 'EVERY', 'LAST RUN', 'NEXT RUN'], rows));
        return 0;
      }
      case 'pause':
        await client.schedule.getHandle(id!).pause(rest.join(' ') || 'paused from the CLI');
        console.log(`${id} paused`);
        return 0;
      case 'unpause':
        await client.schedule.getHandle(id!).unpause();
        console.log(`${id} unpaused`);
        return 0;
      case 'trigger':
        await client.schedule.getHandle(id!).trigger();
        console.log(`${id} triggered`);
        return 0;
      case 'backfill': {
        // Runs the actions the schedule would have taken in the period (e.g. while paused), all
        // allowed to run even if they overlap: each run works from its watermark anyway.
        const [from, to] = rest.map((t) => new Date(t));
        if (!from || !to || Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from >= to) {
          console.error('backfill needs two ISO times, the earlier first: backfill <id> 2026-11-23T08:00:00Z 2026-11-23T09:00:00Z');
          return 64;
        }
        await client.schedule.getHandle(id!).backfill({ start: from, end: to, overlap: ScheduleOverlapPolicy.ALLOW_ALL });
        console.log(`${id} backfilled from ${from.toISOString()} to ${to.toISOString()}`);
        return 0;
      }
      default:
        console.error(USAGE);
        return 64;
    }
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) {
      console.error(`no schedule "${id}" (see: schedules list)`);
      return 1;
    }
    throw err;
  } finally {
    await connection.close();
  }
}
