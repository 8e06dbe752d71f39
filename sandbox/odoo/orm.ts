import { missingError, OdooException, validationError, valueError } from './exceptions';

/**
 * A small in-memory stand-in for Odoo's ORM: typed fields, x2many command tuples, domains,
 * read formatting (many2one as [id, display name], false for empty values), sequences. Model
 * behaviour (confirming orders, validating pickings, …) lives in the business modules.
 */
export type Version = 18 | 19;
export type Rec = Record<string, unknown> & { id: number };
export type Ctx = Record<string, unknown>;

export type FieldType =
  | 'char' | 'text' | 'html' | 'integer' | 'float' | 'monetary' | 'boolean' | 'selection'
  | 'date' | 'datetime' | 'many2one' | 'one2many' | 'many2many' | 'binary';

export interface FieldDef {
  type: FieldType;
  string: string;
  relation?: string;
  /** one2many: the many2one on the other side */
  inverse?: string;
  selection?: readonly string[];
  required?: boolean;
  default?: (env: Env, vals: Record<string, unknown>) => unknown;
  /** computed on read and in domains; such fields ignore writes unless `store` */
  compute?: (env: Env, rec: Rec) => unknown;
  /** present only on this server version (18.0 `tax_id` vs 19.0 `tax_ids`) */
  only?: Version;
  /** float stored rounded to this many decimals (Odoo's decimal precision, e.g. "Discount": 2) */
  digits?: number;
}

export interface Env {
  db: Store;
  version: Version;
  uid: number;
  context: Ctx;
}

export interface ModelDef {
  name: string;
  /** the model exists on this server version only */
  only?: Version;
  description: string;
  fields: Record<string, FieldDef>;
  order?: string;
  displayName?: (env: Env, rec: Rec) => string;
  /** called after the record is stored and its one2many commands applied */
  afterCreate?: (env: Env, rec: Rec, vals: Record<string, unknown>) => void;
  beforeWrite?: (env: Env, recs: Rec[], vals: Record<string, unknown>) => void;
  afterWrite?: (env: Env, recs: Rec[], vals: Record<string, unknown>) => void;
  beforeUnlink?: (env: Env, recs: Rec[]) => void;
}

const BASE_FIELDS: Record<string, FieldDef> = {
  id: { type: 'integer', string: 'ID' },
  display_name: { type: 'char', string: 'Display Name' },
  create_date: { type: 'datetime', string: 'Created on' },
  write_date: { type: 'datetime', string: 'Last Updated on' },
  create_uid: { type: 'many2one', string: 'Created by', relation: 'res.users' },
  write_uid: { type: 'many2one', string: 'Last Updated by', relation: 'res.users' },
};

export function nowString(date = new Date()): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
export const round2 = (n: number) => Math.round((n + Number.EPSILON) * 100) / 100;

export class Store {
  readonly models = new Map<string, ModelDef>();
  private readonly tables = new Map<string, Map<number, Rec>>();
  private readonly nextIds = new Map<string, number>();
  private readonly sequences = new Map<string, number>();
  /** this version's fields per model: asked for on every read, write and domain leaf */
  private readonly fieldCache = new Map<string, Record<string, FieldDef>>();
  /**
   * Equality indexes model → field → value → ids, built on first use and kept up to date by
   * insert, remove and writeRecords (see `reindex`). Like a database index, they are what keeps
   * the stand-in linear at real catalog sizes (100k quants looked up by product).
   */
  private readonly indexes = new Map<string, Map<string, Map<unknown, Set<number>>>>();
  /** ids in ascending order, per model, while the table is unchanged (null: to rebuild) */
  private readonly sortedIds = new Map<string, number[] | null>();

  constructor(readonly version: Version = 18) {}

  define(def: ModelDef): void {
    if (def.only && def.only !== this.version) return;
    this.models.set(def.name, { ...def, fields: { ...BASE_FIELDS, ...def.fields } });
    this.tables.set(def.name, new Map());
    this.fieldCache.delete(def.name);
  }

  /** fields an installed app adds to a model defined before it (Odoo's _inherit) */
  extend(name: string, fields: Record<string, FieldDef>): void {
    const def = this.model(name);
    this.models.set(name, { ...def, fields: { ...def.fields, ...fields } });
    for (const key of [...this.fieldCache.keys()]) if (key === name || key.startsWith(`${name}@`)) this.fieldCache.delete(key);
  }

  model(name: string): ModelDef {
    const def = this.models.get(name);
    if (!def) throw new OdooException('odoo.exceptions.UserError', `Object ${name} doesn't exist`, 404);
    return def;
  }

  fields(model: string, version: Version): Record<string, FieldDef> {
    const key = version === this.version ? model : `${model}@${version}`;
    const cached = this.fieldCache.get(key);
    if (cached) return cached;
    const all = this.model(model).fields;
    const fields = Object.fromEntries(Object.entries(all).filter(([, f]) => !f.only || f.only === version));
    this.fieldCache.set(key, fields);
    return fields;
  }

  table(model: string): Map<number, Rec> {
    const table = this.tables.get(model);
    if (!table) throw new OdooException('odoo.exceptions.UserError', `Object ${model} doesn't exist`, 404);
    return table;
  }

  get(model: string, id: number): Rec | undefined {
    return this.table(model).get(id);
  }

  must(model: string, id: number): Rec {
    const rec = this.get(model, id);
    if (!rec) throw missingError(model, [id], 2);
    return rec;
  }

  all(model: string): Rec[] {
    return [...this.table(model).values()];
  }

  where(model: string, pred: (r: Rec) => boolean): Rec[] {
    return this.all(model).filter(pred);
  }

  /**
   * The records whose `field` holds `value` (and that pass `pred`), in insertion order, through
   * an index. Indexed fields are set on create and changed through writeRecords (or `reindex`).
   */
  whereEq(model: string, field: string, value: unknown, pred?: (r: Rec) => boolean): Rec[] {
    const ids = this.index(model, field).get(value);
    if (!ids) return [];
    const table = this.table(model);
    const out: Rec[] = [];
    for (const id of ids) {
      const rec = table.get(id);
      if (rec && rec[field] === value && (!pred || pred(rec))) out.push(rec);
    }
    return out;
  }

  private index(model: string, field: string): Map<unknown, Set<number>> {
    let byField = this.indexes.get(model);
    if (!byField) this.indexes.set(model, (byField = new Map()));
    let index = byField.get(field);
    if (!index) {
      index = new Map();
      for (const rec of this.table(model).values()) addTo(index, rec[field], rec.id);
      byField.set(field, index);
    }
    return index;
  }

  /** after `field` of `rec` changed from `before` (writeRecords calls this for every field) */
  reindex(model: string, rec: Rec, field: string, before: unknown): void {
    const index = this.indexes.get(model)?.get(field);
    if (!index || before === rec[field]) return;
    index.get(before)?.delete(rec.id);
    addTo(index, rec[field], rec.id);
  }

  /** ids in ascending order (a copy is not made: callers must not change it) */
  idsAscending(model: string): readonly number[] {
    let ids = this.sortedIds.get(model);
    if (!ids) {
      ids = [...this.table(model).keys()].sort((a, b) => a - b);
      this.sortedIds.set(model, ids);
    }
    return ids;
  }

  /** the next id, optionally forced so a fresh database numbers like a real fresh Odoo */
  allocate(model: string, forced?: number): number {
    const next = this.nextIds.get(model) ?? 1;
    const id = forced ?? next;
    this.nextIds.set(model, Math.max(next, id + 1));
    return id;
  }

  bumpIds(model: string, atLeast: number): void {
    this.nextIds.set(model, Math.max(this.nextIds.get(model) ?? 1, atLeast));
  }

  insert(model: string, rec: Rec): Rec {
    const table = this.table(model);
    const replaced = table.get(rec.id);
    table.set(rec.id, rec);
    for (const [field, index] of this.indexes.get(model) ?? []) {
      if (replaced) index.get(replaced[field])?.delete(rec.id);
      addTo(index, rec[field], rec.id);
    }
    const sorted = this.sortedIds.get(model);
    if (sorted && !replaced) {
      // ids mostly come in ascending order: appending keeps the list without a sort
      if (sorted.length === 0 || (sorted[sorted.length - 1] as number) < rec.id) sorted.push(rec.id);
      else this.sortedIds.set(model, null);
    }
    return rec;
  }

  remove(model: string, id: number): void {
    const table = this.table(model);
    const rec = table.get(id);
    if (!rec) return;
    table.delete(id);
    for (const [field, index] of this.indexes.get(model) ?? []) index.get(rec[field])?.delete(id);
    this.sortedIds.set(model, null);
  }

  nextSequence(code: string): number {
    const n = (this.sequences.get(code) ?? 0) + 1;
    this.sequences.set(code, n);
    return n;
  }
}

function addTo(index: Map<unknown, Set<number>>, value: unknown, id: number): void {
  const ids = index.get(value);
  if (ids) ids.add(id);
  else index.set(value, new Set([id]));
}

// ---- generic operations ---------------------------------------------------------------------

export function displayName(env: Env, model: string, rec: Rec): string {
  const def = env.db.model(model);
  if (def.displayName) return def.displayName(env, rec);
  const name = rec.name;
  return typeof name === 'string' ? name : `${model},${rec.id}`;
}

/** the value of a field as Odoo holds it internally: ids for relations, false for empty */
export function getValue(env: Env, model: string, rec: Rec, field: string): unknown {
  if (field === 'id') return rec.id;
  if (field === 'display_name') return displayName(env, model, rec);
  const def = env.db.fields(model, env.version)[field];
  if (!def) throw valueError(`Invalid field '${field}' on model '${model}'`);
  if (def.compute) return def.compute(env, rec);
  if (def.type === 'one2many') {
    const inverse = def.inverse as string;
    return env.db.whereEq(def.relation as string, inverse, rec.id).map((r) => r.id).sort((a, b) => a - b);
  }
  const value = rec[field];
  if (value === undefined) return emptyValue(def);
  return value;
}

function emptyValue(def: FieldDef): unknown {
  switch (def.type) {
    case 'integer': case 'float': case 'monetary': return 0;
    case 'boolean': return false;
    case 'many2many': case 'one2many': return [];
    default: return false;
  }
}

export function formatValue(env: Env, def: FieldDef | undefined, value: unknown): unknown {
  if (!def) return value;
  if (def.type === 'many2one') {
    if (typeof value !== 'number') return false;
    const target = env.db.get(def.relation as string, value);
    return target ? [value, displayName(env, def.relation as string, target)] : false;
  }
  if ((def.type === 'float' || def.type === 'monetary') && typeof value === 'number') return value;
  return value;
}

export function readRecords(env: Env, model: string, ids: number[], fields?: string[]): Record<string, unknown>[] {
  const defs = env.db.fields(model, env.version);
  const names = fields && fields.length > 0 ? fields : Object.keys(defs);
  for (const name of names) {
    if (!defs[name]) throw valueError(`Invalid field '${name}' on model '${model}'`);
  }
  return rowsOf(env, model, ids, names, (rec, name) => formatValue(env, defs[name], getValue(env, model, rec, name)));
}

/** one row per record of `ids` that exists (missing ones are left out, as Odoo does), its fields from `value` */
function rowsOf(env: Env, model: string, ids: number[], names: string[], value: (rec: Rec, name: string) => unknown): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const id of ids) {
    const rec = env.db.get(model, id);
    if (!rec) continue;
    const row: Record<string, unknown> = { id };
    for (const name of names) if (name !== 'id') row[name] = value(rec, name);
    out.push(row);
  }
  return out;
}

/** what web_read returns of each field: a relation's own fields when they are named */
export type WebSpec = Record<string, { fields?: WebSpec }>;

/**
 * web_read (Odoo 17+) as addons/web/models/models.py answers it: a many2one is its id (false when
 * empty), or {id, display_name, …} when the spec names its fields; an x2many is its ids, or one
 * row per record when the spec names fields.
 */
export function webRead(env: Env, model: string, ids: number[], spec: WebSpec): Record<string, unknown>[] {
  const defs = env.db.fields(model, env.version);
  const names = Object.keys(spec).filter((n) => n !== 'id');
  for (const name of names) {
    if (!defs[name] && name !== 'display_name') throw valueError(`Invalid field '${name}' on model '${model}'`);
  }
  return rowsOf(env, model, ids, names, (rec, name) => {
    const def = defs[name];
    const value = getValue(env, model, rec, name);
    const sub = spec[name]?.fields;
    if (def?.type === 'many2one') {
      const related = typeof value === 'number' ? env.db.get(def.relation as string, value) : undefined;
      return !related ? false : sub ? (webRead(env, def.relation as string, [value as number], sub)[0] ?? false) : value;
    }
    if (def && (def.type === 'one2many' || def.type === 'many2many')) return sub ? webRead(env, def.relation as string, value as number[], sub) : value;
    return formatValue(env, def, value);
  });
}

function checkFieldValues(env: Env, model: string, vals: Record<string, unknown>, forCreate: boolean): void {
  const defs = env.db.fields(model, env.version);
  for (const [name, value] of Object.entries(vals)) {
    const def = defs[name];
    if (!def || name === 'id') {
      throw valueError(forCreate ? `Invalid field '${name}' in '${model}'` : `Invalid field '${name}' in '${model}'`);
    }
    if (def.type === 'selection' && value !== false && value !== null && def.selection && !def.selection.includes(String(value))) {
      throw valueError(`Wrong value for ${model}.${name}: ${JSON.stringify(value).replace(/"/g, "'")}`);
    }
  }
}

function requiredError(env: Env, model: string, field: string): OdooException {
  const def = env.db.model(model);
  const label = def.fields[field]?.string ?? field;
  if (env.version === 18) {
    return validationError(
      `The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${def.description} (${model})\nField: ${label} (${field})\n`,
    );
  }
  return validationError(
    `The operation cannot be completed: Missing required value for the field '${label}' (${field}).\nModel: '${def.description}' (${model})\n- create/update: a mandatory field is not set\n- delete: another model requires the record being deleted, you can archive it instead\n`,
  );
}

/** applies many2many commands to a list of ids */
function applyM2mCommands(env: Env, relation: string, current: number[], commands: unknown): number[] {
  let ids = [...current];
  if (!Array.isArray(commands)) return ids;
  // A plain list of ids is accepted by Odoo as [6, 0, ids].
  if (commands.every((c) => typeof c === 'number')) return [...(commands as number[])];
  for (const cmd of commands as unknown[][]) {
    const [op, id, arg] = cmd as [number, number, unknown];
    switch (op) {
      case 0: ids.push(...createRecords(env, relation, [arg as Record<string, unknown>])); break;
      case 1: writeRecords(env, relation, [id], arg as Record<string, unknown>); break;
      case 2: unlinkRecords(env, relation, [id]); ids = ids.filter((x) => x !== id); break;
      case 3: ids = ids.filter((x) => x !== id); break;
      case 4: if (!ids.includes(id)) ids.push(id); break;
      case 5: ids = []; break;
      case 6: ids = [...(arg as number[])]; break;
    }
  }
  return ids;
}

function applyO2mCommands(env: Env, def: FieldDef, parentId: number, commands: unknown): void {
  const relation = def.relation as string;
  const inverse = def.inverse as string;
  if (!Array.isArray(commands)) return;
  for (const cmd of commands as unknown[][]) {
    const [op, id, arg] = cmd as [number, number, unknown];
    switch (op) {
      case 0: createRecords(env, relation, [{ ...(arg as Record<string, unknown>), [inverse]: parentId }]); break;
      case 1: writeRecords(env, relation, [id], arg as Record<string, unknown>); break;
      case 2: unlinkRecords(env, relation, [id]); break;
      case 3: writeRecords(env, relation, [id], { [inverse]: false }); break;
      case 4: writeRecords(env, relation, [id], { [inverse]: parentId }); break;
      case 5: for (const r of env.db.whereEq(relation, inverse, parentId)) writeRecords(env, relation, [r.id], { [inverse]: false }); break;
      case 6:
        for (const r of env.db.whereEq(relation, inverse, parentId)) if (!(arg as number[]).includes(r.id)) writeRecords(env, relation, [r.id], { [inverse]: false });
        for (const x of arg as number[]) writeRecords(env, relation, [x], { [inverse]: parentId });
        break;
    }
  }
}

export function createRecords(env: Env, model: string, valsList: Array<Record<string, unknown>>, forcedIds?: number[]): number[] {
  const def = env.db.model(model);
  const defs = env.db.fields(model, env.version);
  const ids: number[] = [];
  valsList.forEach((input, index) => {
    const vals = { ...input };
    checkFieldValues(env, model, vals, true);
    for (const [name, f] of Object.entries(defs)) {
      if (vals[name] === undefined && f.default) {
        const value = f.default(env, vals);
        if (value !== undefined) vals[name] = value;
      }
    }
    for (const [name, f] of Object.entries(defs)) {
      if (f.required && !f.compute && f.type !== 'one2many' && (vals[name] === undefined || vals[name] === false || vals[name] === null || vals[name] === '')) {
        throw requiredError(env, model, name);
      }
    }
    const id = env.db.allocate(model, forcedIds?.[index]);
    const now = nowString();
    const rec: Rec = { id, create_date: now, write_date: now, create_uid: env.uid, write_uid: env.uid };
    const o2m: Array<[FieldDef, unknown]> = [];
    for (const [name, value] of Object.entries(vals)) {
      const f = defs[name] as FieldDef;
      if (f.type === 'one2many') o2m.push([f, value]);
      else if (f.type === 'many2many') rec[name] = applyM2mCommands(env, f.relation as string, [], value);
      else if (f.compute && !isStoredCompute(f)) continue;
      else rec[name] = normalise(f, value);
    }
    env.db.insert(model, rec);
    for (const [f, value] of o2m) applyO2mCommands(env, f, id, value);
    def.afterCreate?.(env, rec, vals);
    ids.push(id);
  });
  return ids;
}

/** computed fields that are also written to (like Odoo's stored computes with inverse) */
function isStoredCompute(f: FieldDef): boolean {
  return (f as FieldDef & { store?: boolean }).store === true;
}

function normalise(f: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return false;
  if (f.type === 'many2one') return typeof value === 'number' ? value : Array.isArray(value) ? value[0] : false;
  if ((f.type === 'float' || f.type === 'monetary' || f.type === 'integer') && typeof value === 'string') return normalise(f, Number(value));
  if (f.type === 'float' && f.digits !== undefined && typeof value === 'number') return floatRound(value, f.digits);
  return value;
}

/**
 * Odoo's float_round (HALF-UP): 12.345 stored with 2 digits is 12.35, although 12.345 / 0.01 is
 * 1234.4999… in binary; Odoo adds an epsilon of the value's magnitude before rounding.
 */
export function floatRound(value: number, digits: number): number {
  const factor = 10 ** digits;
  let normalized = value * factor;
  if (normalized === 0) return 0;
  normalized += Math.sign(normalized) * 2 ** (Math.log2(Math.abs(normalized)) - 52);
  return (Math.sign(normalized) * Math.round(Math.abs(normalized))) / factor;
}

export function writeRecords(env: Env, model: string, ids: number[], input: Record<string, unknown>): void {
  const def = env.db.model(model);
  const defs = env.db.fields(model, env.version);
  const vals = { ...input };
  checkFieldValues(env, model, vals, false);
  const missing = ids.filter((id) => !env.db.get(model, id));
  if (missing.length > 0) throw missingError(model, missing, env.uid);
  const recs = ids.map((id) => env.db.must(model, id));
  def.beforeWrite?.(env, recs, vals);
  for (const rec of recs) {
    for (const [name, value] of Object.entries(vals)) {
      const f = defs[name] as FieldDef;
      if (f.required && (value === false || value === null || value === '')) throw requiredError(env, model, name);
      if (f.type === 'one2many') applyO2mCommands(env, f, rec.id, value);
      else if (f.type === 'many2many') rec[name] = applyM2mCommands(env, f.relation as string, (getValue(env, model, rec, name) as number[]) ?? [], value);
      else if (f.compute && !isStoredCompute(f)) continue;
      else {
        const before = rec[name];
        rec[name] = normalise(f, value);
        env.db.reindex(model, rec, name, before);
      }
    }
    rec.write_date = nowString();
    rec.write_uid = env.uid;
  }
  def.afterWrite?.(env, recs, vals);
}

export function unlinkRecords(env: Env, model: string, ids: number[]): void {
  const def = env.db.model(model);
  const recs = ids.map((id) => env.db.get(model, id)).filter((r): r is Rec => !!r);
  def.beforeUnlink?.(env, recs);
  for (const rec of recs) env.db.remove(model, rec.id);
}

// ---- domains --------------------------------------------------------------------------------

type Leaf = [string, string, unknown];

/** the values reached by a dotted path ("location_id.usage", "line_ids.sale_line_ids.order_id") */
function pathValues(env: Env, model: string, rec: Rec, path: string[]): unknown[] {
  const [head, ...rest] = path as [string, ...string[]];
  const defs = env.db.fields(model, env.version);
  const def = defs[head];
  if (!def && head !== 'id' && head !== 'display_name') throw invalidLeaf(env, model, head);
  const value = getValue(env, model, rec, head);
  if (rest.length === 0) return [value];
  if (!def?.relation) throw invalidLeaf(env, model, path.join('.'));
  const ids = def.type === 'many2one' ? (typeof value === 'number' ? [value] : []) : (value as number[]);
  return ids.flatMap((id) => {
    const target = env.db.get(def.relation as string, id);
    return target ? pathValues(env, def.relation as string, target, rest) : [];
  });
}

let currentLeaf: Leaf | undefined;
function invalidLeaf(env: Env, model: string, field: string): OdooException {
  const leaf = currentLeaf ? `('${currentLeaf[0]}', '${currentLeaf[1]}', ${JSON.stringify(currentLeaf[2])})` : field;
  return valueError(env.version === 18 ? `Invalid field ${model}.${field} in leaf ${leaf}` : `Invalid field ${model}.${field} in condition ${leaf}`);
}

/**
 * Odoo's `like`/`ilike`: SQL LIKE on '%<value>%', so the value's own `%` and `_` are wildcards
 * and a backslash escapes them (PostgreSQL's default escape character).
 */
function like(value: unknown, pattern: unknown, insensitive: boolean): boolean {
  if (typeof value !== 'string') return false;
  let re = '';
  const p = String(pattern);
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '\\' && i + 1 < p.length) re += regExpLiteral(p[++i] as string);
    else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += regExpLiteral(c);
  }
  return new RegExp(re, insensitive ? 'is' : 's').test(value);
}

const regExpLiteral = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compareLeaf(env: Env, model: string, rec: Rec, leaf: Leaf): boolean {
  const [field, op, target] = leaf;
  currentLeaf = leaf;
  const path = field.split('.');
  const def = env.db.fields(model, env.version)[path[0] as string];
  if (op === 'child_of' || op === 'parent_of') {
    const ids = (Array.isArray(target) ? target : [target]) as number[];
    const relation = path.length === 1 ? (def?.type === 'many2one' ? def.relation : model) : undefined;
    const values = pathValues(env, model, rec, path);
    return values.some((v) => typeof v === 'number' && ids.some((root) => isChildOf(env, relation ?? model, v, root)));
  }
  let values = pathValues(env, model, rec, path);
  // x2many values compare element-wise, like Odoo's SQL joins
  if (values.length === 1 && Array.isArray(values[0]) && (def?.type === 'one2many' || def?.type === 'many2many') && path.length === 1) {
    const list = values[0] as unknown[];
    if (target === false && (op === '=' || op === '!=')) return op === '=' ? list.length === 0 : list.length > 0;
    values = list;
  }
  const test = (v: unknown): boolean => {
    switch (op) {
      case '=': return v === target || (target === false && (v === false || v === null));
      case '!=': return !(v === target || (target === false && (v === false || v === null)));
      case 'in': return Array.isArray(target) && (target.includes(v) || (target.includes(false) && v === false));
      case 'not in': return Array.isArray(target) && !target.includes(v);
      case '<': return (v as number) < (target as number);
      case '<=': return (v as number) <= (target as number);
      case '>': return (v as number) > (target as number);
      case '>=': return (v as number) >= (target as number);
      case 'like': return like(v, target, false);
      case 'ilike': return like(v, target, true);
      case 'not ilike': return !like(v, target, true);
      case '=like': case '=ilike': {
        const re = new RegExp(`^${regExpLiteral(String(target)).replace(/%/g, '.*').replace(/_/g, '.')}$`, op === '=ilike' ? 'i' : '');
        return typeof v === 'string' && re.test(v);
      }
      default: throw valueError(`Invalid operator ${JSON.stringify(op)}`);
    }
  };
  if (op === '!=' || op === 'not in' || op === 'not ilike') return values.length === 0 ? op !== '!=' || target !== false : values.every(test);
  return values.some(test);
}

function isChildOf(env: Env, model: string, id: number, root: number): boolean {
  const parentField = model === 'stock.location' ? 'location_id' : 'parent_id';
  let current: number | false = id;
  const seen = new Set<number>();
  while (typeof current === 'number' && !seen.has(current)) {
    if (current === root) return true;
    seen.add(current);
    const rec = env.db.get(model, current);
    current = rec ? ((rec[parentField] as number | false) ?? false) : false;
  }
  return false;
}

export function matchDomain(env: Env, model: string, rec: Rec, domain: unknown[]): boolean {
  // Polish notation: evaluate from the end with a stack, as Odoo's expression parser does.
  const stack: boolean[] = [];
  for (let i = domain.length - 1; i >= 0; i--) {
    const term = domain[i];
    if (term === '&' || term === '|') {
      const a = stack.pop() ?? true;
      const b = stack.pop() ?? true;
      stack.push(term === '&' ? a && b : a || b);
    } else if (term === '!') {
      stack.push(!(stack.pop() ?? true));
    } else if (Array.isArray(term) && term.length === 3) {
      stack.push(compareLeaf(env, model, rec, term as Leaf));
    } else if (term === true || (Array.isArray(term) && term.length === 0)) {
      stack.push(true);
    } else {
      throw valueError(`Invalid leaf ${JSON.stringify(term)}`);
    }
  }
  return stack.every(Boolean);
}

function mentionsActive(domain: unknown[]): boolean {
  return domain.some((t) => Array.isArray(t) && t[0] === 'active');
}

export function search(env: Env, model: string, domain: unknown[] = [], options: { offset?: number; limit?: number | null; order?: string | null } = {}): number[] {
  if (!Array.isArray(domain)) throw valueError(`Invalid domain ${JSON.stringify(domain)}`);
  const defs = env.db.fields(model, env.version);
  const filterActive = 'active' in defs && !mentionsActive(domain) && env.context.active_test !== false;
  const matches = (r: Rec) => (!filterActive || r.active !== false) && matchDomain(env, model, r, domain);
  const order = options.order || env.db.model(model).order || 'id';
  const offset = options.offset ?? 0;
  const limit = options.limit ?? undefined;
  const byId = /^\s*id(\s+asc)?\s*$/i.test(order);
  const candidates = indexedCandidates(env, model, domain);
  if (candidates) {
    // An equality leaf on a stored field narrows the scan to its index's records, as a
    // database would ("stock.move where product_id in (…)": a page's moves, not every move).
    const found = candidates.filter(matches);
    const recs = byId ? found.sort((a, b) => a.id - b.id) : sortRecords(env, model, found, order);
    return recs.slice(offset, limit ? offset + limit : undefined).map((r) => r.id);
  }
  if (byId) {
    // Ordered by id, as every keyset page is: walk the ids upwards from the domain's own lower
    // bound and stop at the page's end, like an index scan; no full scan and sort per page.
    const ids = env.db.idsAscending(model);
    const table = env.db.table(model);
    const out: number[] = [];
    let skipped = 0;
    for (let i = firstAbove(ids, idLowerBound(domain)); i < ids.length; i++) {
      const rec = table.get(ids[i] as number);
      if (!rec || !matches(rec)) continue;
      if (skipped < offset) { skipped++; continue; }
      out.push(rec.id);
      if (limit && out.length >= limit) break;
    }
    return out;
  }
  const recs = sortRecords(env, model, env.db.all(model).filter(matches), order);
  return recs.slice(offset, limit ? offset + limit : undefined).map((r) => r.id);
}

/**
 * The relations searches may answer from an index. Only fields that model code never assigns
 * directly (they are set on create and changed through writeRecords, which reindexes): a field
 * assigned in place (`move.location_id = …`, `state`) would leave its index behind.
 */
const SEARCH_INDEXED = new Set(['product_id', 'product_tmpl_id', 'order_id', 'picking_id', 'move_id', 'sale_line_id']);

/**
 * The records an AND-only domain can match at most, through the index of its first `=` / `in`
 * leaf on a plain stored field; undefined when there is no such leaf (then every record is
 * looked at). `false` targets are left to the scan: an unset field is stored as undefined.
 */
function indexedCandidates(env: Env, model: string, domain: unknown[]): Rec[] | undefined {
  if (domain.some((t) => !Array.isArray(t))) return undefined;
  const defs = env.db.fields(model, env.version);
  for (const leaf of domain as unknown[][]) {
    const [field, op, target] = leaf as [unknown, unknown, unknown];
    if (typeof field !== 'string' || field.includes('.') || field === 'id') continue;
    const def = defs[field];
    if (!def || def.compute || def.type !== 'many2one' || !SEARCH_INDEXED.has(field)) continue;
    const scalar = (v: unknown) => typeof v === 'number';
    if (op === '=' && scalar(target)) return env.db.whereEq(model, field, target);
    if (op === 'in' && Array.isArray(target) && target.length <= 10_000 && target.every(scalar)) {
      const seen = new Set<number>();
      const out: Rec[] = [];
      for (const value of new Set(target)) for (const rec of env.db.whereEq(model, field, value)) if (!seen.has(rec.id)) { seen.add(rec.id); out.push(rec); }
      return out;
    }
  }
  return undefined;
}

/** the smallest id a domain of AND-ed leaves allows through its `id >` / `id >=` leaves */
function idLowerBound(domain: unknown[]): number {
  // Any operator ('|', '!', explicit '&') could make the bound optional: scan from the start.
  if (domain.some((t) => !Array.isArray(t))) return -Infinity;
  let bound = -Infinity;
  for (const t of domain as unknown[][]) {
    if (t[0] !== 'id' || typeof t[2] !== 'number') continue;
    if (t[1] === '>') bound = Math.max(bound, Math.floor(t[2]) + 1);
    else if (t[1] === '>=') bound = Math.max(bound, Math.ceil(t[2]));
  }
  return bound;
}

/** the index of the first id ≥ min in an ascending list (binary search) */
function firstAbove(ids: readonly number[], min: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ids[mid] as number) < min) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function sortRecords(env: Env, model: string, recs: Rec[], order: string): Rec[] {
  const keys = order.split(',').map((part) => {
    const [field, dir] = part.trim().split(/\s+/);
    return { field: field as string, desc: (dir ?? '').toLowerCase() === 'desc' };
  });
  const defs = env.db.fields(model, env.version);
  for (const k of keys) if (!defs[k.field]) throw valueError(`Invalid "order" specified (${order}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`);
  const valueOf = (rec: Rec, field: string): unknown => {
    const v = getValue(env, model, rec, field);
    if (defs[field]?.type === 'many2one' && typeof v === 'number') {
      const target = env.db.get(defs[field]?.relation as string, v);
      return target ? displayName(env, defs[field]?.relation as string, target) : '';
    }
    return v;
  };
  return [...recs].sort((a, b) => {
    for (const { field, desc } of keys) {
      const va = valueOf(a, field);
      const vb = valueOf(b, field);
      if (va === vb) continue;
      const cmp = va === false || va === undefined ? -1 : vb === false || vb === undefined ? 1 : (va as number | string) < (vb as number | string) ? -1 : 1;
      return desc ? -cmp : cmp;
    }
    return 0;
  });
}

export function readGroup(env: Env, model: string, domain: unknown[], fields: string[], groupby: string[]): Record<string, unknown>[] {
  const ids = search(env, model, domain);
  const defs = env.db.fields(model, env.version);
  const groups = new Map<string, { key: unknown[]; recs: Rec[] }>();
  for (const id of ids) {
    const rec = env.db.must(model, id);
    const key = groupby.map((g) => getValue(env, model, rec, g));
    const k = JSON.stringify(key);
    const group = groups.get(k) ?? { key, recs: [] };
    group.recs.push(rec);
    groups.set(k, group);
  }
  return [...groups.values()].map(({ key, recs }) => {
    const row: Record<string, unknown> = {};
    groupby.forEach((g, i) => { row[g] = formatValue(env, defs[g], key[i]); });
    row.__count = recs.length;
    for (const spec of fields) {
      const [name] = spec.split(':') as [string];
      if (groupby.includes(name)) continue;
      row[name] = round2(recs.reduce((sum, r) => sum + Number(getValue(env, model, r, name) || 0), 0) * 1e4 / 1e4);
    }
    const extra = groupby.map((g, i) => [g, '=', key[i]]);
    row.__domain = [...Array(domain.length + extra.length - 1).fill('&'), ...domain, ...extra];
    return row;
  });
}

export function fieldsGet(env: Env, model: string, allfields: string[] | undefined, attributes: string[] | undefined): Record<string, unknown> {
  const defs = env.db.fields(model, env.version);
  const names = allfields && allfields.length > 0 ? allfields.filter((n) => defs[n]) : Object.keys(defs);
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const f = defs[name] as FieldDef;
    const full: Record<string, unknown> = { type: f.type, string: f.string, required: !!f.required, readonly: !!f.compute || name === 'id' };
    if (f.relation) full.relation = f.relation;
    if (f.selection) full.selection = f.selection.map((s) => [s, s]);
    out[name] = attributes && attributes.length > 0 ? Object.fromEntries(Object.entries(full).filter(([k]) => attributes.includes(k))) : full;
  }
  return out;
}
