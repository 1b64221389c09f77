import assert from 'node:assert/strict';
import { CoderFlowClient } from '../../src/core/http/client';
import { startServer, type ReferenceServer } from '../server';
import { observe } from '../support/attackTable';
import { rejection } from './support';

// A request must stay on the server's origin and under its path prefix: the key goes only there.
// The reference server lives under /cf here and records every request it gets, inside the prefix
// or not.

describe('attack: requests made to leave the server URL’s path prefix', function () {
  this.timeout(30_000);
  let server: ReferenceServer;
  let key: string;
  let client: CoderFlowClient;
  before(async () => {
    server = await startServer({ sso: false, prefix: '/cf' });
    key = (await server.issueKey('alice', 'paths')).key;
    client = new CoderFlowClient({ serverUrl: server.url, apiKey: key });
  });
  after(() => server.stop());
  afterEach(() => server.faults.clear());

  const paths = [
    '/../health',
    '/%2e%2e/health',
    '/%2E%2e/health',
    '/.%2e/health',
    '/auth/../../health',
    '/./health',
    '/auth/%2e/me',
    '/..',
    '/api-keys%2f..%2f..%2fhealth',
    '/api-keys%5c..%5chealth',
    '/api-keys\\..\\..\\health',
    '//evil.example/x',
    'https://evil.example/x',
    'health',
    '/auth/me\u0000',
  ];
  for (const path of paths) {
    it(`request(${JSON.stringify(path)}) with server URL …/cf → refused as bad input, nothing sent`, async () => {
      const before = server.requests.length;
      const error = await rejection(client.request(path));
      observe(`${error.kind}: ${error.message}`);
      assert.equal(error.kind, 'bad-input');
      assert.equal(server.requests.length, before, 'no request reached the server');
    });
  }

  for (const id of ['..', '.', '../../health', '..\\health', 'a/b']) {
    it(`a key id of ${JSON.stringify(id)} from the server, revoked → refused as bad input, nothing sent`, async () => {
      const before = server.requests.length;
      const error = await rejection(client.deleteKey(id));
      observe(`${error.kind}: ${error.message}`);
      assert.equal(error.kind, 'bad-input');
      assert.equal(server.requests.length, before);
    });
  }

  it('a key id of "%2e%2e" (already encoded dots) → sent as one literal path segment under /cf/api-keys/', async () => {
    const before = server.requests.length;
    // No key has that literal id: the server answers 404, which deleting counts as gone already.
    assert.equal(await client.deleteKey('%2e%2e'), 'already-gone');
    const sent = server.requests.slice(before).map((r) => r.path);
    observe(`sent: DELETE ${sent.join(', ')}`);
    assert.deepEqual(sent, ['/api-keys/%252e%252e']);
  });

  it('a same-origin redirect to a path outside /cf → not followed, the key is not sent there', async () => {
    const origin = new URL(server.url).origin;
    server.faults.set({ path: '/auth/me', redirectTo: `${origin}/health` });
    const before = server.requests.length;
    const error = await rejection(client.me());
    const outside = server.requests.slice(before).filter((r) => !r.path.startsWith('/auth/'));
    observe(`${error.kind}: ${error.message}`);
    assert.equal(error.kind, 'unexpected-response');
    assert.deepEqual(outside, [], 'nothing was requested outside the prefix');
  });

  it('a path that stays under /cf → answered as usual, with the key', async () => {
    const me = (await client.request('/auth/me')) as { username: string };
    observe(`answered as ${me.username}`);
    assert.equal(me.username, 'alice');
  });
});
