import type { z } from 'zod';
import { IntegrationError } from '../errors';

/**
 * Checks an Odoo answer against the shape the named operation relies on. A mismatch is a protocol
 * error naming the operation and the field, never a value quietly read as 0 or undefined.
 */
export function parseAnswer<S extends z.ZodType>(schema: S, value: unknown, operation: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new IntegrationError('odoo', 'protocol', `${operation}: unexpected answer shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`, {
    operation,
  });
}

export function parseRows<S extends z.ZodType>(schema: S, rows: readonly unknown[], operation: string): Array<z.infer<S>> {
  return rows.map((row, i) => parseAnswer(schema, row, `${operation}[${i}]`));
}
