// The bench's trigger extension: loaded into VS Code's extension host next to the extension under
// measurement (activation.ts writes its manifest), it activates that extension the way any other
// extension could — vscode.extensions.getExtension(id).activate() — and measures, from outside
// the extension, what the host paid for it: wall time and the host process's CPU time around the
// call, and the heap the host keeps afterwards.
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import vscode = require('vscode');
import { CONTEXT_GC, GLOBAL_GC, TRIGGER_ENV, type TriggerConfig, type TriggerRecord } from './triggerRecord';

/**
 * A function that runs a full garbage collection. VS Code starts the extension host without
 * --expose-gc, so there is no global gc(); the flag set at run time applies to contexts created
 * afterwards, and a new context's gc() collects the whole isolate's heap, this context's included.
 */
function fullGc(): { run: () => void; how: TriggerRecord['gc'] } {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return { run: exposed, how: GLOBAL_GC };
  setFlagsFromString('--expose-gc');
  return { run: runInNewContext('gc') as () => void, how: CONTEXT_GC };
}

/** Two rounds: objects with finalizers or weak references need a second one to go. */
function heapAfterGc(gc: () => void): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function measure(config: TriggerConfig): Promise<TriggerRecord> {
  const gc = fullGc();
  await sleep(config.quietMs);
  const extension = vscode.extensions.getExtension(config.extensionId);
  if (!extension) throw new Error(`VS Code does not know the extension ${config.extensionId}`);
  const base = { kind: 'trigger' as const, pid: process.pid, extensionId: config.extensionId, gc: gc.how };
  if (extension.isActive) return { ...base, wasActive: true, wallMs: 0, cpuMs: 0, heapBeforeBytes: 0, heapKeptBytes: 0 };
  const heapBeforeBytes = heapAfterGc(gc.run);
  await sleep(config.gcQuietMs);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await extension.activate();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  await sleep(config.settleMs);
  const heapKeptBytes = heapAfterGc(gc.run);
  return { ...base, wasActive: false, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, heapBeforeBytes, heapKeptBytes };
}

export function activate(): void {
  const raw = process.env[TRIGGER_ENV];
  if (!raw) return;
  const config = JSON.parse(raw) as TriggerConfig;
  const write = (record: Partial<TriggerRecord>) => appendFileSync(config.out, `${JSON.stringify(record)}\n`);
  // Not awaited: this extension's own activation ends at once, before the quiet time starts.
  measure(config).then(write, (error: unknown) => write({ kind: 'trigger', pid: process.pid, extensionId: config.extensionId, failed: error instanceof Error ? error.message : String(error) }));
}
