import { fork } from 'node:child_process';
import type { lookup } from 'node:dns';
import { stopChild } from './processes';

// A real HTTP proxy (proxy-chain) on 127.0.0.1 in a process of its own, which records every
// request it forwards. Its own process, because in VS Code's extension host Node's http module is
// routed through `http.proxy`: a proxy running there would send its forwarded requests to itself.
//
// The parent side: startCountingProxy(). The child side: this file run as a program.

export interface ForwardedRequest {
  /** For a plain http request the method, else 'CONNECT'. */
  method: string;
  /** host:port asked for. */
  target: string;
  /** The request's path (plain http only; a CONNECT tunnel hides it). */
  path?: string;
  userAgent?: string;
}

export interface CountingProxy {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** Everything forwarded so far, oldest first. */
  forwarded(): Promise<ForwardedRequest[]>;
  stop(): Promise<void>;
}

type ToChild = { type: 'list'; id: number };
type FromChild = { type: 'listening'; port: number } | { type: 'list'; id: number; forwarded: ForwardedRequest[] } | { type: 'error'; message: string };

/**
 * `hosts` maps host names to addresses for the proxy's own lookups (a name of the tests' servers
 * that the machine's resolver does not know, as a corporate proxy knows internal names).
 */
export async function startCountingProxy(options: { hosts?: Record<string, string> } = {}): Promise<CountingProxy> {
  // No inherited --inspect or loader flags of the extension host: a plain Node process.
  const child = fork(__filename, [JSON.stringify(options.hosts ?? {})], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the proxy did not start within 10 s: ${stderr}`)), 10_000);
    child.once('exit', (code) => reject(new Error(`the proxy exited (${code}) while starting: ${stderr}`)));
    child.on('message', (message: FromChild) => {
      if (message.type === 'listening') {
        clearTimeout(timer);
        resolve(message.port);
      } else if (message.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`the proxy did not start: ${message.message}`));
      }
    });
  });
  let nextId = 0;
  return {
    url: `http://127.0.0.1:${port}`,
    forwarded: () =>
      new Promise((resolve, reject) => {
        const id = ++nextId;
        const answer = (message: FromChild) => {
          if (message.type !== 'list' || message.id !== id) return;
          child.off('message', answer);
          resolve(message.forwarded);
        };
        child.on('message', answer);
        child.send({ type: 'list', id } satisfies ToChild, (error) => error && reject(error));
      }),
    stop: () => stopChild(child),
  };
}


async function runProxy(): Promise<void> {
  const send = (message: FromChild) => process.send?.(message);
  const forwarded: ForwardedRequest[] = [];
  const hosts = JSON.parse(process.argv[2] ?? '{}') as Record<string, string>;
  // proxy-chain is an ES module; this file compiles to CommonJS, which keeps a dynamic import.
  const { Server } = await import('proxy-chain');
  const server = new Server({
    host: '127.0.0.1',
    port: 0,
    verbose: false,
    prepareRequestFunction: ({ request, hostname, port, isHttp }) => {
      const userAgent = request.headers['user-agent'];
      forwarded.push({
        method: isHttp ? (request.method ?? 'GET') : 'CONNECT',
        target: `${hostname}:${port}`,
        ...(isHttp ? { path: new URL(request.url ?? '/', `http://${hostname}:${port}`).pathname } : {}),
        ...(userAgent ? { userAgent } : {}),
      });
      const mapped = hosts[hostname.toLowerCase()];
      if (!mapped) return {};
      // Node's connect asks for one address, or for all of them (with autoSelectFamily).
      const dnsLookup = (_name: string, options: { all?: boolean }, callback: (e: null, address: unknown, family?: number) => void) =>
        options.all ? callback(null, [{ address: mapped, family: 4 }]) : callback(null, mapped, 4);
      return { dnsLookup: dnsLookup as unknown as typeof lookup };
    },
  });
  await server.listen();
  process.on('message', (message: ToChild) => {
    if (message.type === 'list') send({ type: 'list', id: message.id, forwarded });
  });
  // The parent went away (an extension host that was stopped): nothing may outlive it.
  process.on('disconnect', () => void server.close(true).finally(() => process.exit(0)));
  process.on('SIGTERM', () => void server.close(true).finally(() => process.exit(0)));
  send({ type: 'listening', port: server.port });
}

if (require.main === module) {
  runProxy().catch((error: unknown) => {
    process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies FromChild);
    process.exit(1);
  });
}
