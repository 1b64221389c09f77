import assert from 'node:assert/strict';
import { ProfileStore } from '../../../src/profiles/store';
import { MemoryMemento, MemorySecrets } from './memoryStorage';

const LEGACY_KEY = 'profoundCoder.profiles';
const KEY_A = 'pc_' + 'a'.repeat(60) + 'a1b2';
const entry = (id: string) => `profoundCoder.profile.${id}`;

function legacyProfile(id: string, name: string, createdAt: string) {
  return { id, name, serverUrl: 'https://coderflow.example.com', method: 'password', createdByExtension: true, keyId: `key-${id}`, keyHint: 'a1b2', createdAt };
}

/** The list as the earlier version wrote it, with a profile removed lately. */
const LEGACY_LIST = {
  version: 1,
  profiles: [legacyProfile('p1', 'Production', '2026-01-01T00:00:00.000Z'), legacyProfile('p2', 'Staging', '2026-02-01T00:00:00.000Z')],
  removed: ['p0'],
};

/** Opens a store the way a window starts, and lets the migration finish. */
async function start(globalState: MemoryMemento, secrets = new MemorySecrets(), lines: string[] = []) {
  const store = new ProfileStore(globalState, secrets, new MemoryMemento(), { log: (line) => lines.push(line), pollIntervalMs: 60_000 });
  await new Promise((resolve) => setTimeout(resolve, 0));
  return store;
}

describe('ProfileStore: moving the earlier single profile list on first start', () => {
  const stores: ProfileStore[] = [];
  afterEach(() => stores.splice(0).forEach((store) => store.dispose()));

  it('writes one entry per profile, keeps the selection and the keys, then deletes the list', async () => {
    const globalState = new MemoryMemento();
    const secrets = new MemorySecrets();
    await globalState.update(LEGACY_KEY, LEGACY_LIST);
    await globalState.update('profoundCoder.selectedProfile', 'p2');
    secrets.values.set('profoundCoder.profile/p1', JSON.stringify({ apiKey: KEY_A }));
    const lines: string[] = [];
    const store = await start(globalState, secrets, lines);
    stores.push(store);
    assert.equal(globalState.get(LEGACY_KEY), undefined);
    assert.deepEqual(globalState.get(entry('p1')), LEGACY_LIST.profiles[0]);
    assert.deepEqual(store.list().map((p) => p.name), ['Production', 'Staging']);
    assert.equal(store.selected()?.name, 'Staging');
    assert.equal(await store.getKey('p1'), KEY_A);
    assert.ok(lines.some((line) => /Moved 2 profile/.test(line)));
  });

  it('shows the moved profiles to the first read, right after the store is made', async () => {
    const globalState = new MemoryMemento();
    await globalState.update(LEGACY_KEY, LEGACY_LIST);
    const store = new ProfileStore(globalState, new MemorySecrets(), new MemoryMemento(), { pollIntervalMs: 60_000 });
    stores.push(store);
    assert.deepEqual(store.list().map((p) => p.id), ['p1', 'p2']);
  });

  it('writes the same entries when two windows move the list at once, and moves nothing a second time', async () => {
    const globalState = new MemoryMemento();
    await globalState.update(LEGACY_KEY, LEGACY_LIST);
    const first = new ProfileStore(globalState, new MemorySecrets(), new MemoryMemento(), { pollIntervalMs: 60_000 });
    const second = new ProfileStore(globalState, new MemorySecrets(), new MemoryMemento(), { pollIntervalMs: 60_000 });
    stores.push(first, second);
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual([...globalState.values.keys()].sort(), [entry('p1'), entry('p2')]);
    assert.deepEqual(first.list(), second.list());
    // A profile changed since, then an old list seen again (a window that read it late): the entry wins.
    await first.markVerified('p1', { username: 'alice' });
    const changed = globalState.get(entry('p1'));
    await globalState.update(LEGACY_KEY, LEGACY_LIST);
    stores.push(await start(globalState));
    assert.deepEqual(globalState.get(entry('p1')), changed);
    assert.equal(globalState.get(LEGACY_KEY), undefined);
  });

  it('copies an entry it cannot read as it is, for the later version that wrote it', async () => {
    const globalState = new MemoryMemento();
    const future = { id: 'p9', name: 'From the future', kind: 'oauth' };
    await globalState.update(LEGACY_KEY, { version: 1, profiles: [LEGACY_LIST.profiles[0], future] });
    const store = await start(globalState);
    stores.push(store);
    assert.deepEqual(globalState.get(entry('p9')), future);
    assert.deepEqual(store.list().map((p) => p.id), ['p1']);
    assert.equal(globalState.get(LEGACY_KEY), undefined);
  });

  for (const [what, list] of [
    ['a list that is not an object', 'garbage'],
    ['a list of a later format', { version: 2, profiles: [LEGACY_LIST.profiles[0]] }],
    ['a list whose profiles are not an array', { version: 1, profiles: { p1: LEGACY_LIST.profiles[0] } }],
    ['a list with an entry that has no id', { version: 1, profiles: [LEGACY_LIST.profiles[0], { name: 'No id' }] }],
  ] as const) {
    it(`leaves ${what} in place, reports it and writes nothing`, async () => {
      const globalState = new MemoryMemento();
      await globalState.update(LEGACY_KEY, list);
      const lines: string[] = [];
      const store = await start(globalState, new MemorySecrets(), lines);
      stores.push(store);
      assert.deepEqual(globalState.get(LEGACY_KEY), list);
      assert.deepEqual([...globalState.values.keys()], [LEGACY_KEY]);
      assert.deepEqual(store.list(), []);
      assert.ok(lines.some((line) => line.includes(LEGACY_KEY) && /unexpected shape/.test(line)), lines.join('\n'));
    });
  }

  it('keeps the list when globalState refuses the writes, reports it, and moves it at the next start', async () => {
    const globalState = new MemoryMemento();
    await globalState.update(LEGACY_KEY, LEGACY_LIST);
    globalState.failWrites = true;
    const lines: string[] = [];
    const store = await start(globalState, new MemorySecrets(), lines);
    assert.deepEqual(globalState.get(LEGACY_KEY), LEGACY_LIST);
    assert.ok(lines.some((line) => /Could not move the earlier profile list/.test(line) && /read-only/.test(line)), lines.join('\n'));
    // Writes wait for the migration, whether it worked or not.
    await assert.rejects(store.select('p1'));
    store.dispose();
    globalState.failWrites = false;
    const next = await start(globalState);
    stores.push(next);
    assert.equal(globalState.get(LEGACY_KEY), undefined);
    assert.deepEqual(next.list().map((p) => p.id), ['p1', 'p2']);
  });
});
