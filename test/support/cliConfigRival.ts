import { fork } from 'node:child_process';
import { stopChild } from './processes';
import { chmodSync, openSync, closeSync, readFileSync, renameSync, writeFileSync, writeSync, fsyncSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { applyEdits, modify } from 'jsonc-parser';

// Another process that rewrites a CoderFlow CLI config while the extension writes it, as the
// CLI (`coder profile set`) or an editor would: read, change its own entry, write back. Every
// second write replaces the file atomically (temporary file with mode 0600, then rename, as the
// CLI does); the others overwrite it in place, as an editor saving over it does. Before each
// write it checks what it read: a file that does not parse means someone left it half-written.
// With `editText` it changes its entry in the file's text instead of re-serialising the whole
// file, so that what the other writer keeps byte for byte can be checked after a race.
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
  /** The server the last write gave the rival's entry; the file must still say so after a race. */
  lastServer: string;
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

export async function startCliConfigRival(file: string, options: { editText?: boolean } = {}): Promise<CliConfigRival> {
  const child = fork(__filename, [file, options.editText ? 'text' : 'json'], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
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

function rewrite(file: string, result: BurstResult, editText: boolean): void {
  let text = '';
  let document: Record<string, unknown> = {};
  try {
    text = readFileSync(file, 'utf8');
    document = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') result.corruptReads++;
  }
  const profiles = (typeof document.profiles === 'object' && document.profiles !== null ? document.profiles : {}) as Record<string, unknown>;
  counter++;
  const server = `https://rival.example/${counter}`;
  profiles[RIVAL_PROFILE] = { server };
  document.profiles = profiles;
  const data = editText
    ? applyEdits(text, modify(text, ['profiles', RIVAL_PROFILE, 'server'], server, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } }))
    : `${JSON.stringify(document, null, 2)}\n`;
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
  result.lastServer = server;
  if (result.written === 1) result.firstAt = Date.now();
  result.lastAt = Date.now();
}

function runRival(file: string, editText: boolean): void {
  const send = (message: FromChild) => process.send?.(message);
  process.on('message', (message: ToChild) => {
    if (message.type !== 'burst') return;
    const result: BurstResult = { written: 0, corruptReads: 0, firstAt: 0, lastAt: 0, lastServer: '' };
    const step = () => {
      try {
        rewrite(file, result, editText);
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

if (require.main === module) runRival(process.argv[2] ?? '', process.argv[3] === 'text');
