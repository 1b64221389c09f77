// Installs the project's npm dependencies from package-lock.json (`npm ci`) when node_modules is
// missing or older than the lock file, so `npm start` and `npm test` work on a fresh clone.
// Only `node:` imports here: this runs before anything from node_modules can be loaded.
//
//   node scripts/ensureDependencies.mjs [folder]           the same, for another project folder
//   import { ensureDependencies } from './ensureDependencies.mjs'   from the entry scripts
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Why node_modules needs `npm ci`, or undefined when it is up to date. Every npm install ends by
 * writing node_modules/.package-lock.json, npm's "hidden lockfile" (docs.npmjs.com, "package-lock.json",
 * Hidden Lockfiles), after package-lock.json: an older one means the lock file changed since (a
 * pull, a branch switch).
 */
export function staleDependencies(root = projectRoot) {
  const lock = join(root, 'package-lock.json');
  const installed = join(root, 'node_modules/.package-lock.json');
  if (!existsSync(join(root, 'node_modules'))) return 'node_modules is missing';
  if (!existsSync(installed)) return 'node_modules was not installed by npm';
  if (statSync(installed).mtimeMs < statSync(lock).mtimeMs) return 'package-lock.json is newer than node_modules';
  return undefined;
}

/** Runs `npm ci` in `root` when staleDependencies says so; rejects when npm fails. */
export async function ensureDependencies({ root = projectRoot, log = (line) => console.log(line) } = {}) {
  const reason = staleDependencies(root);
  if (!reason) return false;
  log(`[dependencies] ${reason}: npm ci --no-audit --no-fund (once)`);
  const started = Date.now();
  // When this runs under `npm start`/`npm test`, npm's own npm_config_* variables describe the
  // outer npm's command; the nested npm must read only the project's .npmrc and the user's.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD'));
  const code = await new Promise((done, fail) => {
    // npm's output goes straight to the terminal: a first install can take a minute and this
    // shows that it is moving. No stdin: CI runs without one.
    const child = spawn('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error) => fail(new Error(`npm could not start: ${error.message}`)));
    child.on('close', (exitCode, signal) => done(exitCode ?? signal));
  });
  if (code !== 0) throw new Error(`npm ci failed (exit ${code}) in ${root}`);
  log(`[dependencies] installed from package-lock.json (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  try {
    const installed = await ensureDependencies({ root: resolve(process.argv[2] ?? projectRoot) });
    if (!installed) console.log('[dependencies] node_modules is up to date with package-lock.json');
  } catch (error) {
    console.error(`[dependencies] ${error.message}`);
    process.exitCode = 1;
  }
}
