/** The id of a many2one as Odoo reads it: `[id, "name"]`, a bare id (`load=None`), or false. */
export function many2oneId(value: unknown): number | null {
  return Array.isArray(value) && typeof value[0] === 'number' ? value[0] : typeof value === 'number' ? value : null;
}
