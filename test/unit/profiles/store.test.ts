import assert from 'node:assert/strict';
import type { NewProfile } from '../../../src/profiles/profileWrites';
import { ProfileStore } from '../../../src/profiles/store';
import { ProfileStateError, SecretStorageError } from '../../../src/profiles/storageErrors';
import { MemoryMemento, MemorySecrets } from './memoryStorage';

const KEY_A = 'pc_' + 'a'.repeat(60) + 'a1b2';
const KEY_B = 'pc_' + 'b'.repeat(60) + 'c3d4';

function newProfile(overrides: Partial<NewProfile> = {}): NewProfile {
  return {
    name: 'Production',
    serverUrl: 'https://coderflow.example.com',
    username: 'alice',
    method: 'password',
    keyId: 'k1',
    keyName: 'VS Code on devbox',
    createdByExtension: true,
    ...overrides,
  };
}

function setup() {
  const globalState = new MemoryMemento();
  const workspaceState = new MemoryMemento();
  const secrets = new MemorySecrets();
  const store = new ProfileStore(globalState, secrets, workspaceState);
  return { globalState, workspaceState, secrets, store };
}

/** The globalState key of a profile's own entry. */
const entry = (id: string) => `profoundCoder.profile.${id}`;

function everythingOutsideSecrets(globalState: MemoryMemento, workspaceState: MemoryMemento): string {
  return JSON.stringify([...globalState.values, ...workspaceState.values]);
}

describe('ProfileStore', () => {
  it('keeps the key in SecretStorage and only a four-character hint in globalState', async () => {
    const { store, globalState, workspaceState, secrets } = setup();
    const saved = await store.save(newProfile(), KEY_A);
    assert.equal(await store.getKey(saved.id), KEY_A);
    assert.equal(saved.keyHint, 'a1b2');
    assert.equal([...secrets.values.values()].filter((v) => v.includes(KEY_A)).length, 1);
    assert.ok(!everythingOutsideSecrets(globalState, workspaceState).includes(KEY_A.slice(3, 20)));
    assert.deepEqual(store.list().map((p) => p.name), ['Production']);
  });

  it('reads a corrupt or foreign secret value as absent instead of failing', async () => {
    const { store, secrets } = setup();
    const saved = await store.save(newProfile(), KEY_A);
    const entry = [...secrets.values.keys()][0];
    for (const bad of ['not json', '{"apiKey":42}', '{"apiKey":"sk-ant-123"}', '"pc_plain"']) {
      secrets.values.set(entry, bad);
      assert.equal(await store.getKey(saved.id), undefined, bad);
    }
  });

  it('saves nothing and says how to fix it when SecretStorage fails', async () => {
    const { store, secrets, globalState } = setup();
    secrets.failWrites = true;
    await assert.rejects(store.save(newProfile(), KEY_A), (e: unknown) => {
      assert.ok(e instanceof SecretStorageError);
      assert.match(e.message, /could not save the API key in its secure storage/);
      assert.match(e.fix, /keyring/);
      assert.match(e.fix, /coder login/);
      return true;
    });
    assert.deepEqual(store.list(), []);
    assert.equal(globalState.values.size, 0);
  });

  it('removes the new secret again when the metadata cannot be written', async () => {
    const { store, secrets, globalState } = setup();
    globalState.failWrites = true;
    await assert.rejects(store.save(newProfile(), KEY_A), ProfileStateError);
    assert.equal(secrets.values.size, 0);
    assert.deepEqual(store.list(), []);
  });

  it('restores the previous key when re-signing in to a profile fails half-way', async () => {
    const { store, globalState } = setup();
    const saved = await store.save(newProfile(), KEY_A);
    globalState.failWrites = true;
    await assert.rejects(store.save(newProfile({ id: saved.id, keyId: 'k2' }), KEY_B), ProfileStateError);
    assert.equal(await store.getKey(saved.id), KEY_A);
    assert.equal(store.get(saved.id)?.keyId, 'k1');
  });

  it('replaces the key of an existing profile and keeps its id and creation time', async () => {
    const { store } = setup();
    const first = await store.save(newProfile(), KEY_A);
    const second = await store.save(newProfile({ id: first.id, keyId: 'k2' }), KEY_B);
    assert.equal(second.id, first.id);
    assert.equal(second.createdAt, first.createdAt);
    assert.equal(await store.getKey(first.id), KEY_B);
    assert.equal(store.list().length, 1);
  });

  it('runs two quick sign-ins one after the other and keeps both profiles', async () => {
    const { store } = setup();
    const [a, b] = await Promise.all([
      store.save(newProfile({ name: 'A' }), KEY_A),
      store.save(newProfile({ name: 'B' }), KEY_B),
    ]);
    assert.deepEqual(store.list().map((p) => p.name), ['A', 'B']);
    assert.equal(await store.getKey(a.id), KEY_A);
    assert.equal(await store.getKey(b.id), KEY_B);
  });

  it('signs out by deleting the key but keeps the profile for the next sign-in', async () => {
    const { store } = setup();
    const saved = await store.save(newProfile(), KEY_A);
    await store.signOut(saved.id);
    assert.equal(await store.getKey(saved.id), undefined);
    const after = store.get(saved.id);
    assert.equal(after?.name, 'Production');
    assert.equal(after?.keyHint, undefined);
  });

  it('removes a profile with its key and its selection', async () => {
    const { store, secrets } = setup();
    const saved = await store.save(newProfile(), KEY_A);
    await store.select(saved.id);
    await store.remove(saved.id);
    assert.deepEqual(store.list(), []);
    assert.equal(secrets.values.size, 0);
    assert.equal(store.selectedId(), undefined);
  });

  it('keeps the profile listed when the keyring refuses to delete its key', async () => {
    const { store, secrets } = setup();
    const saved = await store.save(newProfile(), KEY_A);
    secrets.failWrites = true;
    await assert.rejects(store.remove(saved.id), SecretStorageError);
    assert.equal(store.list().length, 1);
  });

  it('prefers the workspace choice of profile over the global one', async () => {
    const { store } = setup();
    const a = await store.save(newProfile({ name: 'A' }), KEY_A);
    const b = await store.save(newProfile({ name: 'B' }), KEY_B);
    await store.select(a.id, 'global');
    assert.equal(store.selectedId(), a.id);
    await store.select(b.id, 'workspace');
    assert.equal(store.selectedId(), b.id);
    await store.remove(b.id);
    assert.equal(store.selectedId(), a.id);
  });

  it('keeps each profile in an entry of its own and no list', async () => {
    const { store, globalState } = setup();
    const a = await store.save(newProfile({ name: 'A' }), KEY_A);
    const b = await store.save(newProfile({ name: 'B' }), KEY_B);
    await store.select(b.id);
    assert.deepEqual([...globalState.values.keys()].sort(), [entry(a.id), entry(b.id), 'profoundCoder.selectedProfile'].sort());
    assert.equal(globalState.get<{ name: string }>(entry(a.id))?.name, 'A');
  });

  it('skips and reports once an entry it cannot read, never rewriting it, so a newer version loses nothing', async () => {
    const globalState = new MemoryMemento();
    const lines: string[] = [];
    const foreign = { id: 'x', name: 'From the future', kind: 'oauth' };
    await globalState.update(entry('x'), foreign);
    await globalState.update(entry('y'), 'not an object');
    const store = new ProfileStore(globalState, new MemorySecrets(), new MemoryMemento(), { log: (line) => lines.push(line) });
    try {
      const saved = await store.save(newProfile(), KEY_A);
      await store.markVerified(saved.id);
      assert.deepEqual(store.list().map((p) => p.name), ['Production']);
      assert.equal(store.get('x'), undefined);
      assert.deepEqual(globalState.get(entry('x')), foreign);
      assert.equal(globalState.get(entry('y')), 'not an object');
      assert.equal(lines.filter((line) => line.includes(entry('x'))).length, 1);
      assert.equal(lines.filter((line) => line.includes(entry('y'))).length, 1);
    } finally {
      store.dispose();
    }
  });

  it('does not take an entry stored under another profile’s key for that profile', async () => {
    const { store, globalState } = setup();
    const saved = await store.save(newProfile(), KEY_A);
    await globalState.update(entry('other'), globalState.get(entry(saved.id)));
    assert.equal(store.get('other'), undefined);
    assert.deepEqual(store.list().map((p) => p.id), [saved.id]);
  });

  it('keeps fields it does not know when it changes a profile', async () => {
    const { store, globalState } = setup();
    const saved = await store.save(newProfile({ keyId: 'k1' }), KEY_A);
    await globalState.update(entry(saved.id), { ...globalState.get<object>(entry(saved.id)), addedLater: 'kept' });
    await store.setExpiry(saved.id, 'k1', null);
    await store.signOut(saved.id);
    const raw = globalState.get<Record<string, unknown>>(entry(saved.id));
    assert.equal(raw?.addedLater, 'kept');
    assert.equal(raw?.expiresAt, null);
    assert.ok(raw && !('keyHint' in raw));
  });

  it('gives the selected profile itself, and none once it is removed', async () => {
    const { store } = setup();
    assert.equal(store.selected(), undefined);
    const a = await store.save(newProfile({ name: 'A' }), KEY_A);
    await store.select(a.id);
    assert.equal(store.selected()?.name, 'A');
    await store.select('no-such-profile', 'workspace');
    assert.equal(store.selected()?.name, 'A', 'a workspace choice of a profile that is gone falls back to the global one');
    await store.remove(a.id);
    assert.equal(store.selected(), undefined);
  });

  it('records a key expiry only while the profile still holds that key', async () => {
    const { store } = setup();
    const saved = await store.save(newProfile({ keyId: 'k1' }), KEY_A);
    await store.setExpiry(saved.id, 'k1', '2027-01-01T00:00:00Z');
    assert.equal(store.get(saved.id)?.expiresAt, '2027-01-01T00:00:00Z');
    await store.setExpiry(saved.id, 'k-rotated-away', null);
    assert.equal(store.get(saved.id)?.expiresAt, '2027-01-01T00:00:00Z');
    assert.equal(await store.getKey(saved.id), KEY_A);
  });

  it('treats a profile signed out in another window as signed out here, even with a key left in this window', async () => {
    const { store, globalState } = setup();
    const saved = await store.save(newProfile(), KEY_A);
    // The other window signed out: the profile's entry, shared through globalState, has no key hint.
    const stored = globalState.get<Record<string, unknown>>(entry(saved.id));
    assert.ok(stored);
    delete stored.keyHint;
    await globalState.update(entry(saved.id), stored);
    assert.equal(await store.getKey(saved.id), undefined);
  });

  it('ignores a key this window holds when the profile list names another one (rotated elsewhere)', async () => {
    const { store, globalState } = setup();
    const saved = await store.save(newProfile(), KEY_A);
    await globalState.update(entry(saved.id), { ...globalState.get<object>(entry(saved.id)), keyHint: 'c3d4' });
    assert.equal(await store.getKey(saved.id), undefined);
  });

  it('notices another window changing the profile list within the poll interval', async () => {
    const globalState = new MemoryMemento();
    const store = new ProfileStore(globalState, new MemorySecrets(), new MemoryMemento(), { pollIntervalMs: 50 });
    try {
      let fired = 0;
      store.onDidChange(() => fired++);
      const elsewhere = new ProfileStore(globalState, new MemorySecrets(), new MemoryMemento(), { pollIntervalMs: 60_000 });
      await elsewhere.save(newProfile({ name: 'Elsewhere' }), KEY_B);
      elsewhere.dispose();
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(fired, 1);
      assert.deepEqual(store.list().map((p) => p.name), ['Elsewhere']);
    } finally {
      store.dispose();
    }
  });

  it('puts back a profile it just saved when another window’s simultaneous write lost it', async () => {
    const globalState = new MemoryMemento();
    const here = new ProfileStore(globalState, new MemorySecrets(), new MemoryMemento(), { pollIntervalMs: 50 });
    const there = new ProfileStore(globalState, new MemorySecrets(), new MemoryMemento(), { pollIntervalMs: 60_000 });
    try {
      const mine = await here.save(newProfile({ name: 'Here' }), KEY_A);
      // VS Code writes all of an extension's globalState as one value, so the other window's
      // save, made from a view that did not have "Here" yet, drops "Here"'s entry.
      await globalState.update(entry(mine.id), undefined);
      await there.save(newProfile({ name: 'There' }), KEY_B);
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(new Set(here.list().map((p) => p.name)), new Set(['Here', 'There']));
      assert.equal(here.get(mine.id)?.keyHint, 'a1b2');
    } finally {
      here.dispose();
      there.dispose();
    }
  });

  it('does not bring back a profile another window removed', async () => {
    const globalState = new MemoryMemento();
    const here = new ProfileStore(globalState, new MemorySecrets(), new MemoryMemento(), { pollIntervalMs: 50 });
    const there = new ProfileStore(globalState, new MemorySecrets(), new MemoryMemento(), { pollIntervalMs: 60_000 });
    try {
      const mine = await here.save(newProfile({ name: 'Here' }), KEY_A);
      await there.remove(mine.id);
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(here.list(), []);
    } finally {
      here.dispose();
      there.dispose();
    }
  });

  it('does not bring back a profile this window removed', async () => {
    const globalState = new MemoryMemento();
    const here = new ProfileStore(globalState, new MemorySecrets(), new MemoryMemento(), { pollIntervalMs: 50 });
    try {
      const mine = await here.save(newProfile({ name: 'Here' }), KEY_A);
      await here.remove(mine.id);
      await globalState.update('profoundCoder.selectedProfile', 'x');
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(here.list(), []);
    } finally {
      here.dispose();
    }
  });

  it('tells listeners when another window changes a profile key', async () => {
    const { store, secrets } = setup();
    let fired = 0;
    store.onDidChange(() => fired++);
    secrets.externalStore('profoundCoder.profile/other-window', JSON.stringify({ apiKey: KEY_B }));
    secrets.externalStore('some.other.extension', 'x');
    assert.equal(fired, 1);
  });
});
