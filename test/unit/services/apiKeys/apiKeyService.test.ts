import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoderFlowClient } from '../../../../src/core/http/client';
import { ProfileStore } from '../../../../src/profiles/store';
import type { KeyHolder, RevokeQuestion } from '../../../../src/services/apiKeys/keyHolders';
import { localDay } from '../../../../src/shared/keyDates';
import { cliConfigHolder } from '../../../../src/services/apiKeys/cliSharing';
import { KeyService } from '../../../../src/services/apiKeys/apiKeyService';
import { SignInService } from '../../../../src/services/signInService';
import { startServer, type ReferenceServer } from '../../../server';
import { whileUnwritable } from '../../../support/unwritable';
import { MemoryMemento, MemorySecrets } from '../../profiles/memoryStorage';

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

  it('keeps null with the profile when the key list gives its key no expiry, so the expiry counts as known', async () => {
    const { store, keys, profile } = await setup();
    assert.equal(store.get(profile.id)?.expiresAt, undefined, 'a password sign-in does not say');
    await keys.list(profile.id);
    assert.equal(store.get(profile.id)?.expiresAt, null);
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
    const outcome = await keys.rotate(profile.id, { onStep: (step) => steps.push(step) });
    const name = `${DEVICE} (rotated ${localDay(new Date())})`;
    assert.deepEqual(steps, ['create', 'update', 'test', 'delete']);
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
    assert.equal(outcome.failedStep, 'test');
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

  it('rotates a pasted key whose id could not be learned but leaves it live, as it is not known which key it is', async () => {
    const store = new ProfileStore(new MemoryMemento(), new MemorySecrets(), new MemoryMemento());
    const makeClient = (serverUrl: string, apiKey?: string) => new CoderFlowClient({ serverUrl, ...(apiKey ? { apiKey } : {}) });
    const signIn = new SignInService(store, makeClient, () => undefined, DEVICE);
    const keys = new KeyService({ store, makeClient, log: () => undefined, deviceName: DEVICE });
    const pasted = await server.issueKey('bob', 'From a script');
    // A list whose last-used times do not move, with another of bob's keys used the same second:
    // which one was pasted cannot be told, and nobody is asked.
    const twin = await server.issueKey('bob', 'Twin');
    const second = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    const listed = [pasted, twin].map((k) => ({ id: k.id, name: k.id, createdAt: second, lastUsedAt: second }));
    server.faults.set({ path: '/api-keys', method: 'GET', status: 200, body: JSON.stringify({ keys: listed }), contentType: 'application/json', times: 2 });
    const profile = await signIn.apiKey({ serverUrl: server.url, profileName: 'pasted' }, pasted.key);
    assert.equal(profile.keyId, undefined);
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

  describe('every holder of the old key moves before it is revoked', () => {
    let dir: string;
    let file: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'coderflow-rotate-'));
      file = join(dir, 'config.json');
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    /** A holder like the terminal variable: one value in memory. */
    function memoryHolder(value: string) {
      const state = { value };
      const holder: KeyHolder = {
        name: 'CODER_API_KEY of new terminals',
        replace: async (from, to) => {
          if (state.value !== from) return [];
          state.value = to;
          return ['CODER_API_KEY of new terminals'];
        },
      };
      return { state, holder };
    }

    async function withHolders(holders: KeyHolder[], confirm: (q: RevokeQuestion) => Promise<boolean> = async () => assert.fail('nothing to ask')) {
      const base = await setup();
      const asked: RevokeQuestion[] = [];
      const keys = new KeyService({
        store: base.store,
        makeClient: (serverUrl, apiKey) => new CoderFlowClient({ serverUrl, ...(apiKey ? { apiKey } : {}) }),
        log: () => undefined,
        deviceName: DEVICE,
        retirement: {
          holders: () => holders,
          confirmRevoke: (q) => {
            asked.push(q);
            return confirm(q);
          },
        },
      });
      return { ...base, keys, asked };
    }

    it('moves a CLI profile holding the same key (found by value) and the terminal variable, then revokes the old key', async () => {
      const terminal = memoryHolder('');
      const ctx = await withHolders([cliConfigHolder(file), terminal.holder]);
      terminal.state.value = ctx.key;
      const other = await server.issueKey('alice', 'CLI on another machine');
      await writeFile(file, JSON.stringify({ profiles: { work: { server: server.url, apiKey: ctx.key }, other: { server: server.url, apiKey: other.key } } }, null, 2));
      const outcome = await ctx.keys.rotate(ctx.profile.id);
      const cli = JSON.parse(await readFile(file, 'utf8'));
      const newKey = await ctx.store.getKey(ctx.profile.id);
      assert.ok(newKey && newKey !== ctx.key);
      assert.equal(cli.profiles.work.apiKey, newKey, 'the CLI profile holds the new key');
      assert.equal(cli.profiles.other.apiKey, other.key, 'a CLI profile with another key is left alone');
      assert.equal(terminal.state.value, newKey);
      assert.equal(await meStatus(cli.profiles.work.apiKey), 200, 'the server accepts what the CLI now holds');
      assert.equal(await meStatus(ctx.key), 401);
      assert.equal(outcome.oldKeyRevoked, true);
      assert.deepEqual(outcome.movedTo, [`CLI profile 'work' in ${file}`, 'CODER_API_KEY of new terminals']);
      assert.match(outcome.message, /as CLI profile 'work' in .* and CODER_API_KEY of new terminals do/);
      assert.deepEqual(ctx.asked, [], 'nothing to ask when every holder moved');
    });

    it('names a CLI config it cannot write before revoking, and keeps the old key when the person says so', async function () {
      if (process.platform === 'win32') this.skip();
      const ctx = await withHolders([cliConfigHolder(file)], async () => false);
      await writeFile(file, JSON.stringify({ profiles: { work: { server: server.url, apiKey: ctx.key } } }));
      const outcome = await whileUnwritable(file, () => ctx.keys.rotate(ctx.profile.id));
      assert.equal(ctx.asked.length, 1);
      assert.equal(ctx.asked[0]?.stuck[0]?.name, `the CoderFlow CLI config ${file}`);
      assert.match(ctx.asked[0]?.stuck[0]?.reason ?? '', /could not be written/);
      assert.equal(outcome.rotated, true);
      assert.equal(outcome.oldKeyRevoked, false);
      assert.equal(outcome.keptOnPurpose, true);
      assert.match(outcome.message, /The old key "VS Code on testhost" is kept live because the CoderFlow CLI config .* could not be updated/);
      assert.equal(await meStatus(ctx.key), 200, 'the CLI still works with the old key');
      assert.equal(JSON.parse(await readFile(file, 'utf8')).profiles.work.apiKey, ctx.key);
      const newKey = await ctx.store.getKey(ctx.profile.id);
      assert.ok(newKey && newKey !== ctx.key && (await meStatus(newKey)) === 200, 'the profile holds the new key');
    });

    it('revokes the old key anyway when the person says so', async function () {
      if (process.platform === 'win32') this.skip();
      const ctx = await withHolders([cliConfigHolder(file)], async () => true);
      await writeFile(file, JSON.stringify({ apiKey: ctx.key }));
      const outcome = await whileUnwritable(file, () => ctx.keys.rotate(ctx.profile.id));
      assert.equal(ctx.asked.length, 1);
      assert.equal(outcome.oldKeyRevoked, true);
      assert.match(outcome.message, /You chose to revoke it although the CoderFlow CLI config .* could not be updated/);
      assert.equal(await meStatus(ctx.key), 401);
    });

    it('a cancel before the delete leaves every holder with the old key and revokes the new one', async () => {
      const terminal = memoryHolder('');
      const ctx = await withHolders([cliConfigHolder(file), terminal.holder]);
      terminal.state.value = ctx.key;
      const before = '{\n  "apiKey": "' + ctx.key + '"\n}\n';
      await writeFile(file, before);
      const keysBefore = (await ctx.keys.list(ctx.profile.id)).keys.length;
      const cancel = new AbortController();
      const outcome = await ctx.keys.rotate(ctx.profile.id, { signal: cancel.signal, onStep: (step) => step === 'test' && cancel.abort() });
      assert.equal(outcome.cancelled, true);
      assert.equal(outcome.rotated, false);
      assert.match(outcome.message, /was cancelled: nothing changed/);
      assert.equal(await ctx.store.getKey(ctx.profile.id), ctx.key);
      assert.equal(await readFile(file, 'utf8'), before, 'the CLI config is as it was, byte for byte');
      assert.equal(terminal.state.value, ctx.key);
      assert.equal(await meStatus(ctx.key), 200);
      assert.equal((await ctx.keys.list(ctx.profile.id)).keys.length, keysBefore, 'the new key was revoked');
    });
  });
});
