import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const hasCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;
const skip = hasCompose ? false : 'docker-compose is not installed (.ci/run installs it)';
const PASSWORDS = { POSTGRES_PASSWORD: 'p1', TEMPORAL_DB_PASSWORD: 'p2', CONNECTOR_DB_PASSWORD: 'p3' };

function compose(args: string[], env: Record<string, string | undefined>) {
  const clean = { ...process.env };
  for (const name of Object.keys(PASSWORDS)) delete clean[name];
  // .env.example, not a developer's .env: what a new install starts from
  return spawnSync('docker-compose', ['-f', 'docker-compose.yml', '--project-directory', ROOT, '--env-file', join(ROOT, '.env.example'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...clean, ...env },
  });
}

test('docker-compose.yml validates offline', { skip }, () => {
  const result = compose(['config', '-q'], PASSWORDS);
  assert.equal(result.status, 0, result.stderr);
  const services = compose(['config', '--services'], PASSWORDS).stdout.trim().split('\n').sort();
  assert.deepEqual(services, ['gateway', 'postgresql', 'temporal', 'temporal-namespace', 'temporal-schema', 'temporal-ui', 'worker']);
});

test('it refuses to start without each password, naming it', { skip }, () => {
  for (const name of Object.keys(PASSWORDS)) {
    const result = compose(['config', '-q'], { ...PASSWORDS, [name]: undefined });
    assert.notEqual(result.status, 0, `${name} unset, yet the file validated`);
    assert.match(result.stderr, new RegExp(`set ${name} in \\.env`), result.stderr);
  }
});

test('the worker and the connector use their own database login, Temporal its own', { skip }, () => {
  const text = compose(['config'], PASSWORDS).stdout;
  assert.match(text, /DATABASE_URL: postgres:\/\/m2o:p3@postgresql:5432\/m2o/);
  assert.match(text, /POSTGRES_USER: temporal\n/);
  assert.match(text, /POSTGRES_PWD: p2\n/);
  assert.doesNotMatch(text, /p1@/, 'the superuser password is used by PostgreSQL alone');
});

test('docker-compose.yml runs the production images and keeps secrets out of the file', () => {
  const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
  for (const service of ['postgresql:', 'temporal-schema:', 'temporal:', 'temporal-namespace:', 'temporal-ui:', 'worker:', 'gateway:'])
    assert.ok(text.includes(`\n  ${service}`), service);
  assert.match(text, /image: temporalio\/server:/);
  assert.match(text, /image: temporalio\/admin-tools:/);
  assert.doesNotMatch(text, /auto-setup/, 'the development image is gone');
  // healthchecks for everything long-running that the others wait on or ops watch
  for (const service of ['worker', 'gateway', 'temporal', 'postgresql']) {
    const block = text.split(`\n  ${service}:\n`)[1]!.split(/\n {2}\S/)[0]!;
    assert.match(block, /healthcheck:/, `${service} has a healthcheck`);
  }
  // Every credential is a variable reference without a default, never a literal.
  for (const line of text.split('\n')) {
    if (/(SECRET|API_KEY|ACCESS_TOKEN|PASSWORD|PWD|TOKEN):/.test(line) && !line.trim().startsWith('#')) assert.match(line, /\$\{[A-Z_]+(:-|:\?)?[^}]*\}/, line);
    if (/(PASSWORD|PWD):/.test(line)) assert.doesNotMatch(line, /:-/, `no default password: ${line}`);
  }
});
