import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/**
 * Finds the Temporal CLI, building the pinned version from source when none is present.
 * v1.5.1 is the newest tag without a `replace` directive in its go.mod, so a plain
 * `go install` builds it through the Go module proxy with no wrapper module.
 */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const MODULE = 'github.com/temporalio/cli/cmd/temporal';
const REPO_ROOT = resolve(__dirname, '..');
export const CACHED_CLI = join(REPO_ROOT, '.tools', 'bin', 'temporal');

function versionOf(path: string): string | null {
  const out = spawnSync(path, ['--version'], { encoding: 'utf8' });
  if (out.status !== 0) return null;
  return out.stdout.trim();
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

export interface FindOptions {
  /** build from source when nothing is found (default true) */
  build?: boolean;
  log?: (line: string) => void;
}

export async function findTemporalCli(options: FindOptions = {}): Promise<string> {
  const log = options.log ?? ((line: string) => console.error(line));

  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!versionOf(fromEnv)) throw new Error(`TEMPORAL_CLI=${fromEnv} does not run (\`${fromEnv} --version\` failed)`);
    return fromEnv;
  }
  const fromPath = onPath('temporal');
  if (fromPath && versionOf(fromPath)) return fromPath;

  if (existsSync(CACHED_CLI)) {
    const version = versionOf(CACHED_CLI);
    if (version?.includes(TEMPORAL_CLI_VERSION)) return CACHED_CLI;
    log(`[temporal-cli] cached binary reports "${version ?? 'nothing'}", want ${TEMPORAL_CLI_VERSION}: rebuilding`);
  }
  if (options.build === false) throw new Error(`no Temporal CLI found (TEMPORAL_CLI, PATH, ${CACHED_CLI})`);
  await buildTemporalCli(log);
  return CACHED_CLI;
}

async function buildTemporalCli(log: (line: string) => void): Promise<void> {
  const go = process.env.GO ?? onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
  if (!go) {
    throw new Error(
      [
        'No Temporal CLI was found and Go is not installed to build one.',
        'Either:',
        `  - install Go 1.25+ (https://go.dev/dl/) and run this again: it builds temporal v${TEMPORAL_CLI_VERSION} into .tools/bin/`,
        '  - or install the Temporal CLI (https://docs.temporal.io/cli#install) and put `temporal` on PATH,',
        '  - or point TEMPORAL_CLI at an existing binary.',
      ].join('\n'),
    );
  }
  mkdirSync(join(REPO_ROOT, '.tools', 'bin'), { recursive: true });
  log(`[temporal-cli] building temporal v${TEMPORAL_CLI_VERSION} with ${go} (first time only; several minutes on 2 cores)`);
  const started = Date.now();
  const child = spawn(
    go,
    ['install', '-trimpath', '-ldflags', `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`, `${MODULE}@v${TEMPORAL_CLI_VERSION}`],
    {
      env: { ...process.env, GOBIN: join(REPO_ROOT, '.tools', 'bin'), CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
      stdio: ['ignore', 'inherit', 'pipe'],
    },
  );
  let downloads = 0;
  let tail = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-4000);
    downloads += (chunk.match(/go: downloading/g) ?? []).length;
  });
  // go prints nothing while it compiles; a heartbeat line tells a newcomer it is not stuck.
  const ticker = setInterval(() => {
    log(`[temporal-cli] still building: ${Math.round((Date.now() - started) / 1000)}s, ${downloads} modules downloaded`);
  }, 30_000);
  const code: number = await new Promise((done) => child.on('close', (c) => done(c ?? 1)));
  clearInterval(ticker);
  if (code !== 0 || !versionOf(CACHED_CLI)) {
    throw new Error(`building the Temporal CLI failed (exit ${code}):\n${tail}`);
  }
  log(`[temporal-cli] built ${versionOf(CACHED_CLI)} in ${Math.round((Date.now() - started) / 1000)}s`);
}

if (require.main === module) {
  findTemporalCli()
    .then((path) => console.log(path))
    .catch((err: Error) => {
      console.error(err.message);
      process.exit(1);
    });
}
