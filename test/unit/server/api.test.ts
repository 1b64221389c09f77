import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { type ReferenceServer, startServer } from '../../server';
import { KeyStore } from '../../server/keys';
import { alice, call, sleep } from './helpers';

const isoDate = (value: unknown): boolean => typeof value === 'string' && new Date(value).toISOString() === value;

describe('reference server: requests and identity (PROTOCOL.md §1–2)', () => {
  let server: ReferenceServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('answers GET /health without a key', async () => {
    const answer = await call(`${server.url}/health`);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { status: 'ok' });
  });

  it('answers GET /auth/me with the user shape of §2 for a valid key', async () => {
    const { key } = await server.issueKey('bob');
    const answer = await call(`${server.url}/auth/me`, { key });
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { id: 'usr_bob', username: 'bob', email: 'bob@example.com', displayName: 'Bob Admin', roles: ['admin'] });
  });

  it('answers 401 with a JSON error body and a Bearer challenge when no key is sent', async () => {
    const answer = await call(`${server.url}/auth/me`);
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error, 'missing_api_key');
    assert.equal(typeof answer.body.message, 'string');
    assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer/);
  });

  it('answers 401 invalid_api_key for a mistyped key, a key that was never issued and another scheme', async () => {
    const { key } = await server.issueKey('alice');
    for (const authorization of [`Bearer ${key.slice(0, -1)}x`, `Bearer pc_${'0'.repeat(64)}`, 'Bearer not-a-key', `Basic ${key}`]) {
      const answer = await call(`${server.url}/auth/me`, { headers: { Authorization: authorization } });
      assert.equal(answer.status, 401, authorization);
      assert.equal(answer.body.error, 'invalid_api_key');
      assert.match(answer.body.message, /Invalid API key/);
    }
  });

  it('accepts the Bearer scheme in any letter case', async () => {
    const { key } = await server.issueKey('alice');
    assert.equal((await call(`${server.url}/auth/me`, { headers: { Authorization: `bearer ${key}` } })).status, 200);
  });

  it('answers 404 not_found as JSON for an unknown path and 405 with Allow for a wrong method', async () => {
    const unknown = await call(`${server.url}/auth/nothing`);
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error, 'not_found');
    const wrongMethod = await call(`${server.url}/auth/me`, { method: 'DELETE' });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'GET');
  });

  it('ignores one trailing slash on a path, as common server frameworks do', async () => {
    assert.equal((await call(`${server.url}/health/`)).status, 200);
  });

  it('does not offer the test control endpoints unless asked to', async () => {
    assert.equal((await call(`${server.url}/__test/keys`, { json: { username: 'alice' } })).status, 404);
  });
});

describe('reference server: username and password login (PROTOCOL.md §3)', () => {
  let server: ReferenceServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('creates a key named "CLI Access" that authenticates as the user', async () => {
    const answer = await call(`${server.url}/auth/cli-login`, { json: alice });
    assert.equal(answer.status, 200);
    assert.match(answer.body.key, /^pc_[0-9a-f]{64}$/);
    assert.equal(answer.body.name, 'CLI Access');
    assert.equal(typeof answer.body.id, 'string');
    assert.ok(isoDate(answer.body.createdAt), answer.body.createdAt);
    assert.deepEqual(answer.body.user, { id: 'usr_alice', username: 'alice', email: 'alice@example.com', displayName: 'Alice Developer', roles: ['developer'] });
    const me = await call(`${server.url}/auth/me`, { key: answer.body.key });
    assert.equal(me.body.username, 'alice');
    assert.ok(server.keyIsValid(answer.body.key));
  });

  it('names the key after keyName when one is sent', async () => {
    const answer = await call(`${server.url}/auth/cli-login`, { json: { ...alice, keyName: 'VS Code on laptop' } });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.name, 'VS Code on laptop');
    const listed = await call(`${server.url}/api-keys`, { key: answer.body.key });
    assert.ok(listed.body.keys.some((k: { id: string; name: string }) => k.id === answer.body.id && k.name === 'VS Code on laptop'));
  });

  it('answers 401 invalid_credentials for a wrong password or an unknown user, and creates no key', async () => {
    const { key } = await server.issueKey('alice');
    const before = (await call(`${server.url}/api-keys`, { key })).body.keys.length;
    for (const credentials of [{ username: 'alice', password: 'bob-password' }, { username: 'mallory', password: 'alice-password' }, { username: 'Alice', password: 'alice-password' }]) {
      const answer = await call(`${server.url}/auth/cli-login`, { json: credentials });
      assert.equal(answer.status, 401, credentials.username);
      assert.equal(answer.body.error, 'invalid_credentials');
    }
    assert.equal((await call(`${server.url}/api-keys`, { key })).body.keys.length, before);
  });

  it('answers 400 invalid_request for missing or mistyped fields', async () => {
    for (const body of [{}, { username: 'alice' }, { password: 'x' }, { username: 'alice', password: 42 }, { ...alice, keyName: '' }, { ...alice, keyName: 7 }]) {
      const answer = await call(`${server.url}/auth/cli-login`, { json: body });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error, 'invalid_request');
    }
  });

  it('answers 400 invalid_json for a malformed body, 400 for JSON that is not an object, 415 for another media type', async () => {
    const malformed = await call(`${server.url}/auth/cli-login`, { body: '{"username": "alice",', headers: { 'Content-Type': 'application/json' } });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error, 'invalid_json');
    const array = await call(`${server.url}/auth/cli-login`, { json: [alice] });
    assert.equal(array.status, 400);
    assert.equal(array.body.error, 'invalid_request');
    const form = await call(`${server.url}/auth/cli-login`, { body: 'username=alice&password=alice-password', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    assert.equal(form.status, 415);
  });

  it('answers 403 password_login_disabled, even for good credentials, when the server allows SSO only', async () => {
    const ssoOnly = await startServer({ passwordLogin: false });
    try {
      const answer = await call(`${ssoOnly.url}/auth/cli-login`, { json: alice });
      assert.equal(answer.status, 403);
      assert.equal(answer.body.error, 'password_login_disabled');
      assert.equal(typeof answer.body.message, 'string');
      assert.deepEqual((await call(`${ssoOnly.url}/auth/sso/config`)).body, { enabled: true, providerName: 'Demo Identity Provider', passwordLoginEnabled: false });
    } finally {
      await ssoOnly.stop();
    }
  });

  it('describes SSO in GET /auth/sso/config without a key', async () => {
    assert.deepEqual((await call(`${server.url}/auth/sso/config`)).body, { enabled: true, providerName: 'Demo Identity Provider', passwordLoginEnabled: true });
    const noSso = await startServer({ sso: false });
    try {
      assert.deepEqual((await call(`${noSso.url}/auth/sso/config`)).body, { enabled: false, passwordLoginEnabled: true });
    } finally {
      await noSso.stop();
    }
  });
});

describe('reference server: API keys of the signed-in user (PROTOCOL.md §5)', () => {
  let server: ReferenceServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());

  it('creates a key with POST /api-keys: 201, the secret once, then listed without it', async () => {
    const { key } = await server.issueKey('alice');
    const created = await call(`${server.url}/api-keys`, { key, json: { name: 'Nightly script' } });
    assert.equal(created.status, 201);
    assert.match(created.body.key, /^pc_[0-9a-f]{64}$/);
    assert.equal(created.body.name, 'Nightly script');
    assert.equal(created.body.lastUsedAt, null);
    assert.ok(isoDate(created.body.createdAt));
    const listed = await call(`${server.url}/api-keys`, { key });
    assert.equal(listed.status, 200);
    const entry = listed.body.keys.find((k: { id: string }) => k.id === created.body.id);
    assert.deepEqual(entry, { id: created.body.id, name: 'Nightly script', createdAt: created.body.createdAt, lastUsedAt: null });
    assert.ok(!listed.text.includes('pc_'), 'a listing never carries a secret');
    assert.equal((await call(`${server.url}/auth/me`, { key: created.body.key })).body.username, 'alice');
  });

  it('answers 400 invalid_request for a missing, empty or mistyped name', async () => {
    const { key } = await server.issueKey('alice');
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 3 }, { name: 'x'.repeat(101) }]) {
      const answer = await call(`${server.url}/api-keys`, { key, json: body });
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error, 'invalid_request');
    }
  });

  it("lists only the caller's own keys", async () => {
    const bobs = await server.issueKey('bob', 'Bob only');
    const { key } = await server.issueKey('alice', 'Alice only');
    const names = (await call(`${server.url}/api-keys`, { key })).body.keys.map((k: { name: string }) => k.name);
    assert.ok(names.includes('Alice only'));
    assert.ok(!names.includes('Bob only'));
    const bobNames = (await call(`${server.url}/api-keys`, { key: bobs.key })).body.keys.map((k: { name: string }) => k.name);
    assert.deepEqual(bobNames, ['Bob only']);
  });

  it('revokes a key with DELETE /api-keys/:id at once: 204, then 401 for that key', async () => {
    const { key } = await server.issueKey('alice');
    const victim = await server.issueKey('alice', 'Old laptop');
    const answer = await call(`${server.url}/api-keys/${victim.id}`, { key, method: 'DELETE' });
    assert.equal(answer.status, 204);
    assert.equal(answer.text, '');
    assert.equal(server.keyIsValid(victim.key), false);
    const after = await call(`${server.url}/auth/me`, { key: victim.key });
    assert.equal(after.status, 401);
    assert.equal(after.body.error, 'invalid_api_key');
    assert.ok(!(await call(`${server.url}/api-keys`, { key })).body.keys.some((k: { id: string }) => k.id === victim.id));
  });

  it('lets a key revoke itself', async () => {
    const self = await server.issueKey('alice');
    assert.equal((await call(`${server.url}/api-keys/${self.id}`, { key: self.key, method: 'DELETE' })).status, 204);
    assert.equal((await call(`${server.url}/auth/me`, { key: self.key })).status, 401);
  });

  it("answers 404 for another user's key id, and that key keeps working", async () => {
    const { key } = await server.issueKey('alice');
    const bobs = await server.issueKey('bob');
    const answer = await call(`${server.url}/api-keys/${bobs.id}`, { key, method: 'DELETE' });
    assert.equal(answer.status, 404);
    assert.equal(answer.body.error, 'not_found');
    assert.ok(server.keyIsValid(bobs.key));
    assert.equal((await call(`${server.url}/auth/me`, { key: bobs.key })).status, 200);
    assert.equal((await call(`${server.url}/api-keys/no-such-id`, { key, method: 'DELETE' })).status, 404);
  });

  it('needs a key for every /api-keys request', async () => {
    const { id } = await server.issueKey('alice');
    for (const [method, path] of [['GET', '/api-keys'], ['POST', '/api-keys'], ['DELETE', `/api-keys/${id}`]]) {
      const answer = await call(`${server.url}${path}`, { method, ...(method === 'POST' ? { json: { name: 'x' } } : {}) });
      assert.equal(answer.status, 401, `${method} ${path}`);
    }
    assert.equal((await call(`${server.url}/api-keys`, { key: 'pc_nope' })).status, 401);
  });

  it('answers 403 forbidden on /api-keys to a user whose roles do not allow managing keys, who can still call /auth/me', async () => {
    const login = await call(`${server.url}/auth/cli-login`, { json: { username: 'carol', password: 'carol-password' } });
    assert.equal(login.status, 200);
    const key = login.body.key;
    assert.equal((await call(`${server.url}/auth/me`, { key })).status, 200);
    for (const [method, path] of [['GET', '/api-keys'], ['POST', '/api-keys'], ['DELETE', `/api-keys/${login.body.id}`]]) {
      const answer = await call(`${server.url}${path}`, { method, key, ...(method === 'POST' ? { json: { name: 'x' } } : {}) });
      assert.equal(answer.status, 403, `${method} ${path}`);
      assert.equal(answer.body.error, 'forbidden');
      assert.match(answer.body.message, /Forbidden/);
    }
    assert.ok(server.keyIsValid(key));
  });

  it('moves lastUsedAt forward on each authenticated request', async () => {
    const { key, id } = await server.issueKey('alice');
    const lastUsed = async (): Promise<string> =>
      (await call(`${server.url}/api-keys`, { key })).body.keys.find((k: { id: string }) => k.id === id).lastUsedAt;
    const first = await lastUsed();
    assert.ok(isoDate(first));
    await sleep(15);
    await call(`${server.url}/auth/me`, { key });
    const second = await lastUsed();
    assert.ok(Date.parse(second) > Date.parse(first), `${second} after ${first}`);
  });

  it('keeps only a SHA-256 hash of each key, never the secret', () => {
    const store = new KeyStore();
    const issued = store.issue('usr_alice', 'probe');
    const everything = inspect(store, { depth: null, showHidden: true });
    assert.ok(!everything.includes(issued.key.slice(3)), 'the secret is not stored');
    assert.ok(everything.includes(createHash('sha256').update(issued.key).digest('hex')));
    assert.ok(store.isValid(issued.key));
  });

  it('makes keys of pc_ and 64 random hex characters, all different', async () => {
    const keys = await Promise.all([1, 2, 3, 4, 5].map(() => server.issueKey('alice')));
    for (const { key } of keys) assert.match(key, /^pc_[0-9a-f]{64}$/);
    assert.equal(new Set(keys.map((k) => k.key)).size, keys.length);
    assert.equal(new Set(keys.map((k) => k.id)).size, keys.length);
  });
});

describe('reference server: prefix mode', () => {
  let server: ReferenceServer;
  before(async () => {
    server = await startServer({ prefix: '/coderflow/' });
  });
  after(() => server.stop());

  it('serves every path under the prefix and nothing outside it', async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/coderflow$/);
    assert.equal(server.url, `${server.origin}/coderflow`);
    assert.equal((await call(`${server.url}/health`)).status, 200);
    const outside = await call(`${server.origin}/health`);
    assert.equal(outside.status, 404);
    assert.equal(outside.body.error, 'not_found');
    const login = await call(`${server.url}/auth/cli-login`, { json: alice });
    assert.equal((await call(`${server.url}/auth/me`, { key: login.body.key })).body.username, 'alice');
    assert.equal((await call(`${server.origin}/auth/me`, { key: login.body.key })).status, 404);
  });

  it('records each request with its path after the prefix and whether it carried Authorization', async () => {
    const { key } = await server.issueKey('alice');
    const from = server.requests.length;
    await call(`${server.url}/auth/me?x=1`, { key });
    await call(`${server.url}/health`);
    assert.deepEqual(server.requests.slice(from).map(({ method, path, authorization }) => ({ method, path, authorization })), [
      { method: 'GET', path: '/auth/me', authorization: true },
      { method: 'GET', path: '/health', authorization: false },
    ]);
    assert.ok(server.requests.slice(from).every((r) => typeof r.at === 'number' && r.at <= Date.now()));
  });
});

describe('reference server: request log', () => {
  it('writes one line per request and never a key', async () => {
    const lines: string[] = [];
    const server = await startServer({ log: (line) => lines.push(line) });
    try {
      const login = await call(`${server.url}/auth/cli-login`, { json: alice });
      await call(`${server.url}/auth/me`, { key: login.body.key });
      await call(`${server.url}/api-keys`, { key: login.body.key, json: { name: 'x' } });
      await sleep(20);
      assert.ok(lines.some((line) => line.includes('GET /auth/me → 200')), lines.join('\n'));
      assert.ok(!lines.join('\n').includes('pc_'), lines.join('\n'));
    } finally {
      await server.stop();
    }
  });
});
