import assert from 'node:assert/strict';
import { CoderFlowClient } from '../../../src/auth/client';
import { ProfileStore } from '../../../src/profiles/store';
import { localDay } from '../../../src/session/keys';
import { KeyService } from '../../../src/session/keysService';
import { SignInService } from '../../../src/session/signIn';
import { startServer, type ReferenceServer } from '../../server';
import { MemoryMemento, MemorySecrets } from '../profiles/memoryStorage';

const DEVICE = 'VS Code on testhost';

describe('KeyService against the reference server', () => {
  let server: ReferenceServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.stop());
  afterEach(() => server.faults.clear());

  async function setup() {
    const store = new ProfileStore(new MemoryMemento(), new MemorySecrets(), new MemoryMemento());
    const makeClient = (serverUrl: string, apiKey?: string) => new CoderFlowClient({ serverUrl, ...(apiKey ? { apiKey } : {}) });
    const lines: string[] = [];
    const signIn = new SignInService(store, makeClient, (line) => lines.push(line), DEVICE);
    const keys = new KeyService({ store, makeClient, log: (line) => lines.push(line), deviceName: DEVICE });
    const profile = await signIn.password({ serverUrl: server.url, profileName: 'work' }, 'alice', 'alice-password');
    const key = await store.getKey(profile.id);
    assert.ok(key && profile.keyId);
    return { store, keys, profile, key, keyId: profile.keyId, lines };
  }

  const meStatus = async (key: string) => (await fetch(`${server.url}/auth/me`, { headers: { authorization: `Bearer ${key}` } })).status;

  it('lists the user’s keys with the profile’s key and knows which one the profile holds', async () => {
    const { keys, profile, keyId } = await setup();
    const other = await server.issueKey('alice', 'Nightly script');
    const listing = await keys.list(profile.id);
    assert.equal(listing.ownKeyId, keyId);
    const names = listing.keys.map((k) => k.name);
    assert.ok(names.includes(DEVICE) && names.includes('Nightly script'));
    assert.ok(listing.keys.some((k) => k.id === other.id));
    assert.ok(listing.keys.every((k) => !('key' in k)), 'no secret in a listing');
  });

  it('keeps with the profile when its key expires, as the key list says', async () => {
    const { store, keys, profile, keyId, key } = await setup();
    const expiresAt = new Date(Date.now() + 5 * 86_400_000).toISOString();
    const body = JSON.stringify({ keys: [{ id: keyId, name: DEVICE, createdAt: new Date().toISOString(), lastUsedAt: null, expiresAt }] });
    server.faults.set({ path: '/api-keys', method: 'GET', status: 200, body, contentType: 'application/json' });
    await keys.list(profile.id);
    assert.equal(store.get(profile.id)?.expiresAt, expiresAt);
    assert.equal(await store.getKey(profile.id), key, 'the key is unchanged');
  });

  it('revokes a key, which the server then refuses with 401', async () => {
    const { keys, profile, store } = await setup();
    const other = await server.issueKey('alice', 'Old laptop');
    assert.equal(await meStatus(other.key), 200);
    const outcome = await keys.revoke(profile.id, [{ id: other.id, name: 'Old laptop' }]);
    assert.deepEqual(outcome, { revoked: [{ id: other.id, name: 'Old laptop' }], failed: [], signedOut: false });
    assert.equal(await meStatus(other.key), 401);
    assert.ok(await store.getKey(profile.id), 'the profile keeps its own key');
  });

  it('revokes the profile’s own key last, and signs the profile out after it', async () => {
    const { keys, profile, store, key, keyId } = await setup();
    const other = await server.issueKey('alice', 'Stale script');
    const outcome = await keys.revoke(profile.id, [
      { id: keyId, name: DEVICE },
      { id: other.id, name: 'Stale script' },
    ]);
    assert.deepEqual(outcome.revoked.map((k) => k.name), ['Stale script', DEVICE]);
    assert.equal(outcome.signedOut, true);
    assert.equal(await meStatus(key), 401);
    assert.equal(await meStatus(other.key), 401);
    assert.equal(await store.getKey(profile.id), undefined);
  });

  it('rotates: a new key named for the device and the day in the profile, the old key refused', async () => {
    const { keys, profile, store, key: oldKey } = await setup();
    const steps: string[] = [];
    const outcome = await keys.rotate(profile.id, (step) => steps.push(step));
    const name = `${DEVICE} (rotated ${localDay(new Date())})`;
    assert.deepEqual(steps, ['create', 'verify', 'store', 'delete']);
    assert.equal(outcome.rotated, true);
    assert.equal(outcome.oldKeyRevoked, true);
    assert.equal(outcome.message, `The key of 'work' was rotated: it now holds "${name}", and "${DEVICE}" is revoked.`);
    const newKey = await store.getKey(profile.id);
    assert.ok(newKey && newKey !== oldKey);
    assert.equal(await meStatus(newKey), 200);
    assert.equal(await meStatus(oldKey), 401);
    const after = store.get(profile.id);
    assert.equal(after?.keyName, name);
    assert.equal(after?.createdByExtension, true);
    assert.notEqual(after?.keyId, profile.keyId);
  });

  it('leaves the profile its working key when the new key cannot be confirmed, and says which key is live', async () => {
    const { keys, profile, store, key: oldKey } = await setup();
    const before = (await keys.list(profile.id)).keys.length;
    server.faults.set({ path: '/auth/me', method: 'GET', status: 503, body: JSON.stringify({ error: 'unavailable', message: 'maintenance' }), contentType: 'application/json' });
    const outcome = await keys.rotate(profile.id);
    server.faults.clear();
    assert.equal(outcome.rotated, false);
    assert.equal(outcome.failedStep, 'verify');
    assert.equal(
      outcome.message,
      `Rotating the key of 'work' failed while testing the new key with /auth/me: The server had a problem (503 Service Unavailable): maintenance. Try again later. If it keeps happening, tell the server's administrator. The profile still holds its key "${DEVICE}", which is still live.`,
    );
    assert.equal(await store.getKey(profile.id), oldKey);
    assert.equal(await meStatus(oldKey), 200);
    assert.equal((await keys.list(profile.id)).keys.length, before, 'the unconfirmed new key was deleted again');
  });

  it('keeps the new key when the old one cannot be revoked, and names the old key as still live', async () => {
    const { keys, profile, store, key: oldKey, keyId } = await setup();
    server.faults.set({ path: `/api-keys/${keyId}`, method: 'DELETE', status: 500, body: JSON.stringify({ error: 'internal', message: 'database locked' }), contentType: 'application/json' });
    const outcome = await keys.rotate(profile.id);
    server.faults.clear();
    const name = `${DEVICE} (rotated ${localDay(new Date())})`;
    assert.equal(outcome.rotated, true);
    assert.equal(outcome.oldKeyRevoked, false);
    assert.equal(outcome.failedStep, 'delete');
    assert.equal(
      outcome.message,
      `The key of 'work' was rotated to "${name}", but the old key "${DEVICE}" could not be revoked and is still live: The server had a problem (500 Internal Server Error): database locked. Try again later. If it keeps happening, tell the server's administrator. Revoke it under API keys in the Profile Manager.`,
    );
    const newKey = await store.getKey(profile.id);
    assert.ok(newKey && newKey !== oldKey);
    assert.equal(await meStatus(newKey), 200);
    assert.equal(await meStatus(oldKey), 200, 'the old key is live, as the message says');
  });

  it('rotates a pasted key but leaves it live, as it is not known which key it is', async () => {
    const store = new ProfileStore(new MemoryMemento(), new MemorySecrets(), new MemoryMemento());
    const makeClient = (serverUrl: string, apiKey?: string) => new CoderFlowClient({ serverUrl, ...(apiKey ? { apiKey } : {}) });
    const signIn = new SignInService(store, makeClient, () => undefined, DEVICE);
    const keys = new KeyService({ store, makeClient, log: () => undefined, deviceName: DEVICE });
    const pasted = await server.issueKey('bob', 'From a script');
    const profile = await signIn.apiKey({ serverUrl: server.url, profileName: 'pasted' }, pasted.key);
    const outcome = await keys.rotate(profile.id);
    assert.equal(outcome.rotated, true);
    assert.equal(outcome.oldKeyRevoked, false);
    assert.match(outcome.message, new RegExp(`but the old key pc_…${pasted.key.slice(-4)} \\(pasted in\\) is still live`));
    assert.equal(await meStatus(pasted.key), 200);
  });

  it('never logs a key', async () => {
    const { keys, profile, lines, key } = await setup();
    await keys.rotate(profile.id);
    const text = lines.join('\n');
    assert.ok(!text.includes(key));
    assert.ok(!/pc_[0-9a-f]{16,}/.test(text));
  });
});
