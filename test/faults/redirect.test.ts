import assert from 'node:assert/strict';
import { startRecorder, startServer, type Recorder, type ReferenceServer } from '../server';
import { Journey } from './support/journey';

describe('faults: a redirect to another origin', () => {
  let server: ReferenceServer;
  let recorder: Recorder;
  let journey: Journey;
  before(async () => {
    server = await startServer({ sso: false });
    recorder = await startRecorder();
  });
  after(async () => {
    await server.stop();
    await recorder.stop();
  });
  beforeEach(async () => {
    journey = await Journey.start(server, 'cross-origin redirect');
  });
  afterEach(async () => {
    await journey.finish();
    // Whatever the case, nothing carrying a key or a password ever reached the other origin.
    assert.deepEqual(recorder.received.filter((r) => r.headers.authorization !== undefined), []);
  });

  it('is not followed when checking a pasted key: the other origin never receives the key, and the fix names the new address', async () => {
    const { key } = await server.issueKey('alice');
    journey.inject({ path: '/auth/me', status: 302, redirectTo: `${recorder.url}/auth/me` }, '/auth/me 302 elsewhere');
    await journey.fails(() => journey.service.apiKey({ serverUrl: server.url }, key), {
      kind: 'unexpected-response',
      message: new RegExp(`redirected to ${recorder.url.replace(/\./g, '\\.')}\\. CoderFlow does not follow a redirect to another address`),
      fix: new RegExp(`set the server URL to ${recorder.url.replace(/\./g, '\\.')}`),
      secrets: [key],
    });
    assert.equal(recorder.received.length, 0);
  });

  it('is not followed for a password sign-in (307 keeps the body): the password never leaves', async () => {
    journey.inject({ path: '/auth/cli-login', status: 307, redirectTo: `${recorder.url}/auth/cli-login` }, 'cli-login 307 elsewhere');
    await journey.fails(() => journey.service.password({ serverUrl: server.url }, 'alice', 'alice-password'), { kind: 'unexpected-response', message: /redirected to/ });
    assert.equal(recorder.received.length, 0);
  });

  it('is not followed after the key was made: the new key stays home and is revoked', async () => {
    const since = server.requests.length;
    journey.inject({ path: '/auth/me', status: 301, redirectTo: `${recorder.url}/auth/me`, times: 1 }, '/auth/me 301 elsewhere after cli-login');
    await journey.fails(() => journey.service.password({ serverUrl: server.url }, 'alice', 'alice-password'), { kind: 'unexpected-response', message: /redirected to/ });
    assert.equal(recorder.received.length, 0);
    assert.ok(server.requests.slice(since).some((r) => r.method === 'DELETE' && r.authorization), 'the unconfirmed key was revoked');
  });

  it('is followed on the same server, with the key (control: the switch really redirects)', async () => {
    const { key } = await server.issueKey('alice');
    server.faults.set({ path: '/auth/me', status: 302, redirectTo: `${server.url}/auth/me?moved=1`, times: 1 });
    const profile = await journey.service.apiKey({ serverUrl: server.url, profileName: 'Moved' }, key);
    assert.equal(profile.username, 'alice');
    assert.equal(await journey.store.getKey(profile.id), key);
  });
});
