// Preloaded into VS Code's extension host in the bench's instrumented starts, not the timed ones
// (NODE_OPTIONS=--require …/probe.js on the VS Code server, whose extension hosts inherit it). For each watched extension main file it
// times what VS Code's own ActivationTimes time — loading the main module, the activate() call,
// and the settling of the promise activate() returns — with performance.now() instead of
// VS Code's whole-millisecond Date.now(). Until `settleMs` after activation it also records
// every file-system call and outgoing connection whose stack passes through that main file:
// the extension's own work at activation, told apart from VS Code's and other extensions'.
//
// Every other process of the VS Code server (the server itself, the pty host, the file watcher)
// loads this file too and is left alone.
// Default imports: with esModuleInterop a namespace import is a copy, and the probe must patch
// the modules themselves.
import fs from 'node:fs';
import Module from 'node:module';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

export const PROBE_ENV = 'CODERFLOW_BENCH_PROBE';

export interface ProbeConfig {
  /** JSON lines are appended here. */
  out: string;
  /** Absolute paths of the extension main files to watch. */
  mains: string[];
  /** How long after activate() settles the extension's file and network use is still recorded. */
  settleMs: number;
}

export interface ActivationRecord {
  kind: 'activation';
  pid: number;
  main: string;
  codeLoadMs: number;
  /**
   * Of codeLoadMs: inside the require() calls the main module makes while it loads (Node's
   * built-in modules, VS Code's interception of `vscode` and of the network modules). The rest
   * is compiling and running the bundle's own top-level code.
   */
  requiresMs: number;
  requires: { id: string; ms: number }[];
  activateCallMs: number;
  /** Until what activate() returned settled (VS Code waits for it); 0 when it returned no promise. */
  activateResolvedMs: number;
  /** Epoch ms when loading the main file began, to match the reference server's request log. */
  startedAt: number;
  failed?: string;
}

export interface WorkRecord {
  kind: 'work';
  pid: number;
  main: string;
  /** From the start of loading the main file to `settleMs` after activation, epoch ms. */
  from: number;
  to: number;
  files: { op: string; path: string; by: Caller; afterMs: number }[];
  connections: { to: string; by: Caller; afterMs: number }[];
}

export type ProbeRecord = ActivationRecord | WorkRecord;

/** Who made a call whose stack passes through the extension: its own code, or VS Code for it. */
export type Caller = 'extension' | 'vscode';

interface Watch {
  main: string;
  startedAt: number;
  loadStart: number;
  windowEnd: number;
  files: WorkRecord['files'];
  connections: WorkRecord['connections'];
}

// The file-system calls that read, look at, watch or change files; all three flavours.
const FS_OPERATION = /^(open|read|readFile|readdir|opendir|stat|lstat|access|exists|realpath|readlink|watch|watchFile|createReadStream|write|writeFile|appendFile|mkdir|mkdtemp|rm|rmdir|unlink|rename|copyFile|cp|chmod|truncate|createWriteStream)(Sync)?$/;

function install(config: ProbeConfig): void {
  const mains = new Set(config.mains);
  const active: Watch[] = [];
  const write = (record: ProbeRecord) => fs.appendFileSync(config.out, `${JSON.stringify(record)}\n`);

  /**
   * The watched extensions whose code is on the current stack, while their window is open, and
   * whether the extension's own code made the call or VS Code made it on its behalf (VS Code's
   * require() interception resolves the requiring file, for example).
   */
  function callers(): { watch: Watch; by: Caller }[] {
    const now = performance.now();
    const open = active.filter((watch) => now <= watch.windowEnd);
    if (open.length === 0) return [];
    const previousPrepare = Error.prepareStackTrace;
    const previousLimit = Error.stackTraceLimit;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    try {
      Error.prepareStackTrace = (_error, sites) => sites;
      Error.stackTraceLimit = 60;
      Error.captureStackTrace(holder, callers);
      const files = (holder.stack ?? []).map((site) => site.getFileName() ?? '');
      // The first frame outside Node's internals and this file is the one that made the call.
      const direct = files.find((file) => file !== __filename && !file.startsWith('node:') && file !== '');
      return open
        .filter((watch) => files.includes(watch.main))
        .map((watch) => ({ watch, by: direct === watch.main ? 'extension' : 'vscode' }));
    } finally {
      Error.prepareStackTrace = previousPrepare;
      Error.stackTraceLimit = previousLimit;
    }
  }

  const describePath = (value: unknown): string => {
    if (typeof value === 'string') return value;
    if (Buffer.isBuffer(value)) return value.toString();
    if (value instanceof URL) return value.pathname;
    if (typeof value === 'number') return `fd ${value}`;
    return typeof value;
  };

  function wrapFs(target: Record<string, unknown>, prefix: string): void {
    for (const name of Object.keys(target)) {
      const original = target[name];
      if (typeof original !== 'function' || !FS_OPERATION.test(name)) continue;
      const wrapped = function (this: unknown, ...args: unknown[]) {
        for (const { watch, by } of callers()) {
          watch.files.push({ op: `${prefix}${name}`, path: describePath(args[0]), by, afterMs: round(performance.now() - watch.loadStart) });
        }
        return (original as (...a: unknown[]) => unknown).apply(this, args);
      };
      // realpathSync.native, the custom promisified forms of exists and read, the name.
      Object.defineProperties(wrapped, Object.getOwnPropertyDescriptors(original));
      target[name] = wrapped;
    }
  }
  wrapFs(fs, 'fs.');
  wrapFs(fs.promises, 'fs.promises.');

  const connect = net.Socket.prototype.connect as (...args: unknown[]) => net.Socket;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const watches = callers();
    if (watches.length > 0) {
      const first = args[0] as { host?: string; port?: number; path?: string } | number | string | unknown[];
      const options = Array.isArray(first) ? (first[0] as { host?: string; port?: number; path?: string }) : first;
      const to = typeof options === 'object' && options !== null ? options.path ?? `${options.host ?? 'localhost'}:${options.port}` : String(options);
      for (const { watch, by } of watches) watch.connections.push({ to, by, afterMs: round(performance.now() - watch.loadStart) });
    }
    return connect.apply(this, args);
  };

  // The outermost require(): VS Code's own Module._load interception runs inside it.
  const loading = new Map<string, { id: string; ms: number }[]>();
  const moduleRequire = Module.prototype.require;
  Module.prototype.require = function (this: NodeJS.Module, id: string) {
    const requires = loading.get(this.filename);
    if (!requires) return moduleRequire.call(this, id);
    const started = performance.now();
    try {
      return moduleRequire.call(this, id);
    } finally {
      requires.push({ id, ms: round(performance.now() - started) });
    }
  } as typeof Module.prototype.require;

  const extensions = (Module as unknown as { _extensions: Record<string, (module: NodeJS.Module, filename: string) => void> })._extensions;
  const loadJs = extensions['.js'];
  extensions['.js'] = function (module: NodeJS.Module, filename: string) {
    if (!mains.has(filename)) return loadJs.call(this, module, filename);
    const watch: Watch = { main: filename, startedAt: Date.now(), loadStart: performance.now(), windowEnd: Infinity, files: [], connections: [] };
    active.push(watch);
    const requires: { id: string; ms: number }[] = [];
    loading.set(filename, requires);
    try {
      loadJs.call(this, module, filename);
    } finally {
      loading.delete(filename);
    }
    const loaded = performance.now();
    const codeLoadMs = loaded - watch.loadStart;
    const exports = module.exports as { activate?: (...args: unknown[]) => unknown };
    const activate = exports.activate;
    if (typeof activate !== 'function') return;

    const finish = (activateCallMs: number, activateResolvedMs: number, failed?: unknown) => {
      write({
        kind: 'activation',
        pid: process.pid,
        main: filename,
        codeLoadMs: round(codeLoadMs),
        requiresMs: round(requires.reduce((sum, entry) => sum + entry.ms, 0)),
        requires,
        activateCallMs: round(activateCallMs),
        activateResolvedMs: round(activateResolvedMs),
        startedAt: watch.startedAt,
        ...(failed === undefined ? {} : { failed: failed instanceof Error ? failed.message : String(failed) }),
      });
      watch.windowEnd = performance.now() + config.settleMs;
      setTimeout(() => {
        active.splice(active.indexOf(watch), 1);
        write({
          kind: 'work',
          pid: process.pid,
          main: filename,
          from: watch.startedAt,
          to: Date.now(),
          files: watch.files,
          connections: watch.connections,
        });
      }, config.settleMs);
    };

    function timedActivate(this: unknown, ...args: unknown[]): unknown {
      const callStart = performance.now();
      let result: unknown;
      try {
        result = (activate as (...a: unknown[]) => unknown).apply(this, args);
      } catch (error) {
        finish(performance.now() - callStart, 0, error);
        throw error;
      }
      const callStop = performance.now();
      const callMs = callStop - callStart;
      // VS Code awaits a promise activate() returns. A plain value is not waited for: the time
      // to the next microtask would be VS Code's own work, not the extension's.
      if (typeof (result as PromiseLike<unknown> | undefined)?.then !== 'function') {
        finish(callMs, 0);
        return result;
      }
      (result as PromiseLike<unknown>).then(
        () => finish(callMs, performance.now() - callStop),
        (error: unknown) => finish(callMs, performance.now() - callStop, error),
      );
      return result;
    }
    // esbuild's CommonJS exports are getters that cannot be redefined: hand VS Code a view instead.
    module.exports = new Proxy(exports, {
      get: (target, property, receiver) => (property === 'activate' ? timedActivate : Reflect.get(target, property, receiver)),
    });
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

const raw = process.env[PROBE_ENV];
if (raw && process.argv.includes('--type=extensionHost')) {
  try {
    install(JSON.parse(raw) as ProbeConfig);
  } catch (error) {
    console.error(`bench probe: not installed: ${(error as Error).message}`);
  }
}
