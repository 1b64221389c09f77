import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { delay, keepAfterExit, removeOnExit, spawnManaged, type ManagedProcess } from './processes';

/** The repository (this file runs from out/test/support). */
export const repoRoot = resolve(__dirname, '../../..');

interface Installation {
  serverMain: string;
  codeServerEntry: string;
  chromiumPath: string;
}

/** Paths of the VS Code installed by scripts/vscode.mjs, which stays their one source. */
export async function installation(): Promise<Installation> {
  const installer = (await import(pathToFileURL(join(repoRoot, 'scripts/vscode.mjs')).href)) as Installation & {
    isInstalled(): boolean;
  };
  if (!installer.isInstalled()) {
    throw new Error('VS Code (code-server) is not installed here: run `node scripts/vscode.mjs` first.');
  }
  return installer;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface WorkbenchOptions {
  /** The folder to open (absolute path on this machine). */
  folder: string;
  /** Loaded as a development extension; the repository unless told otherwise. */
  extensionDevelopmentPath?: string;
  /** A module exporting run(): VS Code runs it in the extension host as an extension test. */
  extensionTestsPath?: string;
}

export interface VscodeServer {
  readonly origin: string;
  readonly process: ManagedProcess;
  /** The page that opens the workbench on a folder, with the extension loaded from source. */
  workbenchUrl(options: WorkbenchOptions): string;
  /** Folder of this run's user data, server data (logs) and extensions. */
  readonly dataDir: string;
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * Starts VS Code's own server (the one inside code-server) on 127.0.0.1 with fresh data folders.
 * Its environment reaches the extension host: pass test settings through `env`.
 */
export async function startVscodeServer(
  options: {
    env?: NodeJS.ProcessEnv;
    echo?: boolean;
    name?: string;
    /** VSIX files installed before the server starts. */
    installExtensions?: string[];
    /** The display language (`--locale`), which the server prefers to the browser's. */
    locale?: string;
  } = {},
): Promise<VscodeServer> {
  const { serverMain } = await installation();
  const name = options.name ?? 'vscode';
  const dataDir = freshRunDir(name);
  const removeData = removeOnExit(dataDir);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawnManaged(
    process.execPath,
    [
      serverMain,
      '--host', '127.0.0.1',
      '--port', String(port),
      '--without-connection-token',
      '--accept-server-license-terms',
      '--telemetry-level', 'off',
      ...(options.locale ? ['--locale', options.locale] : []),
      '--user-data-dir', join(dataDir, 'user-data'),
      '--server-data-dir', join(dataDir, 'server-data'),
      '--extensions-dir', join(dataDir, 'extensions'),
      ...(options.installExtensions ?? []).flatMap((vsix) => ['--install-extension', vsix]),
      ...(options.installExtensions?.length ? ['--start-server'] : []),
    ],
    { name, env: { ...process.env, ...testHome(dataDir), ...options.env }, echo: options.echo },
  );
  const stop = async ({ keepData = false } = {}) => {
    await child.stop();
    if (keepData) keepAfterExit(dataDir);
    else removeData();
  };
  try {
    await waitUntilServing(origin, child, 60_000);
  } catch (error) {
    await stop({ keepData: true });
    throw error;
  }
  return {
    origin,
    process: child,
    dataDir,
    stop,
    workbenchUrl({ folder, extensionDevelopmentPath = repoRoot, extensionTestsPath }) {
      // The server ignores --extensionDevelopmentPath; the workbench reads it from `payload`.
      const remote = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
      const payload: [string, string][] = [
        ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
        ['skipWelcome', 'true'],
      ];
      if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
      return `${origin}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    },
  };
}

export interface CodeServer {
  readonly url: string;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

/** code-server as a person runs it (the playground): installs `vsix`, then serves `folder`. */
export async function startCodeServer(options: {
  folder: string;
  dataDir: string;
  vsix?: string;
  port?: number;
  /** Treat every folder as trusted (code-server's --disable-workspace-trust). */
  trustAll?: boolean;
  echo?: boolean;
}): Promise<CodeServer> {
  const { codeServerEntry } = await installation();
  const common = [
    '--user-data-dir', join(options.dataDir, 'user-data'),
    '--extensions-dir', join(options.dataDir, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
  ];
  // code-server would otherwise write ~/.config/code-server/config.yaml on first start.
  const env = { ...process.env, ...testHome(options.dataDir), XDG_CONFIG_HOME: join(options.dataDir, 'config') };
  if (options.vsix) {
    const installer = spawnManaged(process.execPath, [codeServerEntry, ...common, '--install-extension', options.vsix], {
      name: 'code-server install',
      env,
    });
    const result = await installer.exited;
    if (result !== 0) throw new Error(`code-server could not install ${options.vsix} (${result}):\n${installer.output()}`);
  }
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const child = spawnManaged(
    process.execPath,
    [
      codeServerEntry,
      ...common,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      ...(options.trustAll ? ['--disable-workspace-trust'] : []),
      options.folder,
    ],
    { name: 'code-server', env, echo: options.echo },
  );
  try {
    await waitUntilServing(`${origin}/healthz`, child, 60_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { url: `${origin}/?folder=${encodeURIComponent(options.folder)}`, process: child, stop: () => child.stop() };
}

async function waitUntilServing(url: string, child: ManagedProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.hasExited()) throw new Error(`${child.name} exited while starting:\n${child.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(200);
  }
  throw new Error(`${child.name} did not answer at ${url} within ${timeoutMs / 1000} s:\n${child.output()}`);
}

/** A new folder under .cache/runs for one run's data; every run gets its own. */
export function freshRunDir(name: string): string {
  const runs = join(repoRoot, '.cache/runs');
  mkdirSync(runs, { recursive: true });
  return mkdtempSync(join(runs, `${name}-`));
}

/** A fresh workspace folder in the temp dir, with optional .vscode/settings.json. */
export function createWorkspace(settings?: Record<string, unknown>): { folder: string; remove(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'coderflow-workspace-'));
  if (settings) {
    mkdirSync(join(folder, '.vscode'));
    writeFileSync(join(folder, '.vscode/settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  }
  writeFileSync(join(folder, 'README.md'), '# CoderFlow test workspace\n');
  return { folder, remove: removeOnExit(folder) };
}

/**
 * A home folder of the run's own: the extension reads and writes the CoderFlow CLI config at
 * ~/.coderflow/config.json by default, and a test that forgets to point it elsewhere must not
 * touch the config of the person running the tests.
 */
function testHome(dataDir: string): { HOME: string; USERPROFILE: string } {
  const home = join(dataDir, 'home');
  mkdirSync(home, { recursive: true });
  return { HOME: home, USERPROFILE: home };
}
