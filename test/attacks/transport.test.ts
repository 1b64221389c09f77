import assert from 'node:assert/strict';
import { CoderFlowClient } from '../../src/core/http/client';
import { ProfileStore } from '../../src/profiles/store';
import { SignInService } from '../../src/services/signInService';
import { parseToPage } from '../../src/shared/webviewProtocol';
import { startServer, type ReferenceServer } from '../server';
import { observe } from '../support/attackTable';
import { MemoryMemento, MemorySecrets } from '../unit/profiles/memoryStorage';
import { hostileServer, rejection } from './support';

// Where a key may go: only to its server, over https unless the server is this machine, never
// across a redirect to another origin, only in the Authorization header; a key made for a
// sign-in that then failed does not stay live; the page never receives a whole key.

const KEY = `pc_${'e7'.repeat(32)}`;

describe('attack: a network or server that wants the key elsewhere', function () {
  this.timeout(30_000);

  for (const serverUrl of ['http://coderflow.example.com', 'http://192.0.2.10:8080/cf', 'http://[2001:db8::1]']) {
    it(`a key, password and sign-in code for plain ${serverUrl} → refused before anything is sent`, async () => {
      const client = new CoderFlowClient({ serverUrl, apiKey: KEY, timeoutMs: 2000 });
      const errors = [await rejection(client.me()), await rejection(client.cliLogin('alice', 'hunter2-secret', 'k')), await rejection(client.pollDevice('device-code'))];
      observe(errors.map((e) => `${e.kind}`).join(', ') + `: ${errors[0]?.message}`);
      assert.deepEqual(errors.map((e) => e.kind), ['bad-input', 'bad-input', 'bad-input']);
    });
  }

  it('a redirect to another origin (another port on the same host) → not followed, nothing sent there', async () => {
    const elsewhere = await hostileServer((_req, res) => res.end('{}'));
    const server = await hostileServer((_req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}/auth/me` });
      res.end();
    });
    try {
      const error = await rejection(new CoderFlowClient({ serverUrl: server.url, apiKey: KEY }).me());
      observe(`${error.kind}: ${error.message}`);
      assert.equal(error.kind, 'unexpected-response');
      assert.deepEqual(elsewhere.requests, [], 'the other origin got nothing');
    } finally {
      await server.close();
      await elsewhere.close();
    }
  });

  it('every request of a sign-in, key listing and revoke → the key only in the Authorization header, never in a URL', async () => {
    const server = await hostileServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":"invalid_api_key"}');
    });
    try {
      const client = new CoderFlowClient({ serverUrl: server.url, apiKey: KEY });
      await Promise.allSettled([client.me(), client.listKeys(), client.deleteKey('k1'), client.request('/api-keys?x=1')]);
      observe(`${server.requests.length} requests, key in a URL: ${server.requests.filter((r) => r.path.includes(KEY.slice(3))).length}`);
      assert.equal(server.requests.length, 4);
      assert.ok(server.requests.every((r) => !r.path.includes(KEY.slice(3)) && r.authorization === `Bearer ${KEY}`));
    } finally {
      await server.close();
    }
  });

  describe('with the reference server', () => {
    let server: ReferenceServer;
    before(async () => {
      server = await startServer({ sso: false });
    });
    after(() => server.stop());
    afterEach(() => server.faults.clear());

    it('a password sign-in whose new key cannot be confirmed (/auth/me fails) → the new key is revoked, not left live', async () => {
      server.faults.set({ path: '/auth/me', status: 500, body: 'down' });
      const store = new ProfileStore(new MemoryMemento(), new MemorySecrets(), new MemoryMemento());
      const makeClient = (serverUrl: string, apiKey?: string) => new CoderFlowClient({ serverUrl, ...(apiKey ? { apiKey } : {}) });
      const since = server.requests.length;
      await rejection(new SignInService(store, makeClient, () => undefined, 'attack').password({ serverUrl: server.url, profileName: 'p' }, 'alice', 'alice-password'));
      const revoked = server.requests.slice(since).filter((r) => r.method === 'DELETE');
      observe(`DELETE requests after the failed confirmation: ${revoked.length}`);
      assert.equal(revoked.length, 1);
      assert.equal(store.list().length, 0);
    });
  });

  it('a state message to the page with a whole key where the masked key goes → rejected by the page’s schema', () => {
    const profile = { id: 'p1', name: 'work', serverUrl: 'https://coderflow.example.com', method: 'password', source: 'extension', active: true };
    const masked = parseToPage({ type: 'state', profiles: [{ ...profile, maskedKey: 'pc_…e7e7' }] });
    const whole = parseToPage({ type: 'state', profiles: [{ ...profile, maskedKey: KEY }] });
    observe(`masked accepted: ${masked !== undefined}; whole key accepted: ${whole !== undefined}`);
    assert.ok(masked);
    assert.equal(whole, undefined);
  });
});
