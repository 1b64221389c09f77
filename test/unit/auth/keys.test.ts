import assert from 'node:assert/strict';
import { CoderFlowClient } from '../../../src/auth/client';
import { rotateKey, type RotationStep } from '../../../src/auth/keys';
import type { CreatedKey } from '../../../src/auth/protocol';
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

  it('creates, confirms, stores, then deletes the old key, in that order', async () => {
    const { old, client } = await signedIn();
    const steps: RotationStep[] = [];
    let stored: CreatedKey | undefined;
    const before = server.requests.length;
    const result = await rotateKey(client, {
      newName: 'VS Code on new-laptop',
      oldKeyId: old.id,
      store: async (key) => {
        assert.equal(server.keyIsValid(old.key), true, 'the old key still works while the new one is stored');
        stored = key;
      },
      onStep: (step) => steps.push(step),
    });
    assert.deepEqual(steps, ['create', 'verify', 'store', 'delete']);
    assert.deepEqual(server.requests.slice(before).map((r) => `${r.method} ${r.path.replace(old.id, ':old')}`), ['POST /api-keys', 'GET /auth/me', 'DELETE /api-keys/:old']);
    assert.equal(stored, result.newKey);
    assert.equal(result.newKey.name, 'VS Code on new-laptop');
    assert.equal(result.oldKeyDeleted, true);
    assert.equal(result.warning, undefined);
    assert.equal(server.keyIsValid(old.key), false);
    assert.equal(server.keyIsValid(result.newKey.key), true);
  });

  it('says the old key is still live when deleting it fails, and keeps the new key', async () => {
    const { old, client } = await signedIn();
    server.faults.set({ path: `/api-keys/${old.id}`, method: 'DELETE', status: 502, body: '<html><title>502 Bad Gateway</title></html>' });
    let stored: CreatedKey | undefined;
    const result = await rotateKey(client, { newName: 'new', oldKeyId: old.id, store: async (key) => void (stored = key) });
    assert.equal(result.oldKeyDeleted, false);
    assert.match(result.warning ?? '', /The new key is stored, but the old key could not be deleted and is still live: .*502.*Delete it in Manage API Keys/);
    assert.ok(!(result.warning ?? '').includes(old.key.slice(3, 20)));
    assert.equal(stored?.key, result.newKey.key);
    assert.equal(server.keyIsValid(result.newKey.key), true);
    assert.equal(server.keyIsValid(old.key), true);
  });

  it('counts an old key that is already gone as deleted', async () => {
    const { old } = await signedIn();
    const other = new CoderFlowClient({ serverUrl: server.url, apiKey: (await server.issueKey('alice')).key });
    await other.deleteKey(old.id);
    // The old key is gone, so the rotation must run with another valid key.
    const result = await rotateKey(other, { newName: 'new', oldKeyId: old.id, store: async () => undefined });
    assert.equal(result.oldKeyDeleted, true);
  });

  it('leaves the old key alone and says so when its id is not known', async () => {
    const { old, client } = await signedIn();
    const result = await rotateKey(client, { newName: 'new', store: async () => undefined });
    assert.equal(result.oldKeyDeleted, false);
    assert.match(result.warning ?? '', /old key was not deleted/);
    assert.equal(server.keyIsValid(old.key), true);
  });

  it('revokes the new key again when it cannot be stored, and the old key keeps working', async () => {
    const { old, client } = await signedIn();
    let created: CreatedKey | undefined;
    const locked = new Error('the keyring is locked');
    await assert.rejects(
      rotateKey(client, {
        newName: 'new',
        oldKeyId: old.id,
        store: async (key) => {
          created = key;
          throw locked;
        },
      }),
      (e) => e === locked,
      "the store's own error reaches the caller unchanged",
    );
    assert.ok(created);
    assert.equal(server.keyIsValid(created.key), false);
    assert.equal(server.keyIsValid(old.key), true);
  });

  it('stops before creating anything when the old key is invalid', async () => {
    const { old, client } = await signedIn();
    await client.deleteKey(old.id);
    let storeCalled = false;
    await rejectsWith(rotateKey(client, { newName: 'new', oldKeyId: old.id, store: async () => void (storeCalled = true) }), 'invalid-api-key');
    assert.equal(storeCalled, false);
  });
});
