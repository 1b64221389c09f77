import assert from 'node:assert/strict';
import { CoderFlowClient } from '../../src/core/http/client';
import { resolve, type CredentialSource } from '../../src/core/credentialChain';
import { ProfileStore } from '../../src/profiles/store';
import { KeyService } from '../../src/services/apiKeys/apiKeyService';
import { SignInService } from '../../src/services/signInService';
import { startServer, type ReferenceServer } from '../server';
import { observe } from '../support/attackTable';
import { MemoryMemento, MemorySecrets } from '../unit/profiles/memoryStorage';
import { everythingIn, rejection } from './support';

// Keys are checked where they come in. From the server (sign-in, a new key, a rotation) a key must
// have the pc_ shape before anything stores it; from a setting, the CLI config or CODER_API_KEY,
// one an Authorization header cannot carry is reported as malformed, naming where it is, and never
// used.

const DEVICE = 'VS Code on attackhost';
const NOT_PERSONAL = ['sk-ant-api03-thisIsNotACoderFlowKey', 'pc_with space inside', 'pc_', `pc_${'x'.repeat(600)}`, 'pc_tab\there'];

describe('attack: keys of the wrong shape', function () {
  this.timeout(30_000);
  let server: ReferenceServer;
  before(async () => {
    server = await startServer({ sso: false });
  });
  after(() => server.stop());
  afterEach(() => server.faults.clear());

  const makeClient = (serverUrl: string, apiKey?: string) => new CoderFlowClient({ serverUrl, ...(apiKey ? { apiKey } : {}) });
  const meStatus = async (key: string) => (await fetch(`${server.url}/auth/me`, { headers: { authorization: `Bearer ${key}` } })).status;

  for (const bad of NOT_PERSONAL) {
    const shown = JSON.stringify(bad.length > 30 ? `${bad.slice(0, 12)}…(${bad.length})` : bad);
    it(`password sign-in answered with key ${shown} → the sign-in fails, nothing is stored`, async () => {
      const login = { key: bad, id: 'k1', name: DEVICE, createdAt: new Date().toISOString(), user: { id: 'u1', username: 'alice', roles: [] } };
      server.faults.set({ path: '/auth/cli-login', status: 200, contentType: 'application/json', body: JSON.stringify(login), times: 1 });
      const secrets = new MemorySecrets();
      const store = new ProfileStore(new MemoryMemento(), secrets, new MemoryMemento());
      const signIn = new SignInService(store, makeClient, () => undefined, DEVICE);
      const error = await rejection(signIn.password({ serverUrl: server.url, profileName: 'bad key' }, 'alice', 'alice-password'));
      observe(`${error.kind}: ${error.message}`);
      assert.equal(error.kind, 'unexpected-response');
      assert.match(error.message, /key is not a CoderFlow personal API key/);
      assert.equal(store.list().length, 0, 'no profile was made');
      // ("pc_" alone holds nothing secret, and every message names the prefix.)
      if (bad.length > 3) assert.ok(!everythingIn(error).includes(bad.slice(3, 20)), 'the error does not repeat the key');
    });
  }

  it('a rotation whose new key from the server is not pc_ → fails at the create step, nothing revoked, the old key kept', async () => {
    const store = new ProfileStore(new MemoryMemento(), new MemorySecrets(), new MemoryMemento());
    const signIn = new SignInService(store, makeClient, () => undefined, DEVICE);
    const keys = new KeyService({ store, makeClient, log: () => undefined, deviceName: DEVICE });
    const profile = await signIn.password({ serverUrl: server.url, profileName: 'rotating' }, 'alice', 'alice-password');
    const oldKey = await store.getKey(profile.id);
    assert.ok(oldKey);
    const created = { id: 'evil', name: 'rotated', createdAt: new Date().toISOString(), lastUsedAt: null, key: 'xai-notacoderflowkey0123456789' };
    server.faults.set({ path: '/api-keys', method: 'POST', status: 201, contentType: 'application/json', body: JSON.stringify(created) });
    const since = server.requests.length;
    const outcome = await keys.rotate(profile.id).catch((e: unknown) => ({ rotated: false, oldKeyRevoked: false, message: String((e as Error).message) }));
    const deletes = server.requests.slice(since).filter((r) => r.method === 'DELETE');
    observe(`${outcome.message}; DELETE requests: ${deletes.length}`);
    assert.equal(outcome.rotated, false);
    assert.equal(outcome.oldKeyRevoked, false);
    assert.deepEqual(deletes, [], 'nothing was revoked');
    assert.equal(await store.getKey(profile.id), oldKey, 'the profile keeps its key');
    assert.equal(await meStatus(oldKey), 200, 'the old key still works');
  });

  it('a new key from POST /api-keys that is not pc_ → refused before anyone stores it', async () => {
    const { key } = await server.issueKey('alice');
    const created = { id: 'evil', name: 'n', createdAt: new Date().toISOString(), lastUsedAt: null, key: 'gsk_groqKeyFromAHostileServer0123' };
    server.faults.set({ path: '/api-keys', method: 'POST', status: 201, contentType: 'application/json', body: JSON.stringify(created) });
    const error = await rejection(makeClient(server.url, key).createKey('n'));
    observe(`${error.kind}: ${error.message}`);
    assert.equal(error.kind, 'unexpected-response');
  });

  const malformed = `pc_${'5a'.repeat(16)}\u0007${'c3'.repeat(8)}`;
  const sources: Array<[CredentialSource, string, Parameters<typeof resolve>[0], RegExp]> = [
    ['setting', 'profoundCoder.apiKey', { env: {}, cli: undefined, settings: { serverUrl: 'https://cf.example.com', apiKey: malformed, scope: 'User settings' } }, /profoundCoder\.apiKey \(User settings\)/],
    ['cli-env', 'CODER_API_KEY', { env: { CODER_API_KEY: malformed }, cli: { state: 'ok', path: '/home/a/.coderflow/config.json', config: { server: 'https://cf.example.com' }, raw: '' }, settings: {} }, /CODER_API_KEY/],
    [
      'cli-profile',
      'a CLI profile',
      { env: {}, cli: { state: 'ok', path: '/home/a/.coderflow/config.json', config: { activeProfile: 'p', profiles: { p: { server: 'https://cf.example.com', apiKey: malformed } } }, raw: '' }, settings: {} },
      /CLI profile 'p' in \/home\/a\/\.coderflow\/config\.json/,
    ],
    ['cli-base', 'the CLI config’s base', { env: {}, cli: { state: 'ok', path: '/home/a/.coderflow/config.json', config: { server: 'https://cf.example.com', apiKey: malformed }, raw: '' }, settings: {} }, /base apiKey of the CLI config/],
  ];
  for (const [source, where, inputs, names] of sources) {
    it(`a key with a control character in ${where} → reported as malformed naming ${where}, never used`, () => {
      const resolution = resolve(inputs);
      const reason = resolution.considered.find((c) => c.source === source)?.reason ?? '';
      observe(reason);
      assert.equal(resolution.credential, undefined, 'no credential: the key is not sent anywhere');
      assert.match(reason, names);
      assert.match(reason, /characters that CoderFlow keys do not have/);
      assert.ok(!reason.includes(malformed.slice(3, 12)), 'the reason does not repeat the key');
    });
  }
});
