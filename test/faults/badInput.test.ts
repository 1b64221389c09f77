import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CoderFlowClient } from '../../src/core/http/client';
import { normalizeServerUrl } from '../../src/core/http/serverUrl';
import { readCliConfig } from '../../src/core/cliConfig/cliConfigRead';
import { writeCliProfileKey } from '../../src/core/cliConfig/cliConfigWrite';
import { AuthError } from '../../src/core/errors';
import { ApiKeyList, CreatedKey, DeviceAuthorization, LoginResult, SsoConfig, User } from '../../src/core/http/protocol';
import { describeMessageShape, parseToHost, toHost } from '../../src/shared/webviewProtocol';
import { startServer, type ReferenceServer } from '../server';
import { expectFailure, unclear } from './support/clear';
import { Journey } from './support/journey';
import { record } from './support/matrix';

/** Runs a property, counting the inputs it was really called with for the matrix. */
async function property<T>(area: string, arbitrary: fc.Arbitrary<T>, numRuns: number, check: (input: T) => Promise<void> | void): Promise<void> {
  let tried = 0;
  try {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (input) => {
        try {
          await check(input);
        } catch (e) {
          if (!fc.PreconditionFailure.isFailure(e)) tried += 1;
          throw e;
        }
        tried += 1;
      }),
      { numRuns },
    );
  } finally {
    record({ type: 'badInput', area, tried });
  }
}

const token = fc.stringMatching(/^[A-Za-z0-9_-]{12,48}$/);
const oddText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom('', ' ', '\t\n', '\u0000', '\u202e', '😀', 'é', '%00', '../..', '<script>', '${x}', '\\', '"'),
);

describe('bad input (fast-check)', () => {
  let server: ReferenceServer;
  let closedPort: number;
  before(async () => {
    server = await startServer({ pollIntervalSeconds: 1 });
    const closed = await startServer({ sso: false });
    closedPort = Number(new URL(closed.url).port);
    await closed.stop();
  });
  after(() => server.stop());
  afterEach(() => server.faults.clear());

  describe('server URLs', () => {
    const urls = () =>
      fc.oneof(
        oddText,
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.tuple(token, fc.webUrl()).map(([secret, url]) => url.replace('://', `://user:${secret}@`)),
        fc.constantFrom('javascript:alert(1)', 'file:///etc/passwd', 'ftp://host', 'http://', 'https://:443', 'localhost:8080', '[::1]:3000', 'HTTPS://Host.Example.COM:443/Prefix/'),
      );

    it('normalizeServerUrl gives a canonical http(s) URL or a bad-input error on the URL field, never echoing a password', async () => {
      const journey = await Journey.start(server, 'server URLs');
      try {
        await property('server URLs', urls(), 100, async (input) => {
          let normalized: string;
          try {
            normalized = normalizeServerUrl(input);
          } catch (e) {
            const password = /:\/\/[^/:@]*:([^@/]+)@/.exec(input)?.[1];
            const error = await expectFailure('server URLs', Promise.reject(e), { kind: 'bad-input', secrets: password ? [password] : [] });
            assert.equal(error.field, 'serverUrl');
            journey.errors.push(error);
            return;
          }
          const url = new URL(normalized);
          assert.match(url.protocol, /^https?:$/);
          assert.equal(url.username + url.password + url.search + url.hash, '');
          assert.ok(!normalized.endsWith('/'), normalized);
          assert.equal(normalizeServerUrl(normalized), normalized, 'normalizing twice changes nothing');
        });
      } finally {
        await journey.finish();
      }
    });

    it('a sign-in to a mangled or unreachable loopback URL fails clearly and stores nothing', async () => {
      const journey = await Journey.start(server, 'server URLs', { timeoutMs: 2_000 });
      const { key } = await server.issueKey('alice');
      const base = new URL(server.url);
      const loopbackUrls = fc.oneof(
        fc.string({ maxLength: 30 }).map((path) => `${server.url}/${encodeURIComponent(path)}`),
        fc.constantFrom(`127.0.0.1:${closedPort}`, `http://127.0.0.1:${closedPort}`, `http://localhost:${closedPort}/x`, `https://${base.host}`, `ftp://${base.host}`, `http://user:pw@${base.host}`),
        oddText,
        fc.constant(`  ${server.url.toUpperCase().replace('HTTP://', 'http://')}//  `),
      );
      try {
        await property('server URLs', loopbackUrls, 50, async (input) => {
          let host: string | undefined;
          try {
            host = new URL(normalizeServerUrl(input)).hostname;
          } catch {
            host = undefined;
          }
          // Only loopback is reached: random host names would go to DNS.
          fc.pre(host === undefined || host === '127.0.0.1' || host === 'localhost');
          const outcome = await journey.attempt(() => journey.service.apiKey({ serverUrl: input, profileName: 'Fuzz' }, key), { secrets: [key] });
          if (outcome.ok) assert.equal(outcome.value.serverUrl, normalizeServerUrl(input));
        });
      } finally {
        await journey.finish();
      }
    });
  });

  it('pasted keys: a key is accepted only once the server confirms it; anything else fails clearly, without echoing it', async () => {
    const journey = await Journey.start(server, 'pasted keys');
    const { key: valid } = await server.issueKey('alice');
    const pasted = fc.oneof(
      oddText,
      token.map((t) => `pc_${t}`),
      fc.tuple(fc.constantFrom('sk-ant-', 'sk-proj-', 'sk-', 'AIza', 'xai-', 'gsk_', 'hf_'), token).map(([prefix, t]) => prefix + t),
      fc.tuple(token, fc.constantFrom(' ', '\n', '\t', '\u00a0', 'é', '\u0000', '€')).map(([t, odd]) => `pc_${t.slice(0, 6)}${odd}${t.slice(6)}`),
      fc.constantFrom(` ${valid} `, `${valid}\n`, valid.toUpperCase(), valid.slice(0, -1)),
    );
    try {
      await property('pasted keys', pasted, 80, async (input) => {
        const outcome = await journey.attempt(() => journey.service.apiKey({ serverUrl: server.url, profileName: 'Pasted' }, input), {
          kind: ['bad-input', 'invalid-api-key'],
          secrets: input.trim().length >= 8 ? [input.trim()] : [],
        });
        if (outcome.ok) assert.equal(input.trim(), valid, 'only the real key is accepted');
        else if (outcome.error.kind === 'bad-input') assert.equal(outcome.error.field, 'apiKey');
      });
    } finally {
      await journey.finish();
    }
  });

  it('usernames and passwords: wrong or odd ones fail clearly, never repeating the password', async () => {
    const journey = await Journey.start(server, 'usernames');
    const names = fc.oneof(oddText, fc.constantFrom('alice', ' alice ', 'ALICE', 'alice\u0000', 'a'.repeat(300), 'x'.repeat(70_000)));
    try {
      await property('usernames', fc.tuple(names, fc.oneof(token, fc.constant(''))), 50, async ([username, password]) => {
        const outcome = await journey.attempt(() => journey.service.password({ serverUrl: server.url }, username, password), {
          // Over 64 KiB the server cuts the connection: 'network'.
          kind: ['bad-input', 'invalid-credentials', 'unexpected-response', 'network'],
          secrets: password.length >= 8 ? [password] : [],
        });
        assert.equal(outcome.ok, false, 'no random password signs in');
      });
    } finally {
      await journey.finish();
    }
  });

  it('CLI config files: reading never throws, and a file that does not parse is never written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coderflow-faults-cli-'));
    const file = join(dir, 'config.json');
    const json = (value: unknown) => JSON.stringify(value);
    const contents = fc.oneof(
      fc.uint8Array({ maxLength: 120 }).map((bytes) => Buffer.from(bytes)),
      fc.json().map((text) => Buffer.from(text)),
      fc
        .record(
          {
            server: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
            apiKey: fc.oneof(token.map((t) => `pc_${t}`), fc.boolean()),
            activeProfile: fc.string(),
            profiles: fc.oneof(fc.dictionary(fc.string(), fc.record({ server: fc.oneof(fc.string(), fc.integer()), extra: fc.jsonValue() }, { requiredKeys: [] })), fc.array(fc.string()), fc.string()),
            unknownField: fc.jsonValue(),
          },
          { requiredKeys: [] },
        )
        .map((config) => Buffer.from(json(config))),
      fc.json().map((text) => Buffer.from(`\uFEFF${text.slice(0, Math.max(1, text.length - 1))}`)),
    );
    const profileName = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'work'));
    try {
      await property('CLI config files', fc.tuple(contents, profileName), 100, async ([bytes, name]) => {
        await writeFile(file, bytes, { mode: 0o600 });
        const state = await readCliConfig(file);
        const key = 'pc_written_by_the_fault_test';
        if (state.state === 'error') {
          assert.deepEqual(unclear(state.error.message, state.error.fix), [], state.error.message);
          record({ type: 'failure', area: 'CLI config files', kind: state.error.kind, clear: true });
          await expectFailure('CLI config files', writeCliProfileKey(file, name, { apiKey: key }), { kind: 'bad-input', message: /not changed|Enter a CLI profile name/ });
          assert.ok(Buffer.compare(await readFile(file), bytes) === 0, 'the file is byte for byte as it was');
        } else {
          assert.equal(state.state, 'ok');
          const before = state.state === 'ok' ? (JSON.parse(JSON.stringify(state.config)) as Record<string, unknown>) : {};
          const written = await writeCliProfileKey(file, name, { apiKey: key }).then(
            () => true,
            async (e: unknown) => {
              await expectFailure('CLI config files', Promise.reject(e), { kind: 'bad-input', message: /Enter a CLI profile name/ });
              return false;
            },
          );
          if (written) {
            assert.equal((await readCliConfig(file)).state, 'ok', 'what was written parses');
            // Read raw: a profile named __proto__ is an own property in JSON, whatever a schema makes of it.
            const raw = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, '')) as Record<string, unknown>;
            const own = (o: unknown, k: string) => (typeof o === 'object' && o !== null ? Object.getOwnPropertyDescriptor(o, k)?.value : undefined) as unknown;
            const target = name === undefined ? raw : own(own(raw, 'profiles'), name);
            assert.equal(own(target, 'apiKey'), key);
            assert.equal((await stat(file)).mode & 0o777, 0o600);
            for (const field of ['server', 'activeProfile']) assert.deepEqual(own(raw, field), before[field]);
          }
        }
        assert.deepEqual(await readdir(dir), ['config.json'], 'no temporary file is left behind');
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('server responses: random JSON with status 200 either parses to the right shape or is a clear AuthError', async () => {
    const { key } = await server.issueKey('alice');
    const client = new CoderFlowClient({ serverUrl: server.url, apiKey: key });
    const calls: Array<{ path: string; call: () => Promise<unknown>; shape?: { safeParse(v: unknown): { success: boolean } } }> = [
      { path: '/health', call: () => client.health() },
      { path: '/auth/sso/config', call: () => client.ssoConfig(), shape: SsoConfig },
      { path: '/auth/me', call: () => client.me(), shape: User },
      { path: '/auth/cli-login', call: () => client.cliLogin('alice', 'alice-password', 'Fuzz'), shape: LoginResult },
      { path: '/auth/sso/device', call: () => client.startDevice('Fuzz'), shape: DeviceAuthorization },
      { path: '/auth/sso/token', call: () => client.pollDevice('device-code') },
      { path: '/api-keys', call: () => client.listKeys(), shape: ApiKeyList.shape.keys },
      { path: '/api-keys', call: () => client.createKey('Fuzz'), shape: CreatedKey },
    ];
    const user = fc.record({ id: fc.oneof(fc.string(), fc.integer()), username: fc.string(), roles: fc.array(fc.oneof(fc.string(), fc.integer())) }, { requiredKeys: [] });
    const body = fc.oneof(
      fc.json(),
      fc.record({ key: fc.oneof(fc.string(), fc.integer()), id: fc.string(), name: fc.string(), createdAt: fc.string(), user: fc.oneof(user, fc.jsonValue()) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
      fc.record({ enabled: fc.oneof(fc.boolean(), fc.string()), passwordLoginEnabled: fc.boolean(), keys: fc.array(fc.jsonValue(), { maxLength: 3 }) }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    );
    await property('server responses', fc.tuple(fc.integer({ min: 0, max: calls.length - 1 }), body), 100, async ([index, text]) => {
      const { path, call, shape } = calls[index];
      server.faults.set({ path, status: 200, contentType: 'application/json', body: text, times: 1 });
      let value: unknown;
      try {
        value = await call();
      } catch (e) {
        assert.ok(e instanceof AuthError, `${path} threw ${String(e)}`);
        await expectFailure('server responses', Promise.reject(e), { kind: 'unexpected-response', secrets: [key] });
        return;
      } finally {
        server.faults.clear();
      }
      if (shape) assert.ok(shape.safeParse(value).success, `${path} answered a value of the wrong shape`);
    });
  });

  describe('messages from the webview', () => {
    it('parseToHost never throws and drops anything that is not a known message', async () => {
      await property('webview messages', fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }), 100, (input) => {
        const parsed = parseToHost(input);
        if (parsed !== undefined) assert.ok(toHost.safeParse(input).success);
        const shape = describeMessageShape(input);
        assert.equal(typeof shape, 'string');
      });
    });

    it('near-misses of real messages parse only when every field is right, and values never reach the log line', async () => {
      const types = ['ready', 'probeServer', 'signInPassword', 'startSso', 'cancelSso', 'saveApiKey', 'useProfile', 'testConnection', 'signOut', 'removeProfile', 'copyText', 'openExternal', 'evil', '__proto__', 'constructor'];
      const field = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null), fc.constant(undefined), fc.string({ minLength: 2049, maxLength: 2100 }), fc.array(fc.string(), { maxLength: 2 }));
      const message = fc.record(
        { type: fc.oneof(fc.constantFrom(...types), fc.string()), serverUrl: field, profileName: field, username: field, password: token, apiKey: token.map((t) => `pc_${t}`), id: field, text: field, url: field },
        { requiredKeys: ['type'] },
      );
      await property('webview messages', message, 100, (input) => {
        const parsed = parseToHost(input);
        if (parsed === undefined) {
          const line = describeMessageShape(input);
          for (const secret of [input.password, input.apiKey]) if (secret !== undefined) assert.ok(!line.includes(secret), 'a value reached the log line');
        } else {
          assert.ok(types.includes(parsed.type));
          assert.ok(toHost.safeParse(input).success);
        }
      });
    });
  });
});
