import type { AxiosInstance } from 'axios';
import { z } from 'zod';
import type { OdooConfig } from '../../config/schema';
import { fromHttpStatus, fromOdooFault, odooError, unknownDatabaseJson2, unreadableOdooAnswer, wrongFlavour, type ErrorScope } from './errors';
import { createHttp, send, type HttpAnswer } from './http';
import { Json2VersionSchema, UidSchema } from './schemas';
import { operationName, type OdooCall, type OdooServerVersion, type OdooTransport } from './transport';

const FaultSchema = z.looseObject({ name: z.string(), message: z.string() });

/** Odoo 19+: POST /json/2/<model>/<method> with a bearer API key and named arguments. */
export class Json2Transport implements OdooTransport {
  readonly flavour = 'json2' as const;
  private readonly http: AxiosInstance;
  private uidPromise: Promise<number> | undefined;

  constructor(private readonly config: OdooConfig) {
    this.http = createHttp(config.url, config.timeoutMs);
  }

  async version(): Promise<OdooServerVersion> {
    const scope = this.scope('GET /json/version');
    const answer = await send(this.http, { method: 'GET', url: '/json/version' }, scope);
    if (answer.status === 404 || (answer.status >= 300 && answer.status < 400)) {
      throw wrongFlavour(scope, `GET /json/version answered HTTP ${answer.status}`, answer.status);
    }
    if (answer.status !== 200) throw fromHttpStatus(answer.status, scope, answer.headers['retry-after']);
    const parsed = Json2VersionSchema.safeParse(answer.json);
    if (!parsed.success) throw odooError('protocol', 'GET /json/version: unexpected answer shape', scope);
    const major = Number(parsed.data.version_info[0]);
    return { version: parsed.data.version, major: Number.isFinite(major) ? major : NaN };
  }

  uid(): Promise<number> {
    if (!this.uidPromise) {
      const attempt = this.call({ model: 'res.users', method: 'context_get' }).then((ctx) => {
        const parsed = UidSchema.safeParse(ctx);
        if (!parsed.success) throw odooError('protocol', 'res.users.context_get: no uid in the answer', this.scope('res.users.context_get'));
        return parsed.data.uid;
      });
      this.uidPromise = attempt;
      attempt.catch(() => {
        if (this.uidPromise === attempt) this.uidPromise = undefined;
      });
    }
    return this.uidPromise;
  }

  async call(call: OdooCall): Promise<unknown> {
    const operation = operationName(call);
    const scope = this.scope(operation);
    const body: Record<string, unknown> = {};
    if (call.ids) body.ids = call.ids;
    Object.assign(body, call.kwargs ?? {});
    if (call.context) body.context = call.context;
    const answer = await send(
      this.http,
      {
        method: 'POST',
        url: `/json/2/${encodeURIComponent(call.model)}/${encodeURIComponent(call.method)}`,
        body,
        headers: {
          Authorization: `bearer ${this.config.apiKey.reveal()}`,
          'X-Odoo-Database': this.config.database,
        },
      },
      scope,
    );
    // JSON-2 answers None as the body `null`: no JSON at all is a proxy or a restarting server.
    if (answer.status === 200) {
      if (answer.json === undefined) throw unreadableOdooAnswer(scope, answer.status, answer.text);
      return answer.json;
    }
    throw this.failure(answer, scope);
  }

  private failure(answer: HttpAnswer, scope: ErrorScope): Error {
    const fault = FaultSchema.safeParse(answer.json);
    if (fault.success) return fromOdooFault({ name: fault.data.name, message: fault.data.message, status: answer.status }, scope);
    if (answer.status >= 300 && answer.status < 400) {
      return wrongFlavour(scope, `redirected to ${answer.headers.location ?? 'another page'}`, answer.status);
    }
    if (answer.status === 404 && /No database is selected/.test(answer.text)) return unknownDatabaseJson2(scope, answer.status);
    if (answer.status === 404) return wrongFlavour(scope, 'POST /json/2/… answered HTTP 404 with no Odoo error body', answer.status);
    return fromHttpStatus(answer.status, scope, answer.headers['retry-after']);
  }

  private scope(operation: string): ErrorScope {
    return { flavour: 'json2', operation, database: this.config.database };
  }
}
