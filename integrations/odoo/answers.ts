import type { z } from 'zod';
import { IntegrationError } from '../errors';

/**
 * The records of an answer in the shape the caller relies on. A record that does not fit is
 * Odoo (or a module) answering something the connector was not built for: a protocol error naming
 * the operation, the record and the field, never a silent wrong value further on.
 */
export function parseRecords<S extends z.ZodType>(schema: S, rows: ReadonlyArray<{ id: number }>, operation: string): Array<z.infer<S>> {
  return rows.map((row) => {
    const parsed = schema.safeParse(row);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const at = issue?.path.join('.') || '(root)';
    throw new IntegrationError('odoo', 'protocol', `${operation}: unexpected answer shape of record ${row.id} at ${at}: ${issue?.message ?? ''}`, {
      operation,
    });
  });
}
