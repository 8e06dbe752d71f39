import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Config } from '../../config/schema';
import { temporalConnectionOptions } from '../../config/temporal';
import { openDatabase } from '../../store/database';
import { schemaVersion } from '../../store/migrate';
import { formatTable } from '../table';

export interface StatusRow { component: string; ok: boolean; detail: string }

/** Checks each part on its own, so one broken part does not hide the state of the others. */
export async function collectStatus(config: Config): Promise<StatusRow[]> {
  const rows: StatusRow[] = [];
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ ...temporalConnectionOptions(config.temporal), connectTimeout: '5s' });
    const info = await connection.workflowService.getSystemInfo({});
    const ns = await connection.workflowService.describeNamespace({ namespace: config.temporal.namespace });
    const retentionDays = Number(ns.config?.workflowExecutionRetentionTtl?.seconds ?? 0) / 86_400;
    rows.push({
      component: 'temporal',
      ok: true,
      detail: `${config.temporal.address} server ${info.serverVersion ?? '?'}, namespace ${config.temporal.namespace} (retention ${retentionDays} d)`,
    });
    for (const [name, queue] of Object.entries(config.temporal.taskQueues)) {
      const described = await connection.workflowService.describeTaskQueue({
        namespace: config.temporal.namespace,
        taskQueue: { name: queue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      const pollers = described.pollers?.length ?? 0;
      rows.push({ component: `queue ${name}`, ok: pollers > 0, detail: `${queue}: ${pollers} worker poller(s)${pollers ? '' : ' — is the worker running?'}` });
    }
  } catch (err) {
    rows.push({ component: 'temporal', ok: false, detail: `${config.temporal.address}: ${(err as Error).message}` });
  } finally {
    await connection?.close();
  }

  if (!config.database.url) {
    rows.push({ component: 'store', ok: false, detail: 'DATABASE_URL is not set (npm start runs an embedded one; see README)' });
  } else {
    try {
      const pool = await openDatabase(config.database.url, { max: 1, migrate: false });
      try {
        const version = await schemaVersion(pool).catch(() => null);
        rows.push({ component: 'store', ok: version !== null, detail: version ? `schema ${version}` : 'reachable, but no migrations applied yet' });
      } finally {
        await pool.end();
      }
    } catch (err) {
      rows.push({ component: 'store', ok: false, detail: (err as Error).message });
    }
  }
  return rows;
}

export async function statusCommand(config: Config): Promise<number> {
  const rows = await collectStatus(config);
  console.log(formatTable(['COMPONENT', 'STATE', 'DETAIL'], rows.map((r) => [r.component, r.ok ? 'ok' : 'FAIL', r.detail])));
  return rows.every((r) => r.ok) ? 0 : 1;
}
