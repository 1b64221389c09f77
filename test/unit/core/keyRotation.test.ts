import assert from 'node:assert/strict';
import { CoderFlowClient } from '../../../src/core/http/client';
import { rotateKey, type RotateOptions, type RotationStep } from '../../../src/core/keyRotation';
import type { CreatedKey } from '../../../src/core/http/protocol';
import { startServer, type ReferenceServer } from '../../server';
import { rejectsWith } from './support';

describe('rotateKey', () => {
  let server: ReferenceServer;
  before(async () => {
    server = await startServer({ sso: false });
  });
  after(() => server.stop());
  beforeEach(() => server.faults.clear());

  async function signedIn() {
    const old = await server.issueKey('alice', 'VS Code on old-laptop');
    return { old, client: new CoderFlowClient({ serverUrl: server.url, apiKey: old.key }) };
  }

  /** A holder of the key: update() gives it the new key, restore() the old one back. */
  function holder(start: string) {
    const state = { held: start, restores: 0 };
    const options: Pick<RotateOptions, 'update' | 'restore'> = {
      update: async (key: CreatedKey) => void (state.held = key.key),
      restore: async () => {
        state.restores++;
        state.held = start;
        return true;
      },
    };
    return { state, options };
  }

  it('creates, updates the holders, tests, then deletes the old key: the docs’ four steps in order', async () => {
    const { old, client } = await signedIn();
    const steps: RotationStep[] = [];
    const { state, options } = holder(old.key);
    const before = server.requests.length;
    const result = await rotateKey(client, {
      newName: 'VS Code on new-laptop',
      oldKeyId: old.id,
      ...options,
      update: async (key) => {
        assert.equal(server.keyIsValid(old.key), true, 'the old key still works while the holders switch');
        await options.update(key);
      },
      onStep: (step) => steps.push(step),
    });
    assert.deepEqual(steps, ['create', 'update', 'test', 'delete']);
    assert.deepEqual(server.requests.slice(before).map((r) => `${r.method} ${r.path.replace(old.id, ':old')}`), ['POST /api-keys', 'GET /auth/me', 'DELETE /api-keys/:old']);
    assert.equal(state.held, result.newKey.key);
    assert.equal(result.newKey.name, 'VS Code on new-laptop');
    assert.equal(result.oldKeyDeleted, true);
    assert.equal(result.kept, undefined);
    assert.equal(server.keyIsValid(old.key), false);
    assert.equal(server.keyIsValid(result.newKey.key), true);
  });

  it('says the old key is still live when deleting it fails, and keeps the new key', async () => {
    const { old, client } = await signedIn();
    server.faults.set({ path: `/api-keys/${old.id}`, method: 'DELETE', status: 502, body: '<html><title>502 Bad Gateway</title></html>' });
    const { state, options } = holder(old.key);
    const result = await rotateKey(client, { newName: 'new', oldKeyId: old.id, ...options });
    assert.equal(result.oldKeyDeleted, false);
    assert.equal(result.kept, 'delete-failed');
    assert.match(result.deleteError?.message ?? '', /502/);
    assert.equal(state.held, result.newKey.key);
    assert.equal(state.restores, 0, 'the holders keep the new key');
    assert.equal(server.keyIsValid(result.newKey.key), true);
    assert.equal(server.keyIsValid(old.key), true);
  });

  it('counts an old key that is already gone as deleted', async () => {
    const { old } = await signedIn();
    const other = new CoderFlowClient({ serverUrl: server.url, apiKey: (await server.issueKey('alice')).key });
    await other.deleteKey(old.id);
    // The old key is gone, so the rotation must run with another valid key.
    const result = await rotateKey(other, { newName: 'new', oldKeyId: old.id, ...holder(old.key).options });
    assert.equal(result.oldKeyDeleted, true);
  });

  it('leaves the old key alone and says so when its id is not known', async () => {
    const { old, client } = await signedIn();
    const result = await rotateKey(client, { newName: 'new', ...holder(old.key).options });
    assert.equal(result.oldKeyDeleted, false);
    assert.equal(result.kept, 'unknown-id');
    assert.equal(server.keyIsValid(old.key), true);
  });

  it('keeps the old key live when the person says so before the delete', async () => {
    const { old, client } = await signedIn();
    const { state, options } = holder(old.key);
    const steps: RotationStep[] = [];
    const result = await rotateKey(client, { newName: 'new', oldKeyId: old.id, ...options, mayDelete: async () => false, onStep: (s) => steps.push(s) });
    assert.deepEqual(steps, ['create', 'update', 'test']);
    assert.equal(result.kept, 'chosen');
    assert.equal(state.held, result.newKey.key);
    assert.equal(server.keyIsValid(old.key), true);
    assert.equal(server.keyIsValid(result.newKey.key), true);
  });

  it('revokes the new key again when a holder cannot be updated, and the old key keeps working', async () => {
    const { old, client } = await signedIn();
    let created: CreatedKey | undefined;
    const locked = new Error('the keyring is locked');
    await assert.rejects(
      rotateKey(client, {
        newName: 'new',
        oldKeyId: old.id,
        update: async (key) => {
          created = key;
          throw locked;
        },
        restore: async () => true,
      }),
      (e) => e === locked,
      "the holder's own error reaches the caller unchanged",
    );
    assert.ok(created);
    assert.equal(server.keyIsValid(created.key), false);
    assert.equal(server.keyIsValid(old.key), true);
  });

  it('puts the old key back in every holder and revokes the new one when the test fails', async () => {
    const { old, client } = await signedIn();
    const { state, options } = holder(old.key);
    let created: CreatedKey | undefined;
    server.faults.set({ path: '/auth/me', method: 'GET', status: 503, body: '{"error":"unavailable"}', contentType: 'application/json' });
    await rejectsWith(rotateKey(client, { newName: 'new', oldKeyId: old.id, ...options, update: async (key) => { created = key; await options.update(key); } }), 'server-error');
    assert.equal(state.held, old.key);
    assert.equal(state.restores, 1);
    assert.ok(created);
    assert.equal(server.keyIsValid(created.key), false);
    assert.equal(server.keyIsValid(old.key), true);
  });

  it('keeps the new key live when a holder could not be put back (it still uses it)', async () => {
    const { old, client } = await signedIn();
    let created: CreatedKey | undefined;
    server.faults.set({ path: '/auth/me', method: 'GET', status: 503, body: '{"error":"unavailable"}', contentType: 'application/json' });
    await rejectsWith(rotateKey(client, { newName: 'new', oldKeyId: old.id, update: async (key) => void (created = key), restore: async () => false }), 'server-error');
    assert.ok(created);
    assert.equal(server.keyIsValid(created.key), true);
  });

  it('a cancel before the delete undoes everything: the holders keep the old key, the new key is revoked', async () => {
    const { old, client } = await signedIn();
    const { state, options } = holder(old.key);
    const cancel = new AbortController();
    let created: CreatedKey | undefined;
    await rejectsWith(
      rotateKey(client, {
        newName: 'new',
        oldKeyId: old.id,
        ...options,
        update: async (key) => {
          created = key;
          await options.update(key);
        },
        mayDelete: async () => {
          cancel.abort();
          return true;
        },
        signal: cancel.signal,
      }),
      'cancelled',
    );
    assert.equal(state.held, old.key);
    assert.ok(created);
    assert.equal(server.keyIsValid(created.key), false);
    assert.equal(server.keyIsValid(old.key), true);
  });

  it('a cancel while the new key is being created revokes that key once the server made it', async () => {
    const { old, client } = await signedIn();
    const cancel = new AbortController();
    server.faults.set({ path: '/api-keys', method: 'POST', latencyMs: 200, times: 1 });
    const before = (await client.listKeys()).length;
    const sent = server.requests.length;
    const rotating = rotateKey(client, { newName: 'new', oldKeyId: old.id, ...holder(old.key).options, signal: cancel.signal });
    setTimeout(() => cancel.abort(), 50);
    await rejectsWith(rotating, 'cancelled');
    // The create was let finish (a real server may make the key even for an abandoned request),
    // and the key it made was revoked.
    const after = server.requests.slice(sent).map((r) => `${r.method} ${r.path.startsWith('/api-keys/') ? '/api-keys/:id' : r.path}`);
    assert.deepEqual(after.filter((r) => r !== 'GET /api-keys'), ['POST /api-keys', 'DELETE /api-keys/:id']);
    assert.equal((await client.listKeys()).length, before, 'no key is left live that nobody holds');
    assert.equal(server.keyIsValid(old.key), true);
  });

  it('stops before creating anything when the old key is invalid', async () => {
    const { old, client } = await signedIn();
    await client.deleteKey(old.id);
    let updated = false;
    await rejectsWith(rotateKey(client, { newName: 'new', oldKeyId: old.id, update: async () => void (updated = true), restore: async () => true }), 'invalid-api-key');
    assert.equal(updated, false);
  });
});
