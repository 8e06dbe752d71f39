import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';

/**
 * Real Odoo servers for the tests, the benchmarks and by hand (`npm run odoo -- 18`).
 *
 * Where an Odoo comes from, per version, first match wins:
 *   1. ODOO_TEST_URL (+ ODOO_TEST_DATABASE, ODOO_TEST_LOGIN, ODOO_TEST_API_KEY): a server the user
 *      already runs, used as it is (its version is asked, so it serves only that version's tier);
 *   2. ODOO_SOURCE_18 / ODOO_SOURCE_19: an Odoo source folder or a .tar.xz of one;
 *   3. ../shared/vendor/odoo-<v>.0-community.tar.xz beside the project.
 * A source is unpacked once into the cache (ODOO_CACHE_DIR, default ~/.cache/m2o-odoo) keyed by the
 * tarball's hash; one template database per source is built with the modules a sales + stock +
 * accounting shop needs and an API key for admin, and reused by later runs; every test file gets a
 * fresh copy of it (CREATE DATABASE … TEMPLATE, well under a second). One server per version
 * serves all those copies.
 */

export type OdooVersion = 18 | 19;
export const ODOO_VERSIONS: readonly OdooVersion[] = [18, 19];

const ROOT = resolve(__dirname, '..');
const ADMIN_URL = () => process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MODULES = 'sale_management,stock,account,delivery,sale_stock,stock_delivery';
const ROLE = 'm2o_odoo';
// A local test role on a trust-auth server; Odoo refuses to connect without some password.
const ROLE_PASSWORD = 'm2o-odoo-test';
const PYTHON = process.env.ODOO_PYTHON ?? '/usr/bin/python3';

/** Debian package → the module Odoo imports from it (the vendor README's list). */
const PYTHON_PACKAGES: Record<string, string> = {
  'python3-babel': 'babel', 'python3-dateutil': 'dateutil', 'python3-decorator': 'decorator', 'python3-docutils': 'docutils',
  'python3-lxml': 'lxml', 'python3-passlib': 'passlib', 'python3-psutil': 'psutil', 'python3-psycopg2': 'psycopg2',
  'python3-pypdf2': 'PyPDF2', 'python3-reportlab': 'reportlab', 'python3-requests': 'requests', 'python3-werkzeug': 'werkzeug',
  'python3-jinja2': 'jinja2', 'python3-polib': 'polib', 'python3-openssl': 'OpenSSL', 'python3-rjsmin': 'rjsmin',
  'python3-zeep': 'zeep', 'python3-xlsxwriter': 'xlsxwriter', 'python3-xlrd': 'xlrd', 'python3-num2words': 'num2words',
  'python3-tz': 'pytz', 'python3-pil': 'PIL', 'python3-markupsafe': 'markupsafe', 'python3-vobject': 'vobject',
  'python3-qrcode': 'qrcode', 'python3-stdnum': 'stdnum', 'python3-asn1crypto': 'asn1crypto', 'python3-cbor2': 'cbor2',
  'python3-geoip2': 'geoip2', 'python3-ofxparse': 'ofxparse', 'python3-openpyxl': 'openpyxl', 'python3-gevent': 'gevent',
  'python3-greenlet': 'greenlet', 'python3-freezegun': 'freezegun', 'python3-mock': 'mock', 'python3-pydot': 'pydot',
  'python3-serial': 'serial', 'python3-usb': 'usb', 'python3-ldap': 'ldap', 'python3-libsass': 'sass', 'python3-magic': 'magic',
  'python3-chardet': 'chardet', 'python3-idna': 'idna', 'python3-urllib3': 'urllib3',
};

export type Log = (line: string) => void;
const defaultLog: Log = (line) => console.error(line);

export type OdooSource =
  | { version: OdooVersion; kind: 'server'; url: string; database: string; login: string; apiKey: string }
  | { version: OdooVersion; kind: 'folder' | 'tarball'; path: string; from: string };

/** What one test file (or a person) gets: a database of its own on a running server. */
export interface OdooDatabase {
  version: OdooVersion;
  url: string;
  database: string;
  login: string;
  apiKey: string;
  flavour: 'jsonrpc' | 'json2';
  /** drops the copy; a no-op for a user's own server */
  drop(): Promise<void>;
}

export function flavourOf(version: OdooVersion): 'jsonrpc' | 'json2' {
  return version >= 19 ? 'json2' : 'jsonrpc';
}

/**
 * Unpacked sources, template files and logs. One per machine user, not per clone: the template
 * databases live in the PostgreSQL server that every clone shares, and their files must be found
 * beside them whichever clone asks.
 */
export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return resolve(process.env.ODOO_CACHE_DIR ?? join(base, 'm2o-odoo'));
}

export function vendorTarball(version: OdooVersion): string {
  const shared = process.env.SHARED_DIR ? resolve(process.env.SHARED_DIR) : resolve(ROOT, '..', 'shared');
  return join(shared, 'vendor', `odoo-${version}.0-community.tar.xz`);
}

export function noSourceLine(version: OdooVersion): string {
  return `real Odoo ${version}: skipped — no source (set ODOO_SOURCE_${version} to an Odoo ${version}.0 folder or .tar.xz, ` +
    `or ODOO_TEST_URL to a running ${version}.0 server, or put odoo-${version}.0-community.tar.xz in ../shared/vendor)`;
}

// ---- finding a source -------------------------------------------------------------------

async function serverVersion(url: string): Promise<number | null> {
  try {
    const res = await fetch(new URL('/web/webclient/version_info', url), {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: {}, id: 1 }),
      signal: AbortSignal.timeout(5000),
    });
    const body = (await res.json()) as { result?: { server_version_info?: unknown[] } };
    const major = body.result?.server_version_info?.[0];
    return typeof major === 'number' ? major : null;
  } catch {
    return null;
  }
}

/** The Odoo to use for `version`, or null with nothing configured. Throws on a configured source that is broken. */
export async function findOdooSource(version: OdooVersion): Promise<OdooSource | null> {
  const url = process.env.ODOO_TEST_URL;
  if (url) {
    const major = await serverVersion(url);
    if (major === null) throw new Error(`ODOO_TEST_URL=${url} does not answer /web/webclient/version_info`);
    if (major === version) {
      const need = ['ODOO_TEST_DATABASE', 'ODOO_TEST_API_KEY'].filter((name) => !process.env[name]);
      if (need.length) throw new Error(`ODOO_TEST_URL is set: also set ${need.join(' and ')}`);
      return {
        version, kind: 'server', url, database: process.env.ODOO_TEST_DATABASE as string,
        login: process.env.ODOO_TEST_LOGIN ?? 'admin', apiKey: process.env.ODOO_TEST_API_KEY as string,
      };
    }
  }
  const fromEnv = process.env[`ODOO_SOURCE_${version}`];
  const candidates: Array<[string, string]> = fromEnv ? [[resolve(fromEnv), `ODOO_SOURCE_${version}`]] : [[vendorTarball(version), '../shared/vendor']];
  for (const [path, from] of candidates) {
    if (!existsSync(path)) {
      if (fromEnv) throw new Error(`ODOO_SOURCE_${version}=${fromEnv} does not exist`);
      continue;
    }
    if (statSync(path).isDirectory()) {
      if (!existsSync(join(path, 'odoo-bin'))) throw new Error(`${from}: ${path} has no odoo-bin; point it at the folder that holds odoo-bin`);
      return { version, kind: 'folder', path, from };
    }
    if (!path.endsWith('.tar.xz')) throw new Error(`${from}: ${path} is neither a folder nor a .tar.xz`);
    return { version, kind: 'tarball', path, from };
  }
  return null;
}

// ---- preparing a source: packages, unpack, role, template -------------------------------

function missingPythonModules(): string[] {
  const script = `import importlib\nfor m in ${JSON.stringify(Object.values(PYTHON_PACKAGES))}:\n    try:\n        importlib.import_module(m)\n    except Exception:\n        print(m)\n`;
  const out = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  if (out.error || out.status !== 0) throw new Error(`${PYTHON} does not run (${out.error?.message ?? out.stderr.trim()}); Odoo needs Debian's python3`);
  const missing = new Set(out.stdout.split('\n').filter(Boolean));
  return Object.entries(PYTHON_PACKAGES).filter(([, mod]) => missing.has(mod)).map(([pkg]) => pkg);
}

/** Installs Debian's python3 packages Odoo needs, when root can; else says exactly which are missing. */
export function ensurePythonPackages(log: Log = defaultLog): void {
  const missing = missingPythonModules();
  if (!missing.length) return;
  const canInstall = process.getuid?.() === 0 && spawnSync('which', ['apt-get']).status === 0;
  if (!canInstall) {
    throw new Error(`Odoo needs these Debian packages, missing here: ${missing.join(' ')}\n  install them: sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`[real-odoo] installing ${missing.length} Debian python3 packages (a few minutes the first time): ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let install = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: ['ignore', 'ignore', 'pipe'], env, encoding: 'utf8' });
  if (install.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
    install = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: ['ignore', 'ignore', 'pipe'], env, encoding: 'utf8' });
  }
  const still = missingPythonModules();
  if (still.length) throw new Error(`apt-get could not install: ${still.join(' ')}\n${install.stderr.slice(-2000)}`);
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The folder holding odoo-bin, unpacking a tarball once into the cache. */
async function sourceFolder(source: Extract<OdooSource, { path: string }>, log: Log): Promise<{ root: string; key: string }> {
  if (source.kind === 'folder') return { root: source.path, key: createHash('sha256').update(source.path).digest('hex').slice(0, 12) };
  const key = (await sha256(source.path)).slice(0, 12);
  const root = join(cacheDir(), `src-${source.version}-${key}`);
  if (existsSync(join(root, 'odoo-bin'))) return { root, key };
  log(`[real-odoo] unpacking ${source.from} Odoo ${source.version} into ${root}…`);
  const partial = `${root}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const tar = spawnSync('tar', ['-xJf', source.path, '-C', partial], { encoding: 'utf8' });
  if (tar.status !== 0) throw new Error(`tar could not unpack ${source.path}: ${tar.stderr}`);
  // Some tarballs carry a top folder; the root is wherever odoo-bin is.
  const top = existsSync(join(partial, 'odoo-bin')) ? partial : join(partial, spawnSync('ls', [partial], { encoding: 'utf8' }).stdout.trim().split('\n')[0] ?? '');
  if (!existsSync(join(top, 'odoo-bin'))) throw new Error(`${source.path} holds no odoo-bin`);
  if (existsSync(root)) rmSync(root, { recursive: true, force: true });
  renameSync(top, root);
  rmSync(partial, { recursive: true, force: true });
  return { root, key };
}

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureRole(): Promise<void> {
  await withAdmin(async (pg) => {
    const { rowCount } = await pg.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [ROLE]);
    if (!rowCount) await pg.query(`CREATE ROLE ${ROLE} LOGIN CREATEDB PASSWORD '${ROLE_PASSWORD}'`).catch((err: Error & { code?: string }) => {
      if (err.code !== '42710') throw err; // created meanwhile by a parallel run
    });
  });
}

function dbConnectionFlags(): string[] {
  const admin = new URL(ADMIN_URL());
  return ['--db_host', admin.hostname || '127.0.0.1', '--db_port', admin.port || '5432', '--db_user', ROLE, '--db_password', ROLE_PASSWORD];
}

function addonsPath(root: string): string {
  return `${join(root, 'addons')},${join(root, 'odoo', 'addons')}`;
}

function lastLines(text: string, n = 40): string {
  return text.split('\n').filter(Boolean).slice(-n).join('\n');
}

/** Runs odoo-bin to completion, a progress line every 20 s; its output goes to a log file. */
function runOdooBin(prepared: PreparedSource, args: string[], what: string, log: Log, input?: string): Promise<string> {
  const logFile = join(cacheDir(), 'logs', `${what.replace(/\W+/g, '-')}-${prepared.version}-${process.pid}.log`);
  mkdirSync(join(cacheDir(), 'logs'), { recursive: true });
  return new Promise((done, fail) => {
    const started = Date.now();
    const child = spawn(PYTHON, [join(prepared.root, 'odoo-bin'), ...args], { cwd: prepared.root, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.stdin.end(input ?? '');
    const timer = setInterval(() => log(`[real-odoo ${prepared.version}] ${what}… ${Math.round((Date.now() - started) / 1000)} s`), 20_000);
    child.on('error', (e) => {
      clearInterval(timer);
      fail(e);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      writeFileSync(logFile, err + out);
      if (code === 0) return done(out);
      fail(new Error(`odoo-bin (${what}) exited with ${code}; last lines of its log (${logFile}):\n${lastLines(err + out)}`));
    });
  });
}

export interface PreparedSource {
  version: OdooVersion;
  root: string;
  template: string;
  apiKey: string;
  dataDir: string;
}

function templateName(version: OdooVersion, key: string): string {
  return `m2o_odoo${version}_tpl_${key}`;
}

async function templateState(name: string, dataDir: string): Promise<{ apiKey: string } | null> {
  return withAdmin(async (pg) => {
    const { rows } = await pg.query<{ comment: string | null }>(
      'SELECT shobj_description(oid, $2) AS comment FROM pg_database WHERE datname = $1', [name, 'pg_database']);
    const comment = rows[0]?.comment;
    if (!comment || !existsSync(join(dataDir, 'filestore', name))) return null;
    try {
      const parsed = JSON.parse(comment) as { apiKey?: string };
      return parsed.apiKey ? { apiKey: parsed.apiKey } : null;
    } catch {
      return null;
    }
  });
}

async function dropDatabase(pg: Client, name: string, dataDir: string): Promise<void> {
  await pg.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  rmSync(join(dataDir, 'filestore', name), { recursive: true, force: true });
}

/**
 * Packages, unpacked source, database role and template, built once and reused. Serialised per
 * source with an advisory lock, so two test runs never build the same template at once.
 */
export async function prepareSource(source: Extract<OdooSource, { path: string }>, log: Log = defaultLog): Promise<PreparedSource> {
  ensurePythonPackages(log);
  const { root, key } = await sourceFolder(source, log);
  await ensureRole();
  const dataDir = join(cacheDir(), 'data');
  mkdirSync(dataDir, { recursive: true });
  const template = templateName(source.version, key);
  const lockPg = new Client({ connectionString: ADMIN_URL() });
  await lockPg.connect();
  try {
    await lockPg.query('SELECT pg_advisory_lock(hashtext($1))', [template]);
    const ready = await templateState(template, dataDir);
    if (ready) return { version: source.version, root, template, apiKey: ready.apiKey, dataDir };

    const building = `${template}_build`;
    await dropDatabase(lockPg, building, dataDir);
    const prepared: PreparedSource = { version: source.version, root, template, apiKey: '', dataDir };
    const started = Date.now();
    log(`[real-odoo ${source.version}] building template database ${template} (${MODULES}; about 2 minutes, once per source)…`);
    await runOdooBin(prepared, [
      `--addons-path=${addonsPath(root)}`, ...dbConnectionFlags(), '--data-dir', dataDir, '-d', building, '-i', MODULES,
      ...(source.version < 19 ? ['--without-demo=all'] : []), '--stop-after-init', '--no-http', '--log-level=warn',
    ], 'initialising the template', log);
    const marker = 'M2O_API_KEY=';
    const shell = await runOdooBin(prepared, [
      'shell', `--addons-path=${addonsPath(root)}`, ...dbConnectionFlags(), '--data-dir', dataDir, '-d', building, '--no-http', '--log-level=warn',
    ], 'making an API key', log,
    `k = env['res.users.apikeys'].with_user(env.ref('base.user_admin'))._generate(None, 'm2o tests', None)\nenv.cr.commit()\nprint('${marker}' + k)\n`);
    const apiKey = shell.split('\n').find((l) => l.startsWith(marker))?.slice(marker.length).trim();
    if (!apiKey) throw new Error(`odoo-bin shell printed no API key:\n${lastLines(shell)}`);
    // A template left without its files (another cache folder made it) is replaced.
    await dropDatabase(lockPg, template, dataDir);
    await lockPg.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`);
    const store = join(dataDir, 'filestore');
    mkdirSync(store, { recursive: true });
    if (existsSync(join(store, building))) renameSync(join(store, building), join(store, template));
    else mkdirSync(join(store, template), { recursive: true });
    await lockPg.query(`COMMENT ON DATABASE "${template}" IS '${JSON.stringify({ apiKey, modules: MODULES })}'`);
    log(`[real-odoo ${source.version}] template ${template} ready in ${Math.round((Date.now() - started) / 1000)} s`);
    return { ...prepared, apiKey };
  } finally {
    await lockPg.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
    await lockPg.end().catch(() => undefined);
  }
}

// ---- one server per version ---------------------------------------------------------------

export interface OdooServer {
  version: OdooVersion;
  url: string;
  flavour: 'jsonrpc' | 'json2';
  /** a fresh database copied from the template (or, for a user's own server, that server's database) */
  newDatabase(name: string): Promise<OdooDatabase>;
  /** what a test process needs to make its own databases here (REAL_ODOO in the real-Odoo tier) */
  target: RealOdooTarget;
  /** the last lines of the server's log */
  logTail(): string;
  stop(): Promise<void>;
}

export interface RealOdooTarget {
  version: OdooVersion;
  url: string;
  apiKey: string;
  login: string;
  /** copies are made from this template, named with this prefix … */
  template?: string;
  dataDir?: string;
  prefix?: string;
  /** … unless a user's own server names its one database */
  database?: string;
}

/** Database copies made for a run are named `<prefix><something>`, so a run can drop all of its own. */
export function copyPrefix(version: OdooVersion, runId: string): string {
  return `m2o_odoo${version}_${runId}_`;
}

export async function copyTemplate(prepared: Pick<PreparedSource, 'template' | 'dataDir'>, name: string): Promise<void> {
  await withAdmin(async (pg) => {
    await dropDatabase(pg, name, prepared.dataDir);
    await pg.query(`CREATE DATABASE "${name}" TEMPLATE "${prepared.template}" OWNER ${ROLE}`);
  });
  const store = join(prepared.dataDir, 'filestore');
  if (existsSync(join(store, prepared.template))) cpSync(join(store, prepared.template), join(store, name), { recursive: true });
}

export async function dropCopies(version: OdooVersion, runId: string, dataDir = join(cacheDir(), 'data')): Promise<number> {
  return withAdmin(async (pg) => {
    const { rows } = await pg.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${copyPrefix(version, runId)}%`]);
    for (const { datname } of rows) await dropDatabase(pg, datname, dataDir);
    return rows.length;
  });
}

async function waitUntilUp(url: string, child: ChildProcess, tail: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`Odoo exited (${child.exitCode ?? child.signalCode}) before answering; last lines of its log:\n${tail()}`);
    if ((await serverVersion(url)) !== null) return;
    if (Date.now() > deadline) throw new Error(`Odoo did not answer at ${url} within ${timeoutMs / 1000} s; last lines of its log:\n${tail()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function startOdooServer(prepared: PreparedSource, log: Log = defaultLog): Promise<Omit<OdooServer, 'newDatabase' | 'target'> & { prepared: PreparedSource }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFile = join(cacheDir(), 'logs', `server-${prepared.version}-${process.pid}-${port}.log`);
  mkdirSync(join(cacheDir(), 'logs'), { recursive: true });
  const args = [
    join(prepared.root, 'odoo-bin'), `--addons-path=${addonsPath(prepared.root)}`, ...dbConnectionFlags(), '--data-dir', prepared.dataDir,
    '--http-port', String(port), '--http-interface', '127.0.0.1', '--max-cron-threads', '0', '--log-level', 'warn', '--logfile', logFile,
    // Only this project's databases; never the template (a session on it would block its copies).
    '--db-filter', `^m2o_odoo${prepared.version}_(?!tpl_).*$`,
  ];
  if (prepared.version >= 19) args.push('--log-handler', 'odoo.addons.rpc.controllers.jsonrpc:ERROR');
  const fd = openSync(`${logFile}.out`, 'a');
  const child = spawn(PYTHON, args, { cwd: prepared.root, stdio: ['ignore', fd, fd] });
  const tail = () => {
    const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
    return lastLines(read(logFile) + read(`${logFile}.out`));
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  };
  const started = Date.now();
  try {
    await waitUntilUp(url, child, tail, 120_000);
  } catch (err) {
    await stop();
    throw err;
  }
  log(`[real-odoo ${prepared.version}] server at ${url} (up after ${Math.round((Date.now() - started) / 1000)} s)`);
  return { version: prepared.version, url, flavour: flavourOf(prepared.version), logTail: tail, stop, prepared };
}

/**
 * Finds and prepares the Odoo of one version (the long steps: packages, unpacking, template);
 * null when there is no source for it. `start()` then runs its server.
 */
export async function prepareOdoo(version: OdooVersion, runId: string, log: Log = defaultLog): Promise<{ source: OdooSource; start(): Promise<OdooServer> } | null> {
  const source = await findOdooSource(version);
  if (!source) return null;
  if (source.kind === 'server') {
    const server: OdooServer = {
      version, url: source.url, flavour: flavourOf(version), logTail: () => '(a server of your own: see its log)', async stop() {},
      target: { version, url: source.url, apiKey: source.apiKey, login: source.login, database: source.database },
      async newDatabase() {
        return { version, url: source.url, database: source.database, login: source.login, apiKey: source.apiKey, flavour: flavourOf(version), async drop() {} };
      },
    };
    return { source, start: async () => server };
  }
  const prepared = await prepareSource(source, log);
  return {
    source,
    async start() {
      const server = await startOdooServer(prepared, log);
      return {
        ...server,
        target: { version, url: server.url, apiKey: prepared.apiKey, login: 'admin', template: prepared.template, dataDir: prepared.dataDir, prefix: copyPrefix(version, runId) },
        async newDatabase(name) {
          const database = `${copyPrefix(version, runId)}${name}`;
          await copyTemplate(prepared, database);
          return {
            version, url: server.url, database, login: 'admin', apiKey: prepared.apiKey, flavour: server.flavour,
            async drop() {
              await withAdmin((pg) => dropDatabase(pg, database, prepared.dataDir));
            },
          };
        },
        async stop() {
          await server.stop();
          await dropCopies(version, runId, prepared.dataDir);
        },
      };
    },
  };
}

// `npm run odoo -- 18`: a server and a fresh database by hand; Ctrl-C stops it and drops the copy.
if (require.main === module) {
  (async () => {
    const version = Number(process.argv[2] ?? 18);
    if (version !== 18 && version !== 19) throw new Error('usage: npm run odoo -- 18|19');
    const runId = `manual${process.pid}`;
    const found = await prepareOdoo(version, runId);
    if (!found) throw new Error(noSourceLine(version));
    const server = await found.start();
    const db = await server.newDatabase('db');
    console.log(`Odoo ${version} (${db.flavour})\n  URL       ${db.url}\n  database  ${db.database}\n  login     ${db.login} (password admin)\n  API key   ${db.apiKey}\nCtrl-C stops the server and drops the database.`);
    const shutdown = () => void server.stop().then(() => process.exit(0));
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  })().catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
