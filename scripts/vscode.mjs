// Installs what a real VS Code needs on these offline machines (see
// ../shared/notes/real-vscode-offline.md): Debian's Chromium, ripgrep and libkrb5-dev, and
// code-server 4.100.3 (VS Code 1.100.3's server and web workbench) in .cache/vscode.
// Idempotent: a marker file records a finished install, so a rerun only checks.
//
//   node scripts/vscode.mjs          install if needed, print one line per step with its duration
//   import { ensureVscode } from './vscode.mjs'   the same, from another script
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync, chmodSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_VERSION = '4.100.3';
export const VSCODE_VERSION = '1.100.3';
export const cacheDir = join(root, '.cache/vscode');
export const codeServerDir = join(cacheDir, 'node_modules/code-server');
export const codeServerEntry = join(codeServerDir, 'out/node/entry.js');
export const vscodeDir = join(codeServerDir, 'lib/vscode');
export const serverMain = join(vscodeDir, 'out/server-main.js');
export const chromiumPath = '/usr/bin/chromium';
const marker = join(cacheDir, `installed-code-server-${CODE_SERVER_VERSION}.json`);
// openssl: the reference server's self-signed TLS mode and the TLS tests make certificates with it.
const debianPackages = ['chromium', 'ripgrep', 'libkrb5-dev', 'openssl'];

export class InstallError extends Error {}

/** Makes sure Chromium, ripgrep, libkrb5-dev, openssl and code-server are installed; returns the paths to use. */
export async function ensureVscode({ log = (line) => console.log(line) } = {}) {
  await step(log, `Debian packages (${debianPackages.join(', ')})`, ensureDebianPackages);
  if (isInstalled()) {
    log(`[vscode] code-server ${CODE_SERVER_VERSION}: already installed in ${relative(cacheDir)} (0.0 s)`);
  } else {
    await installCodeServer(log);
  }
  return { codeServerEntry, serverMain, chromiumPath, version: CODE_SERVER_VERSION };
}

export function isInstalled() {
  return existsSync(marker) && existsSync(serverMain) && existsSync(codeServerEntry);
}

async function step(log, title, action) {
  const started = Date.now();
  try {
    const note = await action();
    log(`[vscode] ${title}: ${note ?? 'done'} (${seconds(started)})`);
  } catch (error) {
    log(`[vscode] ${title}: FAILED (${seconds(started)})`);
    throw error instanceof InstallError ? error : new InstallError(`${title} failed: ${error.message}`);
  }
}

async function ensureDebianPackages() {
  const missing = debianPackages.filter((name) => !isDebianPackageInstalled(name));
  if (missing.length === 0) return 'already installed';
  if (process.getuid?.() !== 0) {
    throw new InstallError(`missing Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update'], { env });
  await run('apt-get', ['install', '-y', ...missing], { env });
  const still = missing.filter((name) => !isDebianPackageInstalled(name));
  if (still.length > 0) throw new InstallError(`apt-get did not install: ${still.join(' ')}`);
  return `installed ${missing.join(' ')}`;
}

function isDebianPackageInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

async function installCodeServer(log) {
  // A half-finished install (no marker) is not trusted: start over from an empty folder.
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  // Without its own package.json npm would walk up and install into the extension's project.
  writeFileSync(join(cacheDir, 'package.json'), JSON.stringify({ name: 'vscode-cache', private: true }, null, 2));
  const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
  const extensionsDir = join(vscodeDir, 'extensions');

  await step(log, `npm install code-server@${CODE_SERVER_VERSION} (no scripts: its postinstall refuses root)`, () =>
    npm(['install', '--ignore-scripts', ...quiet, `code-server@${CODE_SERVER_VERSION}`], cacheDir));
  await step(log, 'build argon2 from source', () => npm(['rebuild', 'argon2', '--build-from-source', ...quiet], cacheDir));
  await step(log, 'npm install VS Code server dependencies', () =>
    npm(['install', '--omit=dev', '--ignore-scripts', ...quiet], vscodeDir));
  await step(log, 'ripgrep from Debian instead of the GitHub download', () => {
    const target = join(vscodeDir, 'node_modules/@vscode/ripgrep/bin/rg');
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync('/usr/bin/rg', target);
    chmodSync(target, 0o755);
  });
  await step(log, 'build native modules (node-pty, @parcel/watcher, @vscode/spdlog, native-watchdog, kerberos)', () =>
    npm(['rebuild', 'node-pty', '@parcel/watcher', '@vscode/spdlog', 'native-watchdog', 'kerberos', ...quiet], vscodeDir,
      { npm_config_yes: 'true' }));
  await step(log, 'node_modules.asar link', () => {
    symlinkSync('node_modules', join(vscodeDir, 'node_modules.asar'));
  });
  await step(log, 'npm install built-in extensions dependencies', () =>
    npm(['install', '--omit=dev', '--ignore-scripts', ...quiet], extensionsDir));
  await step(log, 'check version', async () => {
    const output = await run(process.execPath, [codeServerEntry, '--version'], { capture: true });
    const line = output.split('\n').find((text) => text.startsWith(`${CODE_SERVER_VERSION} `) && text.includes(`with Code ${VSCODE_VERSION}`));
    if (!line) throw new InstallError(`unexpected version output: ${output.trim()}`);
    return line.trim();
  });
  writeFileSync(marker, JSON.stringify({ codeServer: CODE_SERVER_VERSION, vscode: VSCODE_VERSION, installedAt: new Date().toISOString() }, null, 2));
}

function npm(args, cwd, extraEnv = {}) {
  // When this runs under `npm test`, npm's own npm_config_* variables (prefix, local prefix…)
  // would point the nested npm at the extension's project; drop them.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'INIT_CWD'));
  return run('npm', args, { cwd, env: { ...env, ...extraEnv } }).then(() => undefined);
}

/** Runs a command with no stdin; on failure the error carries the command's last output lines. */
function run(command, args, { cwd = root, env = process.env, capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk) => {
      output += chunk;
      if (output.length > 200_000) output = output.slice(-100_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => reject(new InstallError(`${command} could not start: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) return resolve(capture ? output : undefined);
      const tail = output.trim().split('\n').slice(-25).join('\n');
      reject(new InstallError(`\`${command} ${args.join(' ')}\` in ${relative(cwd)} exited with ${code ?? signal}:\n${tail}`));
    });
  });
}

function relative(path) {
  return path.startsWith(root) ? path.slice(root.length + 1) || '.' : path;
}

function seconds(started) {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  try {
    await ensureVscode();
    console.log(`[vscode] ready (${seconds(started)})`);
  } catch (error) {
    console.error(`[vscode] ${error.message}`);
    process.exit(1);
  }
}
