// The two sandboxes of the order benchmark in a process of their own, as Magento and Odoo are
// servers of their own in any deployment: in the bench's process their compute would queue on the
// same Node thread as the connector's activities and every figure would measure the stand-ins.
// The parent talks to the child over the fork IPC channel; the connector talks to it over HTTP.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ChannelConfig } from '../config/schema';
import type { OrderSpec } from '../sandbox/magento/order-factory';
import { demoChannel, type DemoStackOptions, type SandboxEndpoints } from '../sandbox/demo-stack';

export interface SandboxProcessOptions {
  stack: DemoStackOptions;
  /** every delivery of a sale order is done right after the confirm that made it */
  shipOnConfirm: boolean;
  /** added to every request of both sandboxes */
  latencyMs: number;
}

export interface SandboxProcess {
  channel: ChannelConfig;
  skus: string[];
  /** places an order in the Magento sandbox; its increment id */
  createOrder(spec: OrderSpec): Promise<string>;
  counters(): Promise<{ magento: Record<string, number>; odoo: Record<string, number> }>;
  resetCounters(): Promise<void>;
  stop(): Promise<void>;
}

type Request = { op: 'createOrder'; spec: OrderSpec } | { op: 'counters' | 'resetCounters' | 'stop' };
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
interface Ready {
  ready: { endpoints: SandboxEndpoints; skus: string[] };
}

export async function startSandboxProcess(options: SandboxProcessOptions): Promise<SandboxProcess> {
  const child = fork(join(__dirname, 'sandbox-child.ts'), [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<Ready['ready']>((resolve, reject) => {
    child.once('message', (message) => resolve((message as Ready).ready));
    child.once('exit', (code) => reject(new Error(`the sandbox process ended (exit ${code}) before it was ready`)));
  });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  child.on('message', (message) => {
    const reply = message as Reply;
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(new Error(`sandbox process: ${reply.error}`));
  });
  let next = 1;
  const ask = <T>(request: Request): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ ...request, id });
    });
  return {
    channel: demoChannel(options.stack, ready.endpoints),
    skus: ready.skus,
    createOrder: (spec) => ask<string>({ op: 'createOrder', spec }),
    counters: () => ask({ op: 'counters' }),
    resetCounters: () => ask({ op: 'resetCounters' }),
    stop: () => stopChild(child, ask<void>({ op: 'stop' })),
  };
}

async function stopChild(child: ChildProcess, stopped: Promise<void>): Promise<void> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await stopped.catch(() => child.kill());
  await exited;
}
