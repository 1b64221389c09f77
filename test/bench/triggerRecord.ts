// What the bench's trigger extension (trigger.ts) is told, through the extension host's
// environment, and what it writes back. Apart from trigger.ts, which needs VS Code's API to load.

export const TRIGGER_ENV = 'CODERFLOW_BENCH_TRIGGER';

/** How the trigger ran a full GC. */
export const GLOBAL_GC = 'the global gc() (--expose-gc)';
export const CONTEXT_GC = "a new vm context's gc(), --expose-gc set at run time";

export interface TriggerConfig {
  /** A JSON line is appended here. */
  out: string;
  /** publisher.name of the extension to activate. */
  extensionId: string;
  /** How long to let the window's own start-up work finish before activating. */
  quietMs: number;
  /**
   * How long to wait after the full GC before activating: V8 sweeps and frees after a full GC on
   * other threads, and that work, the bench's own, would otherwise fall on the timed CPU window.
   */
  gcQuietMs: number;
  /** How long after activate() settles the heap is measured: the work activation started has run by then. */
  settleMs: number;
}

export interface TriggerRecord {
  kind: 'trigger';
  pid: number;
  extensionId: string;
  /** The extension was active before the trigger: something else activated it, and nothing was measured. */
  wasActive: boolean;
  /** From calling activate() to its promise settling (VS Code has loaded the code, called activate() and awaited it). */
  wallMs: number;
  /** User + system CPU time of the whole extension host process over the same interval. */
  cpuMs: number;
  /** heapUsed after a full GC, just before activate(). */
  heapBeforeBytes: number;
  /** heapUsed after a full GC, settleMs after activate() settled. */
  heapKeptBytes: number;
  /** How a full GC was run (see fullGc). */
  gc: typeof GLOBAL_GC | typeof CONTEXT_GC;
  failed?: string;
}
