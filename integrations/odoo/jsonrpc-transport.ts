import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import type { OdooConfig } from '../../config/schema';
import { fromHttpStatus, fromOdooFault, loginRejected, odooError, unreadableOdooAnswer, wrongFlavour, type ErrorScope } from './errors';
import { createHttp, send } from './http';
import { JsonRpcVersionSchema } from './schemas';
import { operationName, type OdooCall, type OdooServerVersion, type OdooTransport } from './transport';

/**
 * Which named arguments execute_kw receives positionally, in order, after the ids. Everything
 * else goes into kwargs. This mirrors the calls recorded against a real 18.0 server.
 */
const POSITIONAL: Record<string, readonly string[]> = {
  create: ['vals_list'],
  write: ['vals'],
  read: ['fields'],
  search: ['domain'],
  search_read: ['domain'],
  search_count: ['domain'],
  fields_get: ['allfields'],
  address_get: ['adr_pref'],
  check_object_reference: ['module', 'xml_id'],
  read_group: ['domain', 'fields', 'groupby'],
  web_save: ['vals', 'specification'],
};

const EnvelopeSchema = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.number(), z.string(), z.null()]).optional(),
  result: z.unknown().optional(),
  error: z
    .object({
      code: z.number(),
      message: z.string(),
      data: z.looseObject({ name: z.string(), message: z.string() }).optional(),
    })
    .optional(),
});

export function toExecuteKw(call: OdooCall): { args: unknown[]; kwargs: Record<string, unknown> } {
  const named = { ...(call.kwargs ?? {}) };
  const args: unknown[] = call.ids ? [call.ids] : [];
  for (const name of POSITIONAL[call.method] ?? []) {
    if (!(name in named)) break;
    args.push(named[name]);
    delete named[name];
  }
  if (call.context) named.context = call.context;
  return { args, kwargs: named };
}

/** Odoo 16–18 (and, deprecated, 19): POST /jsonrpc with service common/object. */
export class JsonRpcTransport implements OdooTransport {
  readonly flavour = 'jsonrpc' as const;
  private readonly http: AxiosInstance;
  private uidPromise: Promise<number> | undefined;
  private nextId = 1;

  constructor(private readonly config: OdooConfig) {
    this.http = createHttp(config.url, config.timeoutMs);
  }

  async version(): Promise<OdooServerVersion> {
    const raw = await this.rpc('common', 'version', [], 'common.version');
    const parsed = JsonRpcVersionSchema.safeParse(raw);
    if (!parsed.success) throw odooError('protocol', 'common.version: unexpected answer shape', this.scope('common.version'));
    const major = Number(parsed.data.server_version_info[0]);
    return { version: parsed.data.server_version, major: Number.isFinite(major) ? major : NaN };
  }

  uid(): Promise<number> {
    // Authenticating hashes the key on the server (≈0.5 s): do it once and share the promise,
    // so concurrent first calls do not each log in.
    if (!this.uidPromise) {
      const attempt = this.authenticate();
      this.uidPromise = attempt;
      attempt.catch(() => {
        if (this.uidPromise === attempt) this.uidPromise = undefined;
      });
    }
    return this.uidPromise;
  }

  async call(call: OdooCall): Promise<unknown> {
    const uid = await this.uid();
    const { args, kwargs } = toExecuteKw(call);
    const operation = operationName(call);
    try {
      return await this.rpc(
        'object',
        'execute_kw',
        [this.config.database, uid, this.config.apiKey.reveal(), call.model, call.method, args, kwargs],
        operation,
      );
    } catch (err) {
      // A revoked key shows up as AccessDenied: forget the uid so a later attempt logs in anew.
      if ((err as { kind?: string }).kind === 'auth') this.uidPromise = undefined;
      throw err;
    }
  }

  private async authenticate(): Promise<number> {
    const operation = 'common.authenticate';
    const result = await this.rpc(
      'common',
      'authenticate',
      [this.config.database, this.config.login, this.config.apiKey.reveal(), {}],
      operation,
    );
    if (result === false) throw loginRejected(this.config.login, this.scope(operation));
    if (typeof result !== 'number' || !Number.isInteger(result)) {
      throw odooError('protocol', `${operation}: expected a user id, got ${JSON.stringify(result)}`, this.scope(operation));
    }
    return result;
  }

  private scope(operation: string): ErrorScope {
    return { flavour: 'jsonrpc', operation, database: this.config.database };
  }

  private async rpc(service: string, method: string, args: unknown[], operation: string): Promise<unknown> {
    const scope = this.scope(operation);
    const id = this.nextId++;
    const answer = await send(
      this.http,
      { method: 'POST', url: '/jsonrpc', body: { jsonrpc: '2.0', method: 'call', id, params: { service, method, args } } },
      scope,
    );
    if (answer.status === 404 || (answer.status >= 300 && answer.status < 400)) {
      throw wrongFlavour(scope, `POST /jsonrpc answered HTTP ${answer.status}`, answer.status);
    }
    if (answer.status !== 200) throw fromHttpStatus(answer.status, scope, answer.headers['retry-after']);
    // No JSON at all (an HTML page, a cut-off or empty body): a proxy or a restarting server, retried.
    if (answer.json === undefined) throw unreadableOdooAnswer(scope, answer.status, answer.text);
    const envelope = EnvelopeSchema.safeParse(answer.json);
    if (!envelope.success) {
      throw odooError('protocol', `${operation}: the answer is not a JSON-RPC 2.0 response`, scope, { status: answer.status });
    }
    const { error } = envelope.data;
    if (error) {
      const name = error.data?.name ?? 'unknown';
      const message = error.data?.message ?? error.message;
      throw fromOdooFault({ name, message, status: answer.status }, scope);
    }
    // Odoo leaves "result" out entirely when the method returned None.
    return envelope.data.result ?? null;
  }
}
