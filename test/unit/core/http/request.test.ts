import assert from 'node:assert/strict';
import { CoderFlowClient } from '../../../../src/core/http/client';
import { AuthError } from '../../../../src/core/errors';
import { startServer, type ReferenceServer } from '../../../server';

describe('CoderFlowClient.request (the public API’s authenticated request)', () => {
  let server: ReferenceServer;
  let key: string;
  before(async () => {
    server = await startServer();
    key = (await server.issueKey('alice', 'request test')).key;
  });
  after(() => server.stop());
  afterEach(() => server.faults.clear());

  it('answers the JSON of any endpoint, with the key', async () => {
    const me = (await new CoderFlowClient({ serverUrl: server.url, apiKey: key }).request('/auth/me')) as { username: string };
    assert.equal(me.username, 'alice');
  });

  it('answers undefined for an empty success', async () => {
    const client = new CoderFlowClient({ serverUrl: server.url, apiKey: key });
    const created = await client.createKey('to delete');
    assert.equal(await client.request(`/api-keys/${created.id}`, { method: 'DELETE' }), undefined);
  });

  it('rejects with the same AuthError as the named calls', async () => {
    const client = new CoderFlowClient({ serverUrl: server.url, apiKey: 'pc_' + '0'.repeat(64) });
    await assert.rejects(client.request('/auth/me'), (e: unknown) => e instanceof AuthError && e.kind === 'invalid-api-key');
  });

  it('refuses a path that could leave the server', async () => {
    const client = new CoderFlowClient({ serverUrl: server.url, apiKey: key });
    for (const path of ['//evil.example/x', 'https://evil.example/', 'auth/me']) {
      await assert.rejects(client.request(path), (e: unknown) => e instanceof AuthError && e.kind === 'bad-input', path);
    }
  });

  it('reports an HTML answer with status 200 as not JSON', async () => {
    server.faults.set({ path: '/custom', status: 200, body: '<html><body>Proxy login</body></html>', contentType: 'text/html' });
    const client = new CoderFlowClient({ serverUrl: server.url, apiKey: key });
    await assert.rejects(client.request('/custom'), (e: unknown) => e instanceof AuthError && e.kind === 'unexpected-response');
  });
});
