import type { Env, FieldDef, Rec } from '../orm';

/** terse field constructors for the model tables */
type Extra = Partial<FieldDef>;
export const char = (string: string, extra: Extra = {}): FieldDef => ({ type: 'char', string, ...extra });
export const text = (string: string, extra: Extra = {}): FieldDef => ({ type: 'text', string, ...extra });
export const html = (string: string, extra: Extra = {}): FieldDef => ({ type: 'html', string, ...extra });
export const int = (string: string, extra: Extra = {}): FieldDef => ({ type: 'integer', string, ...extra });
export const float = (string: string, extra: Extra = {}): FieldDef => ({ type: 'float', string, ...extra });
export const money = (string: string, extra: Extra = {}): FieldDef => ({ type: 'monetary', string, ...extra });
/** base64 text over the API, as Odoo's Binary and Image fields */
export const binary = (string: string, extra: Extra = {}): FieldDef => ({ type: 'binary', string, ...extra });
export const bool = (string: string, extra: Extra = {}): FieldDef => ({ type: 'boolean', string, ...extra });
export const date = (string: string, extra: Extra = {}): FieldDef => ({ type: 'date', string, ...extra });
export const datetime = (string: string, extra: Extra = {}): FieldDef => ({ type: 'datetime', string, ...extra });
export const sel = (string: string, selection: readonly string[], extra: Extra = {}): FieldDef => ({ type: 'selection', string, selection, ...extra });
export const m2o = (relation: string, string: string, extra: Extra = {}): FieldDef => ({ type: 'many2one', relation, string, ...extra });
export const o2m = (relation: string, inverse: string, string: string, extra: Extra = {}): FieldDef => ({ type: 'one2many', relation, inverse, string, ...extra });
export const m2m = (relation: string, string: string, extra: Extra = {}): FieldDef => ({ type: 'many2many', relation, string, ...extra });

export const constant = (value: unknown) => () => value;
export const computed = (fn: (env: Env, rec: Rec) => unknown) => ({ compute: fn });
/** a computed field that can also be written (Odoo's compute + inverse / store) */
export const writable = (fn: (env: Env, rec: Rec) => unknown) => ({ compute: fn, store: true }) as Extra;

export const idOf = (value: unknown): number | false => (typeof value === 'number' ? value : false);
export const idsOf = (value: unknown): number[] => (Array.isArray(value) ? (value as number[]) : []);
