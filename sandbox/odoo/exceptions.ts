/**
 * Errors the sandbox raises the way Odoo does: a Python class name, a message, and the HTTP
 * status JSON-2 gives that class (Json2Dispatcher.handle_error). JSON-RPC always answers 200.
 */
export class OdooException extends Error {
  constructor(readonly odooName: string, message: string, readonly status: number, readonly args?: unknown[]) {
    super(message);
  }
}

export const userError = (m: string) => new OdooException('odoo.exceptions.UserError', m, 422);
export const validationError = (m: string) => new OdooException('odoo.exceptions.ValidationError', m, 422);
export const accessError = (m: string) => new OdooException('odoo.exceptions.AccessError', m, 403);
export const accessDenied = () => new OdooException('odoo.exceptions.AccessDenied', 'Access Denied', 403);
export const valueError = (m: string) => new OdooException('builtins.ValueError', m, 500);
export const typeError = (m: string) => new OdooException('builtins.TypeError', m, 500);
export const attributeError = (m: string) => new OdooException('builtins.AttributeError', m, 500);
export const notFound = (m: string) => new OdooException('werkzeug.exceptions.NotFound', m, 404, [m, 404]);
export const unprocessable = (m: string) => new OdooException('werkzeug.exceptions.UnprocessableEntity', m, 422, [m, 422]);
export const missingError = (model: string, ids: number[], uid: number) =>
  new OdooException(
    'odoo.exceptions.MissingError',
    `Record does not exist or has been deleted.\n(Record: ${model}(${ids.join(', ')},), User: ${uid})`,
    404,
  );

/** a fake but well-formed traceback: clients must not depend on its content */
export function fakeTraceback(err: OdooException): string {
  return `Traceback (most recent call last):\n  File "odoo/odoo/http.py", line 2123, in _transactioning\n    (sandbox)\n${err.odooName}: ${err.message}\n`;
}
