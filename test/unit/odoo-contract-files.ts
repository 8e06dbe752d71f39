import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where the recorded contracts live: CONTRACTS_DIR, or the copy carried in test/contracts (so a
 * clone with nothing beside it runs the contract tests).
 */
export function contractsDir(): string {
  const dir = process.env.CONTRACTS_DIR ?? resolve(__dirname, '../contracts');
  if (!existsSync(join(dir, 'odoo'))) throw new Error(`Odoo contract not found under ${dir} (set CONTRACTS_DIR)`);
  return dir;
}

export function odooContractFile(name: string): string {
  return readFileSync(join(contractsDir(), 'odoo', name), 'utf8');
}

export interface MethodRow { model: string; method: string; ok18: number; err18: number; ok19: number; err19: number }

export function methodsTsv(): MethodRow[] {
  const [, ...rows] = odooContractFile('methods.tsv').trim().split('\n');
  return rows.map((line) => {
    const [model, method, ok18, err18, ok19, err19] = line.split('\t');
    return { model: model as string, method: method as string, ok18: Number(ok18), err18: Number(err18), ok19: Number(ok19), err19: Number(err19) };
  });
}

export type FieldsDump = Record<string, Record<string, { type: string; relation?: string }>>;
export function fieldsDump(version: 18 | 19): FieldsDump {
  return JSON.parse(odooContractFile(`fields-${version}.0.json`)) as FieldsDump;
}

export function transcriptFiles(version: 18 | 19): string[] {
  const dir = join(contractsDir(), 'odoo', `transcripts-${version}.0`);
  return readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(dir, f));
}

/** the ORM methods every model has; allowed on any model whose fields the contract recorded */
export const ORM_METHODS = new Set(['search', 'search_read', 'search_count', 'read', 'create', 'write', 'unlink', 'fields_get', 'name_search', 'read_group']);

/**
 * (model, method) pairs the recorded servers said do not exist or may not be called: unknown
 * models and methods, private methods. Read from the transcripts' error answers.
 */
export function refusedByOdoo(): Set<string> {
  const refused = new Set<string>();
  const pattern = /(?:method|model) '[^']+' does not exist|Object \S+ doesn't exist|cannot be called remotely/;
  for (const version of [18, 19] as const) {
    for (const file of transcriptFiles(version)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const entry = JSON.parse(line) as { path: string; request: Record<string, unknown>; response: unknown };
        const text = JSON.stringify(entry.response);
        if (!pattern.test(text)) continue;
        const params = (entry.request.params ?? {}) as { service?: string; args?: unknown[] };
        if (params.service === 'object' && Array.isArray(params.args)) refused.add(`${String(params.args[3])}.${String(params.args[4])}`);
        const m = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(entry.path);
        if (m) refused.add(`${m[1]}.${m[2]}`);
      }
    }
  }
  return refused;
}
