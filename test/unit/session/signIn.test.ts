import assert from 'node:assert/strict';
import { CoderFlowClient } from '../../../src/auth/client';
import { AuthError } from '../../../src/auth/errors';
import { ProfileStore } from '../../../src/profiles/store';
import { SignInService } from '../../../src/session/signIn';
import { completeSsoLogin, startServer, type ReferenceServer } from '../../server';
import { MemoryMemento, MemorySecrets } from '../profiles/memoryStorage';

function setup() {
  const globalState = new MemoryMemento();
  const secrets = new MemorySecrets();
  const store = new ProfileStore(globalState, secrets, new MemoryMemento());
  const lines: string[] = [];
  const service = new SignInService(store, (serverUrl, apiKey) => new CoderFlowClient({ serverUrl, ...(apiKey ? { apiKey } : {}) }), (l) => lines.push(l), 'VS Code on testhost');
  return { globalState, secrets, store, service, lines };
}

async function rejectsKind(promise: Promise<unknown>, kind: string): Promise<AuthError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof AuthError, String(e));
    assert.equal(e.kind, kind, e.message);
    return e;
  }
  assert.fail(`expected ${kind}`);
}

describe('SignInService against the reference server', () => {
  let server: ReferenceServer;
  before(async () => {
    server = await startServer({ pollIntervalSeconds: 1 });
  });
  after(() => server.stop());

  it('signs in with a password, stores the device key in a chosen profile and names it for the device', async () => {
    const { store, service, lines } = setup();
    const profile = await service.password({ serverUrl: server.url, profileName: 'Work' }, 'alice', 'alice-password');
    assert.equal(profile.name, 'Work');
    assert.equal(profile.username, 'alice');
    assert.equal(profile.keyName, 'VS Code on testhost');
    assert.equal(profile.createdByExtension, true);
    assert.equal(store.selectedId(), profile.id);
    const key = await store.getKey(profile.id);
    assert.ok(key && server.keyIsValid(key));
    assert.ok(!lines.join('\n').includes(key), 'the key is never logged');
  });

  it('names a profile after the user and host when no name is given', async () => {
    const { service } = setup();
    const profile = await service.password({ serverUrl: server.url }, 'bob', 'bob-password');
    assert.equal(profile.name, `bob@${new URL(server.url).host}`);
  });

  it('reports a wrong password on the password field and stores nothing', async () => {
    const { store, secrets, service } = setup();
    const error = await rejectsKind(service.password({ serverUrl: server.url }, 'alice', 'wrong'), 'invalid-credentials');
    assert.equal(error.field, 'password');
    assert.deepEqual(store.list(), []);
    assert.equal(secrets.values.size, 0);
  });

  it('signs the same profile in again with a new key and revokes the one it replaced', async () => {
    const { store, service } = setup();
    const first = await service.password({ serverUrl: server.url, profileName: 'Work' }, 'alice', 'alice-password');
    const firstKey = await store.getKey(first.id);
    const second = await service.password({ serverUrl: server.url, profileName: 'Work' }, 'alice', 'alice-password');
    assert.equal(second.id, first.id);
    assert.equal(store.list().length, 1);
    const secondKey = await store.getKey(second.id);
    assert.ok(secondKey && server.keyIsValid(secondKey));
    assert.ok(firstKey && !server.keyIsValid(firstKey), 'the replaced key is revoked on the server');
  });

  it('revokes the key the server made when the profile cannot be saved', async () => {
    const { secrets, service } = setup();
    secrets.failWrites = true;
    const before = server.requests.length;
    await assert.rejects(service.password({ serverUrl: server.url }, 'alice', 'alice-password'), /secure storage/);
    const deletes = server.requests.slice(before).filter((r) => r.method === 'DELETE' && r.path.startsWith('/api-keys/'));
    assert.equal(deletes.length, 1, 'the orphaned key was deleted');
  });

  describe('cancel', () => {
    afterEach(() => server.faults.clear());

    it('a cancel during a slow password check ends it at once and saves, selects and stores nothing', async () => {
      const { store, secrets, service } = setup();
      server.faults.set({ path: '/auth/cli-login', latencyMs: 3000, times: 1 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      const started = Date.now();
      await rejectsKind(service.password({ serverUrl: server.url, profileName: 'Cancelled' }, 'alice', 'alice-password', controller.signal), 'cancelled');
      assert.ok(Date.now() - started < 1500, 'did not wait for the server');
      assert.deepEqual(store.list(), []);
      assert.equal(store.selectedId(), undefined);
      assert.equal(secrets.values.size, 0);
    });

    it('a cancel that arrives with the server’s last answer saves nothing and takes back the key the server made', async () => {
      const { store, secrets } = setup();
      const controller = new AbortController();
      let made: string | undefined;
      // The cancel lands just as `GET /auth/me` confirms the new key: the flow itself has finished.
      const cancelAfterConfirm = new SignInService(
        store,
        (serverUrl, apiKey) => {
          const client = new CoderFlowClient({ serverUrl, ...(apiKey ? { apiKey } : {}) });
          const withApiKey = client.withApiKey.bind(client);
          client.withApiKey = (key: string) => {
            made = key;
            const keyed = withApiKey(key);
            const me = keyed.me.bind(keyed);
            keyed.me = async (signal) => {
              const user = await me(signal);
              controller.abort();
              return user;
            };
            return keyed;
          };
          return client;
        },
        () => undefined,
        'VS Code on testhost',
      );
      await rejectsKind(cancelAfterConfirm.password({ serverUrl: server.url, profileName: 'Late cancel' }, 'alice', 'alice-password', controller.signal), 'cancelled');
      assert.ok(made, 'the server made a key');
      assert.equal(server.keyIsValid(made), false, 'the key nobody holds was revoked');
      assert.deepEqual(store.list(), []);
      assert.equal(secrets.values.size, 0);
    });

    it('a cancel after the profile was saved leaves the sign-in standing', async () => {
      const { store, service } = setup();
      const controller = new AbortController();
      const profile = await service.password({ serverUrl: server.url, profileName: 'Kept' }, 'alice', 'alice-password', controller.signal);
      controller.abort();
      assert.equal(store.selectedId(), profile.id);
      assert.ok(server.keyIsValid((await store.getKey(profile.id)) ?? ''));
    });
  });

  it('accepts a pasted key only after the server confirms it', async () => {
    const { store, service } = setup();
    const { key } = await server.issueKey('alice', 'From a script');
    const profile = await service.apiKey({ serverUrl: server.url, profileName: 'Pasted' }, `  ${key}\n`);
    assert.equal(profile.method, 'apiKey');
    assert.equal(profile.createdByExtension, false);
    assert.equal(await store.getKey(profile.id), key);
    await rejectsKind(service.apiKey({ serverUrl: server.url }, 'pc_' + '0'.repeat(64)), 'invalid-api-key');
    assert.equal(store.list().length, 1);
  });

  it('signs in with SSO through the identity provider and stores the approved key', async () => {
    const { store, service } = setup();
    const profile = await service.sso({ serverUrl: server.url, profileName: 'SSO' }, (prompt) => {
      void completeSsoLogin(prompt.verificationUri, prompt.userCode, { username: 'bob', password: 'bob-password' });
    });
    assert.equal(profile.method, 'sso');
    assert.equal(profile.username, 'bob');
    assert.ok(server.keyIsValid((await store.getKey(profile.id)) ?? ''));
  });

  it('probes a server: reachable, and which ways in it offers', async () => {
    const { service } = setup();
    const probe = await service.probe(`${server.url}/`);
    assert.equal(probe.reachable, true);
    assert.equal(probe.ssoEnabled, true);
    assert.equal(probe.passwordLoginEnabled, true);
    assert.equal(probe.serverUrl, server.url);
  });

  it('probes a server that is not there as unreachable with a network error', async () => {
    const gone = await startServer();
    const url = gone.url;
    await gone.stop();
    const probe = await setup().service.probe(url);
    assert.equal(probe.reachable, false);
    assert.equal(probe.error?.kind, 'network');
  });

  it('refuses a malformed server URL before anything is sent', async () => {
    const { service } = setup();
    const error = await rejectsKind(service.password({ serverUrl: 'ftp://example.com' }, 'alice', 'x'), 'bad-input');
    assert.equal(error.field, 'serverUrl');
  });
});
