import assert from 'node:assert/strict';
import { CoderFlowClient } from '../../../../src/core/http/client';
import { apiKeyFlow, looksLikeAiProviderKey } from '../../../../src/core/flows/apiKey';
import { passwordFlow } from '../../../../src/core/flows/password';
import { ssoFlow, type DeviceCodePrompt, type SsoInput } from '../../../../src/core/flows/sso';
import { deviceKeyName, type FlowContext } from '../../../../src/core/flows/types';
import { sleep } from '../../../../src/core/sleep';
import { completeSsoLogin, startServer, type ReferenceServer } from '../../../server';
import { rejectsWith } from '../support';

const alice = { username: 'alice', password: 'alice-password' };
const keyName = deviceKeyName('test-host');

function contextFor(server: ReferenceServer, signal?: AbortSignal): FlowContext {
  return { client: new CoderFlowClient({ serverUrl: server.url }), keyName, ...(signal ? { signal } : {}) };
}

describe('deviceKeyName', () => {
  it('names a key after the device, as the docs ask (one key per device)', () => {
    assert.equal(deviceKeyName('dev-laptop'), 'VS Code on dev-laptop');
    assert.equal(deviceKeyName('  '), 'VS Code');
  });
});

describe('sign-in flows', () => {
  let server: ReferenceServer;
  before(async () => {
    server = await startServer({ pollIntervalSeconds: 1, deviceCodeTtlSeconds: 30 });
  });
  after(() => server.stop());
  beforeEach(() => server.faults.clear());

  describe('password', () => {
    it('creates a key named for this device and confirms it with /auth/me', async () => {
      const before = server.requests.length;
      const result = await passwordFlow.authenticate(alice, contextFor(server));
      assert.equal(result.method, 'password');
      assert.equal(result.serverUrl, server.url);
      assert.equal(result.keyName, 'VS Code on test-host');
      assert.equal(result.user.username, 'alice');
      assert.ok(server.keyIsValid(result.apiKey));
      assert.deepEqual(server.requests.slice(before).map((r) => [r.method, r.path, r.authorization]), [
        ['POST', '/auth/cli-login', false],
        ['GET', '/auth/me', true],
      ]);
    });

    it('invalid-credentials: a wrong password is shown next to the password field', async () => {
      const error = await rejectsWith(passwordFlow.authenticate({ username: 'alice', password: 'wrong' }, contextFor(server)), 'invalid-credentials', /Wrong username or password/);
      assert.equal(error.field, 'password');
    });

    it('bad-input: an empty username or password is refused before anything is sent', async () => {
      const before = server.requests.length;
      assert.equal((await rejectsWith(passwordFlow.authenticate({ username: ' ', password: 'x' }, contextFor(server)), 'bad-input')).field, 'username');
      assert.equal((await rejectsWith(passwordFlow.authenticate({ username: 'alice', password: '' }, contextFor(server)), 'bad-input')).field, 'password');
      assert.equal(server.requests.length, before);
    });
  });

  describe('API key', () => {
    it('accepts a pasted key, trimmed, once /auth/me confirms it', async () => {
      const { key } = await server.issueKey('alice');
      const result = await apiKeyFlow.authenticate({ apiKey: `  ${key}\n` }, contextFor(server));
      assert.equal(result.apiKey, key);
      assert.equal(result.user.username, 'alice');
      assert.equal(result.method, 'apiKey');
    });

    it('invalid-api-key: a key the server does not know is refused', async () => {
      await rejectsWith(apiKeyFlow.authenticate({ apiKey: `pc_${'0'.repeat(64)}` }, contextFor(server)), 'invalid-api-key', /deleted, mistyped/);
    });

    const providerKeys: Array<[string, string]> = [
      ['sk-ant-api03-abcdefghijklmnop', 'Anthropic'],
      ['sk-proj-abcdefghijklmnop', 'OpenAI'],
      ['sk-abcdefghijklmnop', 'OpenAI'],
      ['AIzaSyAbcdefghijklmnop', 'Google'],
      ['xai-abcdefghijklmnop', 'xAI'],
    ];
    for (const [pasted, provider] of providerKeys) {
      it(`explains that ${pasted.slice(0, 8)}… is an AI provider key (${provider}), not a personal key`, async () => {
        assert.equal(looksLikeAiProviderKey(pasted), provider);
        const before = server.requests.length;
        const error = await rejectsWith(apiKeyFlow.authenticate({ apiKey: pasted }, contextFor(server)), 'bad-input', new RegExp(`AI provider's key \\(${provider}\\)`));
        assert.equal(error.field, 'apiKey');
        assert.match(error.fix ?? '', /Personal API keys \(pc_…\) authenticate you to CoderFlow\. AI provider keys are configured under provider authentication settings/);
        assert.equal(server.requests.length, before, 'nothing is sent to the server');
      });
    }

    it('bad-input: a key without the pc_ prefix, an empty one, or one with spaces inside', async () => {
      await rejectsWith(apiKeyFlow.authenticate({ apiKey: 'abc123' }, contextFor(server)), 'bad-input', /start with pc_/);
      await rejectsWith(apiKeyFlow.authenticate({ apiKey: '   ' }, contextFor(server)), 'bad-input', /Paste a CoderFlow personal API key/);
      await rejectsWith(apiKeyFlow.authenticate({ apiKey: 'pc_abc def' }, contextFor(server)), 'bad-input', /spaces or line breaks/);
      assert.equal(looksLikeAiProviderKey('pc_abcdef'), undefined);
    });
  });

  describe('SSO (device authorization, RFC 8628)', () => {
    /** SSO input that records what the flow showed and did. */
    function recording(overrides: Partial<SsoInput> = {}) {
      const seen = { prompts: [] as DeviceCodePrompt[], polls: 0, slowDowns: [] as number[] };
      const input: SsoInput = {
        onCode: (prompt) => seen.prompts.push(prompt),
        onPoll: (attempt) => (seen.polls = attempt),
        onSlowDown: (seconds) => seen.slowDowns.push(seconds),
        ...overrides,
      };
      return { seen, input };
    }

    it('shows the code, keeps polling while pending, and returns the approved key', async () => {
      let approval: Promise<void> | undefined;
      const { seen, input } = recording({
        // Approve only after a poll has been answered "pending".
        onPoll(attempt) {
          seen.polls = attempt;
          if (attempt === 2) {
            const prompt = seen.prompts[0];
            approval = completeSsoLogin(prompt.verificationUri, prompt.userCode, alice);
          }
        },
      });
      const started = Date.now();
      const result = await ssoFlow.authenticate(input, contextFor(server));
      await approval;
      const prompt = seen.prompts[0];
      assert.match(prompt.userCode, /^[A-Z]{4}-[A-Z]{4}$/);
      assert.equal(prompt.verificationUri, `${server.url}/auth/sso/verify`);
      assert.ok(prompt.verificationUriComplete?.includes(encodeURIComponent(prompt.userCode)));
      assert.equal(prompt.interval, 1);
      assert.ok(Math.abs(prompt.expiresAt - (started + 30_000)) < 2000);
      assert.ok(seen.polls >= 3, `polled ${seen.polls} times`);
      assert.deepEqual(seen.slowDowns, []);
      assert.equal(result.method, 'sso');
      assert.equal(result.keyName, keyName);
      assert.equal(result.user.username, 'alice');
      assert.ok(server.keyIsValid(result.apiKey));
    });

    it('adds 5 seconds to the interval on slow_down, and a cancel ends the wait at once', async () => {
      const waits: number[] = [];
      const controller = new AbortController();
      const { seen, input } = recording({
        // The first two waits are skipped, so the server sees polls too close together.
        sleep(ms, signal) {
          waits.push(ms);
          if (waits.length <= 2) return Promise.resolve();
          setTimeout(() => controller.abort(), 50);
          return sleep(ms, signal);
        },
      });
      const started = Date.now();
      await rejectsWith(ssoFlow.authenticate(input, contextFor(server, controller.signal)), 'cancelled');
      assert.deepEqual(waits, [1000, 1000, 6000]);
      assert.deepEqual(seen.slowDowns, [6]);
      assert.ok(Date.now() - started < 2000, 'the cancel did not wait for the 6 s interval');
    });

    it('access-denied: the person refuses in the browser', async () => {
      let denial: Promise<void> | undefined;
      const { input } = recording({
        onCode: (prompt) => {
          denial = completeSsoLogin(prompt.verificationUri, prompt.userCode, alice, { deny: true });
        },
      });
      await rejectsWith(ssoFlow.authenticate(input, contextFor(server)), 'access-denied', /refused/);
      await denial;
    });

    it('code-expired: the server says the code expired', async () => {
      server.faults.set({ path: '/auth/sso/token', status: 400, contentType: 'application/json', body: '{"error":"expired_token"}', times: 1 });
      const error = await rejectsWith(ssoFlow.authenticate(recording().input, contextFor(server)), 'code-expired', /expired before it was approved/);
      assert.match(error.fix ?? '', /Start Sign in with SSO again/);
    });

    it('retries a poll that failed with a 5xx or a reset, waiting twice as long each time, and still signs in', async () => {
      // The last switch set applies first: the first poll gets the 502, the second has its connection cut.
      server.faults.set({ path: '/auth/sso/token', drop: true, times: 1 });
      server.faults.set({ path: '/auth/sso/token', status: 502, body: '<html>Bad Gateway</html>', times: 1 });
      const waits: number[] = [];
      const retries: Array<[string, number]> = [];
      let approval: Promise<void> | undefined;
      const { seen, input } = recording({
        // The waits around the failures are recorded, not waited: the server never sees those polls.
        sleep(ms, signal) {
          waits.push(ms);
          return waits.length <= 3 ? Promise.resolve() : sleep(ms, signal);
        },
        onRetry: (error, waitSeconds) => retries.push([error.kind, waitSeconds]),
        onPoll(attempt) {
          seen.polls = attempt;
          if (attempt === 3) {
            const prompt = seen.prompts[0];
            approval = completeSsoLogin(prompt.verificationUri, prompt.userCode, alice);
          }
        },
      });
      const result = await ssoFlow.authenticate(input, contextFor(server));
      await approval;
      assert.deepEqual(retries, [['server-error', 2], ['network', 4]]);
      assert.deepEqual(waits.slice(0, 4), [1000, 2000, 4000, 1000], 'backoff doubles, and a good answer resets it');
      assert.equal(result.user.username, 'alice');
    });

    it('retries a poll that timed out', async () => {
      server.faults.set({ path: '/auth/sso/token', latencyMs: 1500, times: 1 });
      const retries: string[] = [];
      const controller = new AbortController();
      const input: SsoInput = {
        onCode: () => undefined,
        onRetry: (error) => retries.push(error.kind),
        // Stop at the poll after the retry: it was made, which is what this checks.
        onPoll: (attempt) => attempt === 2 && controller.abort(),
        sleep: () => Promise.resolve(),
      };
      const context = { client: new CoderFlowClient({ serverUrl: server.url, timeoutMs: 300 }), keyName, signal: controller.signal };
      await rejectsWith(ssoFlow.authenticate(input, context), 'cancelled');
      assert.deepEqual(retries, ['timeout']);
    });

    for (const [status, body, kind] of [
      [400, '{"error":"invalid_grant"}', 'unexpected-response'],
      [403, '{"error":"forbidden"}', 'forbidden'],
      [404, '{"error":"not_found"}', 'sso-disabled'],
      [429, '{"error":"too_many_requests"}', 'rate-limited'],
    ] as const) {
      it(`ends at once on a ${status} that RFC 8628 does not define (${kind}), without polling again`, async () => {
        server.faults.set({ path: '/auth/sso/token', status, contentType: 'application/json', body });
        const before = server.requests.length;
        await rejectsWith(ssoFlow.authenticate({ onCode: () => undefined, sleep: () => Promise.resolve() }, contextFor(server)), kind);
        assert.equal(server.requests.slice(before).filter((r) => r.path === '/auth/sso/token').length, 1);
      });
    }

    it('gives up with the server’s own failure when it keeps failing until the code runs out', async () => {
      server.faults.set({ path: '/auth/sso/token', status: 503, contentType: 'application/json', body: '{"error":"unavailable","message":"Down for maintenance"}' });
      let clock = 1_000_000;
      const waits: number[] = [];
      const input: SsoInput = {
        onCode: () => undefined,
        now: () => clock,
        sleep: async (ms) => {
          waits.push(ms);
          clock += ms;
        },
      };
      const error = await rejectsWith(ssoFlow.authenticate(input, contextFor(server)), 'server-error', /Down for maintenance/);
      assert.equal(error.status, 503);
      // Interval 1 s, doubling: 1, 2, 4, 8, 16 — the last wait is cut at the code's 30 s.
      assert.deepEqual(waits, [1000, 2000, 4000, 8000, 15000]);
    });

    it('cancelled: a cancel in the middle of a poll ends it at once', async () => {
      server.faults.set({ path: '/auth/sso/token', latencyMs: 5000 });
      const controller = new AbortController();
      const { input } = recording({
        onPoll: () => setTimeout(() => controller.abort(), 100),
      });
      const before = Date.now();
      await rejectsWith(ssoFlow.authenticate(input, contextFor(server, controller.signal)), 'cancelled');
      assert.ok(Date.now() - before < 2500, 'did not wait for the slow poll');
    });
  });
});

describe('SSO with a short-lived code', () => {
  let server: ReferenceServer;
  before(async () => {
    server = await startServer({ pollIntervalSeconds: 1, deviceCodeTtlSeconds: 2 });
  });
  after(() => server.stop());

  it('code-expired: polling stops at expiry, without a poll after it', async () => {
    const before = server.requests.length;
    const started = Date.now();
    await rejectsWith(ssoFlow.authenticate({ onCode: () => undefined }, contextFor(server)), 'code-expired');
    const polls = server.requests.slice(before).filter((r) => r.path === '/auth/sso/token').length;
    assert.ok(polls >= 1 && polls <= 2, `${polls} polls`);
    assert.ok(Date.now() - started < 3500);
  });
});

describe('a server without SSO or without passwords', () => {
  it('sso-disabled: SSO is refused with a way forward', async () => {
    const server = await startServer({ sso: false });
    try {
      const config = await new CoderFlowClient({ serverUrl: server.url }).ssoConfig();
      assert.equal(config.enabled, false);
      const error = await rejectsWith(ssoFlow.authenticate({ onCode: () => undefined }, contextFor(server)), 'sso-disabled');
      assert.match(error.fix ?? '', /username and password/);
      await rejectsWith(new CoderFlowClient({ serverUrl: server.url }).startDevice(keyName), 'sso-disabled');
    } finally {
      await server.stop();
    }
  });

  it('password-login-disabled: the password flow points to SSO, which still works', async () => {
    const server = await startServer({ passwordLogin: false, pollIntervalSeconds: 1 });
    try {
      const config = await new CoderFlowClient({ serverUrl: server.url }).ssoConfig();
      assert.equal(config.passwordLoginEnabled, false);
      assert.equal(config.enabled, true);
      const error = await rejectsWith(passwordFlow.authenticate(alice, contextFor(server)), 'password-login-disabled');
      assert.match(error.fix ?? '', /Sign in with SSO/);
      let approval: Promise<void> | undefined;
      const result = await ssoFlow.authenticate(
        {
          onCode: (prompt) => {
            approval = completeSsoLogin(prompt.verificationUri, prompt.userCode, alice);
          },
        },
        contextFor(server),
      );
      await approval;
      assert.equal(result.user.username, 'alice');
    } finally {
      await server.stop();
    }
  });
});
