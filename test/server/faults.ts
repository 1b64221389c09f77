import * as z from 'zod';

/** A fault switch: applied before normal handling, to matching requests only. */
export interface Fault {
  /** Exact path after the prefix, e.g. '/auth/me'; default: every path except /__test/*. */
  path?: string;
  method?: string;
  /** Wait before answering (stop() still ends the wait at once). */
  latencyMs?: number;
  /** A forced answer, e.g. 502 and an nginx-style HTML page. */
  status?: number;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Destroy the socket without an answer. */
  drop?: boolean;
  /** Answer 302 (or `status`, when given) with this Location. */
  redirectTo?: string;
  /** Apply to this many requests, then expire; default unlimited. */
  times?: number;
}

export interface FaultSwitches {
  /** Adds a switch; when several match a request, the one set last applies. */
  set(fault: Fault): void;
  clear(): void;
}

export const faultSchema = z.strictObject({
  path: z.string().startsWith('/').optional(),
  method: z.string().min(1).optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  status: z.number().int().min(100).max(599).optional(),
  body: z.string().optional(),
  contentType: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  drop: z.boolean().optional(),
  redirectTo: z.url().optional(),
  times: z.number().int().min(1).optional(),
});

interface ArmedFault {
  fault: Fault;
  remaining: number;
}

export class FaultTable implements FaultSwitches {
  private armed: ArmedFault[] = [];

  set(fault: Fault): void {
    const parsed = faultSchema.parse(fault);
    this.armed.push({ fault: parsed, remaining: parsed.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.armed = [];
  }

  /** The fault that applies to this request, counting it against `times`. */
  take(method: string, path: string): Fault | undefined {
    for (let i = this.armed.length - 1; i >= 0; i--) {
      const entry = this.armed[i];
      const { fault } = entry;
      if (fault.path !== undefined && fault.path !== path) continue;
      if (fault.method !== undefined && fault.method.toUpperCase() !== method.toUpperCase()) continue;
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.armed.splice(i, 1);
      return fault;
    }
    return undefined;
  }
}
