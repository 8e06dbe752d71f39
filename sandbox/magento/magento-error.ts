/**
 * An error the sandbox answers the way Magento's ErrorProcessor does: the raw phrase with its
 * placeholders, the parameters beside it (a list for %1, an object for %name), and the status
 * maskException would pick (404 NoSuchEntity, 401 authorization, 400 any other LocalizedException).
 */
export class MagentoError extends Error {
  constructor(
    readonly status: number,
    readonly rawMessage: string,
    readonly parameters?: unknown[] | Record<string, unknown>,
    /** the sub-errors of an aggregate exception (only when there are two or more) */
    readonly errors?: Array<{ message: string; parameters?: unknown[] | Record<string, unknown> }>,
  ) {
    super(rawMessage);
  }

  body(): Record<string, unknown> {
    const hasParameters = Array.isArray(this.parameters) ? this.parameters.length > 0 : this.parameters !== undefined && Object.keys(this.parameters).length > 0;
    return {
      message: this.rawMessage,
      ...(hasParameters ? { parameters: this.parameters } : {}),
      ...(this.errors && this.errors.length > 1 ? { errors: this.errors } : {}),
    };
  }
}

export const ENTITY_NOT_FOUND = "The entity that was requested doesn't exist. Verify the entity and try again.";
export const PRODUCT_NOT_FOUND = "The product that was requested doesn't exist. Verify the product and try again.";
export const NO_ROUTE = 'Request does not match any route.';
export const NOT_AUTHORIZED = "The consumer isn't authorized to access %resources.";

export function notFound(message = ENTITY_NOT_FOUND, parameters?: unknown[] | Record<string, unknown>): MagentoError {
  return new MagentoError(404, message, parameters);
}

export function badRequest(message: string, parameters?: unknown[] | Record<string, unknown>): MagentoError {
  return new MagentoError(400, message, parameters);
}

/** "%fieldName" is required: a missing top-level service parameter */
export function requiredField(fieldName: string): MagentoError {
  return badRequest('"%fieldName" is required. Enter and try again.', { fieldName });
}

export function noSuchEntity(fieldName: string, fieldValue: unknown): MagentoError {
  return notFound('No such entity with %fieldName = %fieldValue', { fieldName, fieldValue });
}
