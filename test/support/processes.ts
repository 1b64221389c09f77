import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';

// Child processes of the test harness (VS Code's server and its extension hosts, code-server).
// CI runs on the same machine as people, so nothing may outlive the script that started it:
// every process is stopped with its whole tree, on stop(), on an error, on exit and on a signal.

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** The process's recent stdout and stderr, for error messages. */
  output(): string;
  /** Resolves with the exit code (or signal) when the process ends, however it ends. */
  readonly exited: Promise<number | NodeJS.Signals>;
  hasExited(): boolean;
  /** SIGTERM to the process and its descendants, SIGKILL to what is left after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to the whole tree at once, for exit handlers that cannot wait. */
  killNow(): void;
}

export interface SpawnOptions {
  name: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Copy every output line, prefixed with the name, to this process's stdout. */
  echo?: boolean;
}

const running = new Set<ManagedProcess>();
const temporaryPaths = new Set<string>();
let hooksInstalled = false;
let interruption: NodeJS.Signals | undefined;

/** The signal (Ctrl+C, SIGTERM) that is stopping this process, if any. */
export function interruptedBy(): NodeJS.Signals | undefined {
  return interruption;
}

/** Deletes `path` when this process exits, even on Ctrl+C; the returned function deletes it now. */
export function removeOnExit(path: string): () => void {
  installExitHooks();
  temporaryPaths.add(path);
  return () => {
    temporaryPaths.delete(path);
    rmSync(path, { recursive: true, force: true });
  };
}

export function spawnManaged(command: string, args: string[], options: SpawnOptions): ManagedProcess {
  installExitHooks();
  // Not detached: the children stay in our process group, so a Ctrl+C in a terminal or a
  // CI runner that kills the group reaches them even if this process cannot clean up.
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let recent = '';
  let exitValue: number | NodeJS.Signals | undefined;
  const record = (chunk: Buffer) => {
    const text = chunk.toString();
    recent = (recent + text).slice(-20_000);
    if (options.echo) {
      for (const line of text.split('\n')) if (line.trim()) process.stdout.write(`[${options.name}] ${line}\n`);
    }
  };
  child.stdout.on('data', record);
  child.stderr.on('data', record);
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.on('error', (error) => {
      recent += `\n${error.message}`;
      // The shell's code for a command that could not run.
      exitValue = 127;
      resolve(exitValue);
    });
    child.on('exit', (code, signal) => {
      exitValue = code ?? signal ?? 'SIGKILL';
      resolve(exitValue);
    });
  });
  if (child.pid === undefined) throw new Error(`${options.name}: could not start ${command}`);
  const pid = child.pid;
  // The tree is sampled while the process runs: if the server dies first, its children are
  // re-parented and only this memory still finds them.
  const known = new Map<number, ProcessId>();
  const remember = () => {
    for (const id of processTree(pid)) known.set(id.pid, id);
  };
  const sampler = setInterval(remember, 2_000);
  sampler.unref();
  const aliveKnown = () => [...known.values()].filter(isAlive);
  const managed: ManagedProcess = {
    name: options.name,
    pid,
    output: () => recent,
    exited,
    hasExited: () => exitValue !== undefined,
    async stop(graceMs = 5_000) {
      clearInterval(sampler);
      remember();
      signalAll(aliveKnown(), 'SIGTERM');
      const deadline = Date.now() + graceMs;
      while (Date.now() < deadline && aliveKnown().length > 0) await delay(100);
      remember();
      signalAll(aliveKnown(), 'SIGKILL');
      running.delete(managed);
      await Promise.race([exited, delay(2_000)]);
    },
    killNow() {
      remember();
      signalAll(aliveKnown(), 'SIGKILL');
    },
  };
  running.add(managed);
  remember();
  void exited.then(() => {
    // Its descendants may still run (an extension host outliving its server): stop them too.
    if (running.has(managed)) void managed.stop(1_000);
  });
  return managed;
}

/** Stops every process this module started that is still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((process) => process.stop()));
}

/** Cancels removeOnExit for `path`: it stays for a person to read (logs of a failed run). */
export function keepAfterExit(path: string): void {
  temporaryPaths.delete(path);
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const managed of running) managed.killNow();
    for (const path of temporaryPaths) rmSync(path, { recursive: true, force: true });
  });
  const signals = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  for (const [signal, code] of Object.entries(signals)) {
    process.once(signal, () => {
      interruption = signal as NodeJS.Signals;
      void stopAll().finally(() => process.exit(code));
    });
  }
}

interface ProcessId {
  pid: number;
  /** Start time in clock ticks: tells a process from a later one that reuses its pid. */
  startTime: string;
}

/** The process and all its descendants, read from /proc. */
function processTree(rootPid: number): ProcessId[] {
  const children = new Map<number, ProcessId[]>();
  const self = new Map<number, ProcessId>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat) continue;
    self.set(stat.id.pid, stat.id);
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push(stat.id);
    children.set(stat.ppid, siblings);
  }
  const root = self.get(rootPid);
  if (!root) return [];
  const tree = [root];
  for (let index = 0; index < tree.length; index++) tree.push(...(children.get(tree[index].pid) ?? []));
  return tree;
}

function readStat(pid: number): { id: ProcessId; ppid: number; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { id: { pid, startTime: fields[19] }, ppid: Number(fields[1]), state: fields[0] };
  } catch {
    return undefined;
  }
}

function isAlive(id: ProcessId): boolean {
  const stat = readStat(id.pid);
  // A zombie has ended already; only its parent's wait() is missing.
  return stat !== undefined && stat.id.startTime === id.startTime && stat.state !== 'Z';
}

function signalAll(ids: ProcessId[], signal: NodeJS.Signals): void {
  for (const id of ids) {
    if (!isAlive(id)) continue;
    try {
      process.kill(id.pid, signal);
    } catch {
      // Already gone between the check and the signal.
    }
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Stops a forked helper: SIGTERM, then SIGKILL if it is still there after 3 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
