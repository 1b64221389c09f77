import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { inspect } from 'node:util';

// What the plain-Node attack tests share: a hostile server made on the spot, the event-loop probe,
// and a scan of everything an error carries.

export interface HostileServer {
  url: string;
  /** Every request, as method and raw path. */
  requests: Array<{ method: string; path: string; authorization?: string }>;
  close(): Promise<void>;
}

/** A server on loopback that answers every request with `answer`. */
export async function hostileServer(answer: (req: IncomingMessage, res: ServerResponse) => void, host = '127.0.0.1'): Promise<HostileServer> {
  const requests: HostileServer['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    req.resume();
    req.on('end', () => answer(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Runs `work` and answers the longest the event loop was blocked meanwhile, in milliseconds
 * (perf_hooks.monitorEventLoopDelay: the lateness of a 1 ms timer).
 */
export async function longestStall(work: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  try {
    await work();
    // The probe's timer must fire once more to see a block at the very end of the work.
    await new Promise((resolve) => setTimeout(resolve, 5));
  } finally {
    histogram.disable();
  }
  // A 1 ms timer that fired on time shows as about 1 ms: the stall is what is beyond it.
  return Math.max(0, histogram.max / 1e6 - 1);
}

/** Everything an error shows or holds, however it is printed: message, fields, the cause chain. */
export function everythingIn(error: unknown): string {
  const parts: string[] = [];
  for (let at: unknown = error, depth = 0; at !== undefined && at !== null && depth < 10; depth++) {
    parts.push(inspect(at, { depth: 5, showHidden: true }), JSON.stringify(at) ?? '', String(at));
    at = (at as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

/** Awaits a rejection and gives the error. */
export async function rejection(promise: Promise<unknown>): Promise<Error & { kind?: string }> {
  try {
    await promise;
  } catch (e) {
    return e as Error & { kind?: string };
  }
  throw new Error('expected a rejection, but it succeeded');
}
