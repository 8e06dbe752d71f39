import type { DemoWorld } from '../demo-world';
import { requiredField } from './magento-error';
import type { Json, SandboxState } from './state';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestContext {
  state: SandboxState;
  world: DemoWorld;
  /** decoded path parameters */
  params: Record<string, string>;
  /** PHP-style parsed query */
  query: Json;
  /** parsed JSON body ({} when there was none) */
  body: Json;
  storeCode: string;
}

export interface SandboxRoute {
  method: Method;
  /** exactly as in routes-2.4.7.tsv */
  pattern: string;
  /** ACL resource named in the 401 body */
  resource: string;
  handle: (ctx: RequestContext) => unknown;
}

export function defineRoute(method: Method, pattern: string, resource: string, handle: (ctx: RequestContext) => unknown): SandboxRoute {
  return { method, pattern, resource, handle };
}

export const routeKey = (r: { method: string; pattern: string }): string => `${r.method} ${r.pattern}`;

/**
 * Matches raw (still percent-encoded) path segments, so "GEAR%2F0010" stays one segment.
 * Literal segments win over placeholders ("/V1/products/attributes" before "/V1/products/:sku").
 */
export function matchRoute(routes: readonly SandboxRoute[], method: string, rawPath: string): { route: SandboxRoute; params: Record<string, string> } | { methodMismatch: boolean } {
  const segments = rawPath.replace(/\/+$/, '').split('/');
  let best: { route: SandboxRoute; params: Record<string, string>; literals: number } | undefined;
  let pathMatched = false;
  for (const route of routes) {
    const pattern = route.pattern.replace(/\/+$/, '').split('/');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      const p = pattern[i]!;
      const s = segments[i]!;
      if (p.startsWith(':')) {
        try {
          params[p.slice(1)] = decodeURIComponent(s);
        } catch {
          ok = false;
        }
        if (s === '') ok = false;
      } else if (p === s) {
        literals++;
      } else {
        ok = false;
      }
    }
    if (!ok) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    if (!best || literals > best.literals) best = { route, params, literals };
  }
  return best ? { route: best.route, params: best.params } : { methodMismatch: pathMatched };
}

/** A top-level body parameter by its PHP name; Magento also accepts the snake_case spelling. */
export function bodyParam(ctx: RequestContext, name: string): unknown {
  if (ctx.body[name] !== undefined) return ctx.body[name];
  const snake = name.replace(/([A-Z])/g, '_$1').toLowerCase();
  return ctx.body[snake];
}

export function requireBodyParam(ctx: RequestContext, name: string): unknown {
  const value = bodyParam(ctx, name);
  if (value === undefined || value === null) throw requiredField(name);
  return value;
}

export function intParam(ctx: RequestContext, name: string): number {
  const n = Number(ctx.params[name]);
  return Number.isInteger(n) ? n : NaN;
}
