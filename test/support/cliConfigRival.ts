import { fork } from 'node:child_process';
import { stopChild } from './processes';
import { chmodSync, openSync, closeSync, readFileSync, renameSync, writeFileSync, writeSync, fsyncSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// Another process that rewrites a CoderFlow CLI config while the extension writes it, as the
// CLI (`coder profile set`) or an editor would: read, change its own entry, write back. Every
// second write replaces the file atomically (temporary file with mode 0600, then rename, as the
// CLI does); the others overwrite it in place, as an editor saving over it does. Before each
// write it checks what it read: a file that does not parse means someone left it half-written.
//
// The parent side: startCliConfigRival(). The child side: this file run as a program.

export interface BurstResult {
  /** Writes made. */
  written: number;
  /** Reads that found the file not parsing: a half-written file seen by another process. */
  corruptReads: number;
  /** Date.now() at the first and the last write, to tell whether another writer ran in between. */
  firstAt: number;
  lastAt: number;
}

export interface CliConfigRival {
  /** Rewrites the file `writes` times, yielding to other work between writes. */
  burst(writes: number): Promise<BurstResult>;
  stop(): Promise<void>;
}

type ToChild = { type: 'burst'; id: number; writes: number };
type FromChild = { type: 'ready' } | { type: 'done'; id: number; result: BurstResult } | { type: 'error'; id?: number; message: string };

/** The name of the entry the rival owns in the file's `profiles`. */
export const RIVAL_PROFILE = 'rival';

export async function startCliConfigRival(file: string): Promise<CliConfigRival> {
  const child = fork(__filename, [file], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the rival writer did not start within 10 s: ${stderr}`)), 10_000);
    child.once('message', (message: FromChild) => {
      clearTimeout(timer);
      if (message.type === 'ready') resolve();
      else reject(new Error(`the rival writer did not start: ${JSON.stringify(message)} ${stderr}`));
    });
  });
  let nextId = 0;
  return {
    burst: (writes) =>
      new Promise((resolve, reject) => {
        const id = ++nextId;
        const answer = (message: FromChild) => {
          if (!('id' in message) || message.id !== id) return;
          child.off('message', answer);
          if (message.type === 'done') resolve(message.result);
          else reject(new Error(`the rival writer failed: ${message.type === 'error' ? message.message : ''}`));
        };
        child.on('message', answer);
        child.send({ type: 'burst', id, writes } satisfies ToChild, (error) => error && reject(error));
      }),
    stop: () => stopChild(child),
  };
}


let counter = 0;

function rewrite(file: string, result: BurstResult): void {
  let document: Record<string, unknown> = {};
  try {
    document = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') result.corruptReads++;
  }
  const profiles = (typeof document.profiles === 'object' && document.profiles !== null ? document.profiles : {}) as Record<string, unknown>;
  counter++;
  profiles[RIVAL_PROFILE] = { server: `https://rival.example/${counter}` };
  document.profiles = profiles;
  const data = `${JSON.stringify(document, null, 2)}\n`;
  if (counter % 2 === 0) {
    const temp = join(dirname(file), `.${basename(file)}.rival-${process.pid}.tmp`);
    const handle = openSync(temp, 'w', 0o600);
    try {
      writeSync(handle, data);
      fsyncSync(handle);
    } finally {
      closeSync(handle);
    }
    chmodSync(temp, 0o600);
    renameSync(temp, file);
  } else {
    writeFileSync(file, data);
  }
  result.written++;
  if (result.written === 1) result.firstAt = Date.now();
  result.lastAt = Date.now();
}

function runRival(file: string): void {
  const send = (message: FromChild) => process.send?.(message);
  process.on('message', (message: ToChild) => {
    if (message.type !== 'burst') return;
    const result: BurstResult = { written: 0, corruptReads: 0, firstAt: 0, lastAt: 0 };
    const step = () => {
      try {
        rewrite(file, result);
      } catch (error) {
        send({ type: 'error', id: message.id, message: (error as Error).message });
        return;
      }
      if (result.written < message.writes) setImmediate(step);
      else send({ type: 'done', id: message.id, result });
    };
    step();
  });
  // The parent went away (an extension host that was stopped): nothing may outlive it.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}

if (require.main === module) runRival(process.argv[2] ?? '');
