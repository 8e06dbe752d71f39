import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const hasCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;

test('docker-compose.yml validates offline', { skip: hasCompose ? false : 'docker-compose is not installed (.ci/run installs it)' }, () => {
  const result = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env } });
  assert.equal(result.status, 0, result.stderr);
});

test('docker-compose.yml runs the services production needs and keeps secrets out of the file', () => {
  const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
  for (const service of ['postgresql:', 'temporal:', 'temporal-ui:', 'worker:', 'gateway:']) assert.ok(text.includes(`\n  ${service}`), service);
  // Every credential is a variable reference, never a literal.
  for (const line of text.split('\n')) {
    if (/(SECRET|API_KEY|ACCESS_TOKEN|PASSWORD|PWD):/.test(line)) assert.match(line, /\$\{[A-Z_]+(:-[^}]*)?\}/, line);
  }
});
