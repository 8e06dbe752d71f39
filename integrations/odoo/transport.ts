/**
 * What both Odoo transports (JSON-RPC for 16–18, JSON-2 for 19+) offer the client. A call is
 * described with JSON-2's named arguments; the JSON-RPC transport turns them into execute_kw's
 * positional args and kwargs, so the client code is the same for both.
 */
export type OdooFlavour = 'jsonrpc' | 'json2';

export interface OdooCall {
  model: string;
  method: string;
  /** the recordset for record methods; leave out for @api.model methods (create, search_read…) */
  ids?: number[];
  /** the method's own named arguments: vals_list, domain, fields, limit, … */
  kwargs?: Record<string, unknown>;
  /** replaces the whole context on JSON-2; sent as kwargs.context on JSON-RPC */
  context?: Record<string, unknown>;
}

export interface OdooServerVersion {
  /** "18.0", "19.0", "saas~18.3" */
  version: string;
  major: number;
}

export interface OdooTransport {
  readonly flavour: OdooFlavour;
  /** unauthenticated version probe */
  version(): Promise<OdooServerVersion>;
  /** the user id the credentials belong to */
  uid(): Promise<number>;
  call(call: OdooCall): Promise<unknown>;
}

export function operationName(call: Pick<OdooCall, 'model' | 'method'>): string {
  return `${call.model}.${call.method}`;
}
