import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CoderFlowClient } from '../../src/core/http/client';
import { AuthError } from '../../src/core/errors';
import { ssoFlow, type DeviceCodePrompt, type SsoInput } from '../../src/core/flows/sso';
import { checkVerificationUri } from '../../src/core/flows/verificationUri';
import { sleep } from '../../src/core/sleep';
import { MAX_CODE_LIFETIME_SECONDS, MAX_POLL_INTERVAL_SECONDS } from '../../src/shared/deviceCode';
import { parseToPage } from '../../src/shared/webviewProtocol';
import { observe } from '../support/attackTable';
import { hostileServer } from './support';

// SSO against a server that means harm: whatever its device authorization says, the extension
// polls within 1–60 s for at most 30 minutes, shows only a code a person can read, and opens
// only an http(s) address it checked. The server is made here, on loopback (test/attacks/support),
// and answers from a small table; no flow runs longer than `run`'s time bound.

interface SsoServer {
  url: string;
  readonly polls: number;
  close(): Promise<void>;
}

/** A hostile server (test/attacks/support.ts) that starts device flows with `device`, and answers polls with `token`. */
async function ssoServer(device: (url: string) => Record<string, unknown>, token: () => [number, unknown] = () => [400, { error: 'authorization_pending' }]): Promise<SsoServer> {
  let url = '';
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const server = await hostileServer((req: IncomingMessage, res: ServerResponse) => {
    switch (req.url) {
      case '/auth/sso/config':
        return answer(res, 200, { enabled: true, passwordLoginEnabled: false });
      case '/auth/sso/device':
        return answer(res, 200, device(url));
      case '/auth/sso/token':
        return answer(res, ...token());
      default:
        return answer(res, 404, { error: 'not_found' });
    }
  });
  url = server.url;
  return {
    url,
    get polls() {
      return server.requests.filter((r) => r.path === '/auth/sso/token').length;
    },
    close: () => server.close(),
  };
}

const goodDevice = (url: string) => ({
  deviceCode: 'device-code',
  userCode: 'BCDF-GHJK',
  verificationUri: `${url}/auth/sso/verify`,
  expiresIn: 600,
  interval: 1,
});

/** Runs the flow for `forMs` at most; resolves with what it showed and how it ended. */
async function run(server: SsoServer, input: Partial<SsoInput> = {}, forMs = 1500) {
  const prompts: DeviceCodePrompt[] = [];
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), forMs);
  try {
    await ssoFlow.authenticate(
      { onCode: (prompt) => prompts.push(prompt), ...input },
      { client: new CoderFlowClient({ serverUrl: server.url }), keyName: 'VS Code on attack-test', signal: controller.signal },
    );
    return { prompts, error: undefined };
  } catch (error) {
    assert.ok(error instanceof AuthError, String(error));
    return { prompts, error };
  } finally {
    clearTimeout(timer);
  }
}

describe('attack: SSO against a hostile server', function () {
  this.timeout(10_000);
  let server: SsoServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('interval of 3,000,000,000 s (overflows setTimeout into 1 ms) → polled at most every 60 s, no tight loop', async () => {
    server = await ssoServer((url) => ({ ...goodDevice(url), verificationUri: 'https://idp.example/verify', interval: 3e9 }));
    const { prompts, error } = await run(server);
    assert.equal(error?.kind, 'cancelled');
    observe(`interval used ${prompts[0]?.interval} s; ${server.polls} polls in 1.5 s`);
    assert.equal(prompts[0]?.interval, MAX_POLL_INTERVAL_SECONDS);
    assert.equal(server.polls, 0, 'no poll in 1.5 s');
  });

  it('a wait longer than a timer can hold → waits, never fires in 1 ms', async () => {
    const controller = new AbortController();
    let fired = false;
    const waiting = sleep(2 ** 31 + 1000, controller.signal).then(() => (fired = true), () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    await waiting;
    observe(fired ? 'fired at once' : 'still waiting after 100 ms');
    assert.equal(fired, false);
  });

  it('interval 0 or negative → polled at most once a second', async () => {
    for (const interval of [0, -5]) {
      server = await ssoServer((url) => ({ ...goodDevice(url), verificationUri: 'https://idp.example/verify', interval }));
      const { prompts } = await run(server, {}, 1500);
      assert.equal(prompts[0]?.interval, 1);
      assert.ok(server.polls <= 1, `${server.polls} polls in 1.5 s`);
      await server.close();
      server = undefined;
    }
  });

  it('slow_down forever → the interval stops growing at 60 s', async () => {
    server = await ssoServer((url) => ({ ...goodDevice(url), verificationUri: 'https://idp.example/verify', interval: 50 }), () => [400, { error: 'slow_down' }]);
    const waits: number[] = [];
    const slowDowns: number[] = [];
    let clock = 0;
    await run(server, {
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
      onSlowDown: (seconds) => slowDowns.push(seconds),
    });
    observe(`intervals after slow_down: ${slowDowns.join(', ')} s`);
    assert.ok(slowDowns.length >= 3);
    assert.ok(slowDowns.every((s) => s <= MAX_POLL_INTERVAL_SECONDS), String(slowDowns));
    assert.equal(slowDowns.at(-1), MAX_POLL_INTERVAL_SECONDS);
    assert.equal(Math.max(...waits), MAX_POLL_INTERVAL_SECONDS * 1000);
  });

  it('expiresIn of a year → polled for 30 minutes at most, and the page can show the countdown', async () => {
    server = await ssoServer((url) => ({ ...goodDevice(url), verificationUri: 'https://idp.example/verify', expiresIn: 31_536_000, interval: 60 }));
    let clock = 5_000;
    let polledUntil = 0;
    const { prompts, error } = await run(server, {
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
      onPoll: () => (polledUntil = clock),
    });
    observe(`polled for ${Math.round(((prompts[0]?.expiresAt ?? 0) - 5_000) / 60_000)} minutes, then ${error?.kind}`);
    assert.equal(error?.kind, 'code-expired');
    assert.equal(prompts[0]?.expiresAt, 5_000 + MAX_CODE_LIFETIME_SECONDS * 1000);
    assert.ok(polledUntil < 5_000 + MAX_CODE_LIFETIME_SECONDS * 1000);
    const page = parseToPage({ type: 'ssoCode', userCode: prompts[0]?.userCode, verificationUri: prompts[0]?.verificationUri, expiresInSeconds: MAX_CODE_LIFETIME_SECONDS });
    assert.ok(page, 'the page accepts every code the flow polls for');
  });

  it('expiresIn 0 or negative → refused before polling', async () => {
    server = await ssoServer((url) => ({ ...goodDevice(url), verificationUri: 'https://idp.example/verify', expiresIn: -1 }));
    const { prompts, error } = await run(server);
    assert.equal(error?.kind, 'unexpected-response');
    assert.match(error?.message ?? '', /no lifetime/);
    assert.equal(prompts.length, 0);
    assert.equal(server.polls, 0);
  });

  for (const [what, userCode] of [
    ['a 300-character user code', 'A'.repeat(300)],
    ['a user code with a line break', 'BCDF\nGHJK'],
    ['a user code with a right-to-left override', 'BCDF\u202eGHJK'],
    ['a user code with punctuation, read as an instruction', 'Enter your password:'],
    ['an empty user code', ''],
  ] as const) {
    it(`${what} → the sign-in ends with a clear error, nothing shown or polled`, async () => {
      server = await ssoServer((url) => ({ ...goodDevice(url), verificationUri: 'https://idp.example/verify', userCode }));
      const { prompts, error } = await run(server);
      observe(`${error?.kind}: ${error?.message}; ${server.polls} polls`);
      assert.equal(error?.kind, 'unexpected-response');
      assert.match(error?.message ?? '', /sign-in code that cannot be used/);
      assert.equal(prompts.length, 0);
      assert.equal(server.polls, 0);
      assert.equal(parseToPage({ type: 'ssoCode', userCode, verificationUri: 'https://idp.example/verify', expiresInSeconds: 60 }), undefined, 'the page would refuse it too');
    });
  }

  for (const [what, address] of [
    ['//host/share (a URI parser takes it for a file path)', '//evil.example/share'],
    ['file:', 'file:///etc/passwd'],
    ['command:', 'command:workbench.action.terminal.new'],
    ['javascript:', 'javascript:alert(1)'],
    ['vscode:', 'vscode://vscode.git/clone?url=https://evil.example/x'],
    ['user info that disguises the host', 'https://coderflow.example.com@evil.example/verify'],
    ['plain http on another host', 'http://evil.example/verify'],
    ['an address longer than 2048 characters', `https://idp.example/${'a'.repeat(2100)}`],
  ] as const) {
    it(`verification address ${what} → refused before the browser opens or anything is polled`, async () => {
      server = await ssoServer((url) => ({ ...goodDevice(url), verificationUri: address }));
      const { prompts, error } = await run(server);
      observe(`${error?.kind}: ${error?.message}`);
      assert.equal(error?.kind, 'unexpected-response');
      assert.match(error?.message ?? '', /sign-in address that VS Code will not open/);
      assert.equal(prompts.length, 0);
      assert.equal(server.polls, 0);
    });
  }

  it('a hostile verificationUriComplete next to a good verificationUri → refused as well', async () => {
    server = await ssoServer((url) => ({ ...goodDevice(url), verificationUri: 'https://idp.example/verify', verificationUriComplete: 'file:///etc/passwd' }));
    const { prompts, error } = await run(server);
    assert.equal(error?.kind, 'unexpected-response');
    assert.equal(prompts.length, 0);
  });

  it('plain http on the plain-http server’s own host → opened, and the person is shown that host', async () => {
    server = await ssoServer((url) => ({ ...goodDevice(url), verificationUriComplete: `${url}/auth/sso/verify?user_code=BCDF-GHJK` }));
    const { prompts } = await run(server, {}, 300);
    const prompt = prompts[0];
    assert.ok(prompt);
    assert.equal(prompt.browserUri, `${server.url}/auth/sso/verify?user_code=BCDF-GHJK`);
    observe(`opens ${prompt.browserUri}, shown as ${prompt.browserHost}`);
    assert.equal(prompt.browserHost, new URL(server.url).host);
    // Not when the server itself is https: then the code would leave encryption on the way.
    assert.throws(() => checkVerificationUri('http://127.0.0.1/verify', 'https://127.0.0.1'), /plain http/);
  });
});
