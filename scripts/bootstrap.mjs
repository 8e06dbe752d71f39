// Runs before anything else in `npm start` and `npm test`, with no dependencies of its own, so a
// fresh clone needs nothing but Node and npm: it installs the npm packages when they are missing
// or older than package-lock.json.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 3)) {
  console.error(`Node ${process.versions.node} is too old: the Temporal SDK needs Node 20.3 or newer.`);
  process.exit(1);
}

const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
if (stale) {
  // Not `npm ci`: the registry serves only some of @swc/core's optional platform packages, so the
  // lock cannot list them all and `npm ci` refuses it. `npm install` still honours the lock.
  console.error('[bootstrap] npm install (first run, or package-lock.json changed)…');
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
