import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { CoderFlowClient } from '../../src/core/http/client';
import type { DeviceCodePrompt } from '../../src/core/flows/sso';
import { ProfileStore } from '../../src/profiles/store';
import { SignInService } from '../../src/services/signInService';
import { completeSsoLogin, type ReferenceServer } from '../server/index';
import { delay } from '../support/processes';
import { MemoryMemento, MemorySecrets } from '../unit/profiles/memoryStorage';

// Sign-ins as the extension runs them (SignInService, the shared client, a profile store) in
// this process, against the reference server in this process. The server's own handling time
// of each request comes from Node's built-in HTTP server diagnostics channels, from the request
// parsed to the response written, so nothing in test/server needs a hook.

interface Handled {
  method: string;
  path: string;
  status: number;
  start: number;
  end: number;
}

/** Records the server-side handling interval of every request the HTTP servers of this process answer. */
export class ServerClock {
  readonly handled: Handled[] = [];
  private readonly started = new WeakMap<object, { start: number; method: string; path: string }>();
  private readonly onStart = (message: unknown) => {
    const { request } = message as { request: IncomingMessage };
    this.started.set(request, { start: performance.now(), method: request.method ?? 'GET', path: (request.url ?? '/').split('?')[0] });
  };
  private readonly onFinish = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const begun = this.started.get(request);
    if (begun) this.handled.push({ ...begun, status: response.statusCode, end: performance.now() });
  };

  constructor() {
    subscribe('http.server.request.start', this.onStart);
    subscribe('http.server.response.finish', this.onFinish);
  }

  between(from: number, to: number): Handled[] {
    return this.handled.filter((entry) => entry.start >= from && entry.end <= to);
  }

  dispose(): void {
    unsubscribe('http.server.request.start', this.onStart);
    unsubscribe('http.server.response.finish', this.onFinish);
  }
}

/** An in-memory secret storage that notes when a value was stored. */
class TimedSecrets extends MemorySecrets {
  lastStoredAt: number | undefined;
  override async store(key: string, value: string): Promise<void> {
    await super.store(key, value);
    this.lastStoredAt = performance.now();
  }
}

function signInService(secrets = new TimedSecrets()) {
  const store = new ProfileStore(new MemoryMemento(), secrets, new MemoryMemento());
  const service = new SignInService(store, (serverUrl, apiKey) => new CoderFlowClient({ serverUrl, ...(apiKey ? { apiKey } : {}), userAgent: 'coderflow-vscode' }), () => undefined, 'VS Code on bench');
  return { service, secrets, store };
}

export interface PasswordRun {
  wallMs: number;
  serverMs: number;
  overheadMs: number;
  requests: string[];
}

/** Password sign-ins from the call to the profile stored and chosen; the first `warmUp` are not kept. */
export async function measurePasswordSignIn(server: ReferenceServer, clock: ServerClock, runs: number, warmUp: number): Promise<PasswordRun[]> {
  const results: PasswordRun[] = [];
  for (let index = 0; index < warmUp + runs; index++) {
    const { service } = signInService();
    const started = performance.now();
    await service.password({ serverUrl: server.url, profileName: 'Bench' }, 'alice', 'alice-password');
    const ended = performance.now();
    const handled = clock.between(started, ended);
    const serverMs = handled.reduce((sum, entry) => sum + (entry.end - entry.start), 0);
    if (index >= warmUp) {
      results.push({ wallMs: ended - started, serverMs, overheadMs: ended - started - serverMs, requests: handled.map((entry) => `${entry.method} ${entry.path}`) });
    }
  }
  return results;
}

export interface SsoRun {
  intervalSeconds: number;
  /** Approval at the provider (the server's callback answered) to the key in secret storage. */
  pickupMs: number;
  /** Of which: waiting for the next scheduled poll. */
  waitForPollMs: number;
  /** Of which: from that poll to the key stored (the poll, GET /auth/me, the profile written). */
  afterPollMs: number;
}

/**
 * SSO sign-ins approved at spread-out moments of the poll cycle (0, 1/n, 2/n … of the interval
 * after the code is shown), by a person's steps in the provider's pages (completeSsoLogin).
 */
export async function measureSsoPickup(server: ReferenceServer, clock: ServerClock, runs: number): Promise<SsoRun[]> {
  const results: SsoRun[] = [];
  const prefix = new URL(server.url).pathname.replace(/\/$/, '');
  for (let index = 0; index < runs; index++) {
    const { service, secrets } = signInService();
    let shown: (prompt: DeviceCodePrompt) => void = () => undefined;
    const codeShown = new Promise<DeviceCodePrompt>((resolve) => (shown = resolve));
    const signedIn = service.sso({ serverUrl: server.url, profileName: 'Bench SSO' }, (prompt) => shown(prompt));
    const prompt = await codeShown;
    await delay(Math.round((index / runs) * prompt.interval * 1000));
    const approving = performance.now();
    await completeSsoLogin(prompt.verificationUri, prompt.userCode, { username: 'alice', password: 'alice-password' });
    await signedIn;
    const storedAt = secrets.lastStoredAt;
    const callback = clock.handled.find((entry) => entry.path === `${prefix}/auth/sso/callback` && entry.start >= approving);
    if (storedAt === undefined || !callback) throw new Error('the SSO sign-in finished without a stored key or an approval seen at the server');
    const approvedAt = callback.end;
    const poll = clock.handled.find((entry) => entry.path === `${prefix}/auth/sso/token` && entry.status === 200 && entry.start >= approving);
    if (!poll) throw new Error('no poll of /auth/sso/token after the approval');
    results.push({
      intervalSeconds: prompt.interval,
      pickupMs: storedAt - approvedAt,
      waitForPollMs: poll.start - approvedAt,
      afterPollMs: storedAt - poll.start,
    });
  }
  return results;
}
