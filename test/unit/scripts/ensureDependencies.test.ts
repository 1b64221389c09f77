import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// scripts/ensureDependencies.mjs run as `npm start` and `npm test` run it, on a project whose one
// dependency is a local folder (npm links it without the registry).
const script = join(__dirname, '../../../../scripts/ensureDependencies.mjs');

function run(dir: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [script, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('ensureDependencies (npm start / npm test on a fresh clone)', function () {
  this.timeout(120_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'coderflow-deps-'));
    mkdirSync(join(dir, 'dep'));
    writeFileSync(join(dir, 'dep/package.json'), JSON.stringify({ name: 'dep', version: '1.0.0' }));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fixture', version: '1.0.0', private: true, dependencies: { dep: 'file:dep' } }));
    writeFileSync(
      join(dir, 'package-lock.json'),
      JSON.stringify({
        name: 'fixture',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': { name: 'fixture', version: '1.0.0', dependencies: { dep: 'file:dep' } },
          dep: { version: '1.0.0' },
          'node_modules/dep': { resolved: 'dep', link: true },
        },
      }),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('installs from package-lock.json when node_modules is missing', () => {
    const first = run(dir);
    assert.equal(first.status, 0, first.output);
    assert.match(first.output, /node_modules is missing: npm ci/);
    assert.ok(existsSync(join(dir, 'node_modules/dep/package.json')), 'the dependency is installed');
  });

  it('leaves an up-to-date node_modules alone', () => {
    assert.equal(run(dir).status, 0);
    // npm ci empties node_modules first: a file of ours surviving shows it did not run again.
    writeFileSync(join(dir, 'node_modules/marker'), '');
    const again = run(dir);
    assert.equal(again.status, 0, again.output);
    assert.match(again.output, /up to date/);
    assert.ok(existsSync(join(dir, 'node_modules/marker')));
  });

  it('installs again when package-lock.json is newer than node_modules', () => {
    assert.equal(run(dir).status, 0);
    writeFileSync(join(dir, 'node_modules/marker'), '');
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'package-lock.json'), later, later);
    const again = run(dir);
    assert.equal(again.status, 0, again.output);
    assert.match(again.output, /package-lock\.json is newer than node_modules: npm ci/);
    assert.ok(!existsSync(join(dir, 'node_modules/marker')), 'npm ci replaced node_modules');
    assert.ok(existsSync(join(dir, 'node_modules/dep/package.json')));
  });

  it('installs when node_modules exists but npm never installed into it', () => {
    mkdirSync(join(dir, 'node_modules'));
    const result = run(dir);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /not installed by npm: npm ci/);
    assert.ok(existsSync(join(dir, 'node_modules/dep/package.json')));
  });

  it('fails, saying so, when npm ci fails', () => {
    // A lock file that disagrees with package.json: npm ci refuses it.
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fixture', version: '1.0.0', private: true, dependencies: { other: 'file:dep' } }));
    const result = run(dir);
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /npm ci failed/);
  });
});
