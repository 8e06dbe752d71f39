import { AsyncLocalStorage } from 'node:async_hooks';
import axios, { type AxiosAdapter, type AxiosInstance, type AxiosResponse } from 'axios';
import type { MagentoConfig } from '../config/schema';
import type { OdooCall, OdooTransport } from './odoo/transport';

/**
 * One order activity's reads, remembered while nothing was written: a step reads the same sale
 * order, invoices and Magento order several times through its helpers, and each read after the
 * first is answered from here. Any write (an Odoo call that is not a read, a Magento request
 * that is not a GET) and every lock forget everything, so a step never acts on what it read
 * before it changed something or before it held a lock. Outside an activity (bulk syncs, tools)
 * nothing is remembered.
 */
class ReadScope {
  readonly odoo = new Map<string, unknown>();
  readonly magento = new Map<string, AxiosResponse>();
  /** bumped by every write: a read that started before it is not remembered */
  generation = 0;

  forget(): void {
    this.generation++;
    this.odoo.clear();
    this.magento.clear();
  }
}

const current = new AsyncLocalStorage<ReadScope>();

// Methods that change nothing on the server; everything else counts as a write.
const ODOO_READS = new Set(['read', 'search_read', 'search', 'search_count', 'read_group', 'fields_get', 'name_search', 'web_search_read']);

type AsyncFunctions = Record<string, (...args: never[]) => Promise<unknown>>;

/** each activity runs in a read scope of its own */
export function withReadScope<A extends AsyncFunctions>(activities: A): A {
  return Object.fromEntries(
    Object.entries(activities).map(([name, run]) => [name, (...args: never[]) => current.run(new ReadScope(), () => run(...args))]),
  ) as A;
}

/** forgets the current activity's reads (before work under a lock) */
export function forgetReads(): void {
  current.getStore()?.forget();
}

/** an Odoo transport that answers repeated reads inside an activity from its read scope */
export function readCachingTransport(inner: OdooTransport): OdooTransport {
  return {
    get flavour() {
      return inner.flavour;
    },
    version: () => inner.version(),
    uid: () => inner.uid(),
    async call(call: OdooCall): Promise<unknown> {
      const scope = current.getStore();
      if (!scope) return inner.call(call);
      if (!ODOO_READS.has(call.method)) {
        scope.forget();
        try {
          return await inner.call(call);
        } finally {
          // what the server did in answer to the write may land after it returns
          scope.forget();
        }
      }
      const key = JSON.stringify([call.model, call.method, call.ids ?? null, call.kwargs ?? null, call.context ?? null]);
      if (scope.odoo.has(key)) return structuredClone(scope.odoo.get(key));
      const generation = scope.generation;
      const result = await inner.call(call);
      if (scope.generation === generation) scope.odoo.set(key, structuredClone(result));
      return result;
    },
  };
}

/**
 * The axios instance the Magento client would make (see integrations/magento/http.ts), with an
 * adapter that answers a repeated GET inside an activity from its read scope.
 */
export function readCachingAxios(config: MagentoConfig): AxiosInstance {
  const network = axios.getAdapter(axios.defaults.adapter);
  const adapter: AxiosAdapter = async (request) => {
    const scope = current.getStore();
    if (!scope) return network(request);
    if ((request.method ?? 'get').toLowerCase() !== 'get') {
      scope.forget();
      try {
        return await network(request);
      } finally {
        scope.forget();
      }
    }
    // the URL says everything a GET asks; the Authorization header differs per request (nonce)
    const key = String(request.url);
    const hit = scope.magento.get(key);
    if (hit) return { ...hit, config: request };
    const generation = scope.generation;
    const response = await network(request);
    if (response.status >= 200 && response.status < 300 && scope.generation === generation) scope.magento.set(key, response);
    return response;
  };
  return axios.create({
    timeout: config.timeoutMs,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    maxRedirects: 0,
    adapter,
  });
}
