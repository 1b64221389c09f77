import assert from 'node:assert/strict';
import { CoderFlowClient } from '../../../src/core/http/client';
import { AuthError } from '../../../src/core/errors';
import { ProfileStore } from '../../../src/profiles/store';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RevokeQuestion } from '../../../src/services/apiKeys/keyHolders';
import { cliConfigHolder } from '../../../src/services/apiKeys/cliSharing';
import { SignInService, type NameTakenAnswer, type NameTakenQuestion, type SignInChoices } from '../../../src/services/signInService';
import { completeSsoLogin, startServer, type ReferenceServer } from '../../server';
import { MemoryMemento, MemorySecrets } from '../profiles/memoryStorage';

function setup(choices?: SignInChoices) {
  const globalState = new MemoryMemento();
  const secrets = new MemorySecrets();
  const store = new ProfileStore(globalState, secrets, new MemoryMemento());
  const lines: string[] = [];
  const service = new SignInService(store, (serverUrl, apiKey) => new CoderFlowClient({ serverUrl, ...(apiKey ? { apiKey } : {}) }), (l) => lines.push(l), 'VS Code on testhost', choices);
  return { globalState, secrets, store, service, lines };
}

/** Answers the sign-in's questions as scripted, and records them. */
function scripted(answers: { nameTaken?: Array<NameTakenAnswer | undefined>; whichKey?: (ids: string[]) => string | undefined; revoke?: boolean; holders?: SignInChoices['retirement']['holders'] }) {
  const asked = { nameTaken: [] as NameTakenQuestion[], whichKey: [] as string[][], revoke: [] as RevokeQuestion[] };
  const choices: SignInChoices = {
    nameTaken: async (q) => {
      asked.nameTaken.push(q);
      return answers.nameTaken?.shift();
    },
    whichKey: async (keys) => {
      asked.whichKey.push(keys.map((k) => k.id));
      return answers.whichKey?.(keys.map((k) => k.id));
    },
    retirement: {
      holders: answers.holders ?? (() => []),
      confirmRevoke: async (q) => {
        asked.revoke.push(q);
        return answers.revoke === true;
      },
    },
  };
  return { asked, choices };
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

  describe('a name that is taken, and the key it held', () => {
    const meOk = (key: string) => server.keyIsValid(key);

    it('never replaces a profile of another user silently: without a way to ask, it refuses and revokes the key it made', async () => {
      const { store, service } = setup();
      const alice = await service.password({ serverUrl: server.url, profileName: 'Work' }, 'alice', 'alice-password');
      const before = server.requests.length;
      const error = await rejectsKind(service.password({ serverUrl: server.url, profileName: 'Work' }, 'bob', 'bob-password'), 'bad-input');
      assert.match(error.message, /A profile named 'Work' exists already for alice/);
      assert.equal(store.get(alice.id)?.username, 'alice');
      assert.ok(meOk((await store.getKey(alice.id))!), "alice's key is untouched");
      assert.equal(server.requests.slice(before).filter((r) => r.method === 'DELETE').length, 1, "bob's new key was taken back");
    });

    it('asks, and with another name keeps both profiles', async () => {
      const { asked, choices } = scripted({ nameTaken: [{ rename: 'Work (bob)' }] });
      const { store, service } = setup(choices);
      const alice = await service.password({ serverUrl: server.url, profileName: 'Work' }, 'alice', 'alice-password');
      const bob = await service.password({ serverUrl: server.url, profileName: 'Work' }, 'bob', 'bob-password');
      assert.equal(asked.nameTaken.length, 1);
      assert.equal(asked.nameTaken[0]?.existing.id, alice.id);
      assert.equal(asked.nameTaken[0]?.username, 'bob');
      assert.equal(bob.name, 'Work (bob)');
      assert.deepEqual(store.list().map((p) => p.name).sort(), ['Work', 'Work (bob)']);
    });

    it('replaces the other user’s profile when asked to, revoking its key on purpose', async () => {
      const { choices } = scripted({ nameTaken: [{ replace: true, revokeOldKey: true }] });
      const { store, service } = setup(choices);
      const alice = await service.password({ serverUrl: server.url, profileName: 'Work' }, 'alice', 'alice-password');
      const aliceKey = (await store.getKey(alice.id))!;
      const bob = await service.password({ serverUrl: server.url, profileName: 'Work' }, 'bob', 'bob-password');
      assert.equal(store.list().length, 1);
      assert.equal(bob.username, 'bob');
      assert.equal(meOk(aliceKey), false, "alice's key, now held by nothing, is revoked");
    });

    it('replaces it keeping its key live when the person chooses that', async () => {
      const { choices } = scripted({ nameTaken: [{ replace: true, revokeOldKey: false }] });
      const { store, service, lines } = setup(choices);
      const alice = await service.password({ serverUrl: server.url, profileName: 'Work' }, 'alice', 'alice-password');
      const aliceKey = (await store.getKey(alice.id))!;
      await service.password({ serverUrl: server.url, profileName: 'Work' }, 'bob', 'bob-password');
      assert.equal(meOk(aliceKey), true);
      assert.match(lines.join('\n'), /replaced profile's key \(id .*\) .* is kept live, as chosen/);
    });

    it('asks for the same user on another server too', async () => {
      const other = await startServer({ sso: false });
      try {
        const { asked, choices } = scripted({ nameTaken: [{ rename: 'Work (other)' }] });
        const { store, service } = setup(choices);
        await service.password({ serverUrl: server.url, profileName: 'Work' }, 'alice', 'alice-password');
        const second = await service.password({ serverUrl: other.url, profileName: 'Work' }, 'alice', 'alice-password');
        assert.equal(asked.nameTaken.length, 1);
        assert.equal(asked.nameTaken[0]?.serverUrl, new URL(other.url).origin);
        assert.equal(second.name, 'Work (other)');
        assert.equal(store.list().length, 2);
      } finally {
        await other.stop();
      }
    });

    it('a closed question stops the sign-in: nothing replaced, the new key taken back', async () => {
      const { choices } = scripted({ nameTaken: [undefined] });
      const { store, service } = setup(choices);
      const alice = await service.password({ serverUrl: server.url, profileName: 'Work' }, 'alice', 'alice-password');
      const before = server.requests.length;
      await rejectsKind(service.password({ serverUrl: server.url, profileName: 'Work' }, 'bob', 'bob-password'), 'cancelled');
      assert.equal(store.get(alice.id)?.username, 'alice');
      assert.equal(server.requests.slice(before).filter((r) => r.method === 'DELETE').length, 1);
    });
  });

  describe('signing a profile in again moves every holder of the key it replaces', () => {
    let dir: string;
    let file: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'coderflow-signin-'));
      file = join(dir, 'config.json');
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('a CLI profile holding the old key gets the new one before the old key is revoked', async () => {
      const { asked, choices } = scripted({ holders: () => [cliConfigHolder(file)] });
      const { store, service } = setup(choices);
      const first = await service.password({ serverUrl: server.url, profileName: 'Work' }, 'alice', 'alice-password');
      const firstKey = (await store.getKey(first.id))!;
      await writeFile(file, JSON.stringify({ profiles: { work: { server: server.url, apiKey: firstKey } } }, null, 2));
      await service.password({ serverUrl: server.url, profileName: 'Work' }, 'alice', 'alice-password');
      const secondKey = (await store.getKey(first.id))!;
      assert.equal(JSON.parse(await readFile(file, 'utf8')).profiles.work.apiKey, secondKey);
      assert.ok(server.keyIsValid(secondKey));
      assert.equal(server.keyIsValid(firstKey), false);
      assert.deepEqual(asked.revoke, []);
    });

    it('a holder it cannot update is named before revoking, and the old key is kept when the person says so', async () => {
      const { asked, choices } = scripted({ revoke: false, holders: () => [cliConfigHolder(file)] });
      const { store, service } = setup(choices);
      const first = await service.password({ serverUrl: server.url, profileName: 'Work' }, 'alice', 'alice-password');
      const firstKey = (await store.getKey(first.id))!;
      // A file that does not parse may hold the key: it cannot be updated, so it is named.
      await writeFile(file, `{"apiKey": "${firstKey}",}`);
      await service.password({ serverUrl: server.url, profileName: 'Work' }, 'alice', 'alice-password');
      assert.equal(asked.revoke.length, 1);
      assert.equal(asked.revoke[0]?.stuck[0]?.name, `the CoderFlow CLI config ${file}`);
      assert.ok(server.keyIsValid(firstKey), 'kept live, as the person chose');
    });
  });

  describe('a pasted key learns its id', () => {
    // A server of its own: keys other tests used moments ago would count as "just used" too.
    let fresh: ReferenceServer;
    beforeEach(async () => {
      fresh = await startServer({ sso: false });
    });
    afterEach(() => fresh.stop());

    it('records the id and name of the one key just used', async () => {
      const { service } = setup();
      await fresh.issueKey('alice', 'Alice old script');
      const pasted = await fresh.issueKey('alice', 'Alice CI');
      const profile = await service.apiKey({ serverUrl: fresh.url, profileName: 'Pasted' }, pasted.key);
      assert.equal(profile.keyId, pasted.id);
      assert.equal(profile.keyName, 'Alice CI');
    });

    it('is not confused by another key used just before', async () => {
      const { asked, choices } = scripted({ whichKey: () => assert.fail('nothing to ask') });
      const { service } = setup(choices);
      const pasted = await fresh.issueKey('bob', 'Bob laptop');
      const twin = await fresh.issueKey('bob', 'Bob desktop');
      await new CoderFlowClient({ serverUrl: fresh.url, apiKey: twin.key }).me();
      const profile = await service.apiKey({ serverUrl: fresh.url, profileName: 'Bob pasted' }, pasted.key);
      assert.equal(asked.whichKey.length, 0);
      assert.equal(profile.keyId, pasted.id);
    });

    it('asks once when the list cannot tell (its times do not move) and several keys were used just now', async () => {
      const { asked, choices } = scripted({ whichKey: (ids) => ids.find((id) => id === pasted.id) });
      const { service } = setup(choices);
      const pasted = await fresh.issueKey('bob', 'Bob laptop');
      const twin = await fresh.issueKey('bob', 'Bob desktop');
      // A server that keeps last-used times to the second: both readings of the list are alike.
      const second = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
      const listed = [pasted, twin].map((k, i) => ({ id: k.id, name: i === 0 ? 'Bob laptop' : 'Bob desktop', createdAt: second, lastUsedAt: second }));
      fresh.faults.set({ path: '/api-keys', method: 'GET', status: 200, body: JSON.stringify({ keys: listed }), contentType: 'application/json' });
      const profile = await service.apiKey({ serverUrl: fresh.url, profileName: 'Bob pasted' }, pasted.key);
      assert.equal(asked.whichKey.length, 1);
      assert.deepEqual([...asked.whichKey[0]].sort(), [pasted.id, twin.id].sort());
      assert.equal(profile.keyId, pasted.id);
    });

    it('records nothing when the person does not know', async () => {
      const { choices } = scripted({ whichKey: () => undefined });
      const { service } = setup(choices);
      const pasted = await fresh.issueKey('bob', 'Bob one');
      const twin = await fresh.issueKey('bob', 'Bob two');
      const second = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
      const listed = [pasted, twin].map((k) => ({ id: k.id, name: k.id, createdAt: second, lastUsedAt: second }));
      fresh.faults.set({ path: '/api-keys', method: 'GET', status: 200, body: JSON.stringify({ keys: listed }), contentType: 'application/json' });
      const profile = await service.apiKey({ serverUrl: fresh.url, profileName: 'Bob unsure' }, pasted.key);
      assert.equal(profile.keyId, undefined);
    });

    it('a cancel while the key list is read saves nothing', async () => {
      const { store, service } = setup();
      const pasted = await fresh.issueKey('alice', 'Alice slow list');
      fresh.faults.set({ path: '/api-keys', method: 'GET', latencyMs: 2_000 });
      const cancel = new AbortController();
      const signingIn = service.apiKey({ serverUrl: fresh.url, profileName: 'Cancelled paste' }, pasted.key, cancel.signal);
      await new Promise((r) => setTimeout(r, 200));
      cancel.abort();
      await rejectsKind(signingIn, 'cancelled');
      assert.deepEqual(store.list(), []);
      assert.equal(store.selectedId(), undefined);
    });

    it('signs in without the id when the user may not list keys (403)', async () => {
      const { service, lines } = setup();
      const pasted = await fresh.issueKey('carol', 'Carol key');
      const profile = await service.apiKey({ serverUrl: fresh.url, profileName: 'Carol' }, pasted.key);
      assert.equal(profile.keyId, undefined);
      assert.match(lines.join('\n'), /Could not read the key list to learn which key was pasted/);
    });
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

    it('a cancel that arrives with the server’s last answer saves nothing, revokes nothing it held, and takes back the key the server made', async () => {
      const { store, service } = setup();
      // Signing this profile in again would replace its key and revoke the old one: not after a cancel.
      const existing = await service.password({ serverUrl: server.url, profileName: 'Late cancel' }, 'alice', 'alice-password');
      const heldKey = await store.getKey(existing.id);
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
      assert.deepEqual(store.list().map((p) => p.id), [existing.id]);
      assert.equal(await store.getKey(existing.id), heldKey, 'the profile keeps its key');
      assert.ok(heldKey && server.keyIsValid(heldKey), 'the key the profile holds is not revoked');
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
