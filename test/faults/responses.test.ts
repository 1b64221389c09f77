import assert from 'node:assert/strict';
import { startServer, type ReferenceServer } from '../server';
import { Journey } from './support/journey';

const nginx502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n';

function countOf(server: ReferenceServer, path: string, since: number): number {
  return server.requests.slice(since).filter((r) => r.path === path).length;
}

describe('faults: what the server answers', () => {
  let server: ReferenceServer;
  let journey: Journey;
  before(async () => {
    server = await startServer({ sso: false });
  });
  after(() => server.stop());
  afterEach(() => journey.finish());

  describe('5xx with a reverse proxy\'s HTML page', () => {
    beforeEach(async () => {
      journey = await Journey.start(server, '5xx HTML page');
    });

    it('shows the status and a short excerpt of the page, without markup', async () => {
      journey.inject({ path: '/auth/cli-login', status: 502, body: nginx502 }, 'cli-login 502 nginx page');
      const error = await journey.fails(() => journey.service.password({ serverUrl: server.url }, 'alice', 'alice-password'), {
        kind: 'server-error',
        message: /\(502 Bad Gateway\) and answered: "502 Bad Gateway nginx\/1\.25\.3"\.$/,
        fix: /Try again later/,
      });
      assert.equal(error.status, 502);
    });

    it('never repeats the key when a proxy page echoes the request headers', async () => {
      const { key } = await server.issueKey('alice');
      const page = `<html><head><title>500 Internal Server Error</title></head><body><h1>Upstream failed</h1><pre>GET /auth/me\nAuthorization: Bearer ${key}\n</pre></body></html>`;
      journey.inject({ path: '/auth/me', status: 500, body: page }, '/auth/me 500 page echoing the key');
      await journey.fails(() => journey.service.apiKey({ serverUrl: server.url }, key), {
        kind: 'server-error',
        message: /\(500 Internal Server Error\) and answered: ".*Upstream failed/,
        secrets: [key],
      });
    });

    it('passes on a JSON error message of a 503 during a probe', async () => {
      journey.inject({ path: '/health', status: 503, contentType: 'application/json', body: '{"error":"maintenance","message":"Back at 10:00."}' }, '/health 503 JSON');
      await journey.fails(
        async () => {
          const probe = await journey.service.probe(server.url);
          if (probe.error) throw probe.error;
        },
        { kind: 'server-error', message: /\(503 Service Unavailable\): Back at 10:00\./ },
      );
    });
  });

  describe('429 with Retry-After', () => {
    beforeEach(async () => {
      journey = await Journey.start(server, '429 Retry-After');
    });

    it('waits out a short Retry-After once, then signs in: two requests, not more', async () => {
      const since = server.requests.length;
      journey.inject({ path: '/auth/cli-login', status: 429, headers: { 'Retry-After': '1' }, times: 1 }, 'cli-login 429 once');
      const started = Date.now();
      const profile = await journey.service.password({ serverUrl: server.url, profileName: 'Work' }, 'alice', 'alice-password');
      assert.ok(Date.now() - started >= 950, 'the client waited the second the server asked for');
      assert.equal(countOf(server, '/auth/cli-login', since), 2);
      assert.equal(profile.name, 'Work');
      assert.equal(journey.store.list().length, 2, 'the existing profile is still there');
    });

    it('retries once only when the server keeps answering 429, then says how long to wait', async () => {
      const since = server.requests.length;
      journey.inject({ path: '/auth/cli-login', status: 429, headers: { 'Retry-After': '1' } }, 'cli-login 429 always');
      await journey.fails(() => journey.service.password({ serverUrl: server.url }, 'alice', 'alice-password'), {
        kind: 'rate-limited',
        message: /asks to wait 1 seconds/,
        fix: /Try again in 1 seconds/,
      });
      assert.equal(countOf(server, '/auth/cli-login', since), 2, 'one request and one retry');
    });

    it('does not wait out a long Retry-After, and does not ask again', async () => {
      const since = server.requests.length;
      journey.inject({ path: '/auth/me', status: 429, headers: { 'Retry-After': '120' } }, '/auth/me 429 Retry-After 120');
      const { key } = await server.issueKey('alice');
      const started = Date.now();
      await journey.fails(() => journey.service.apiKey({ serverUrl: server.url }, key), { kind: 'rate-limited', fix: /Try again in 120 seconds/ });
      assert.ok(Date.now() - started < 1_000);
      assert.equal(countOf(server, '/auth/me', since), 1);
    });

    it('does not retry a 429 without Retry-After', async () => {
      const since = server.requests.length;
      journey.inject({ path: '/auth/cli-login', status: 429 }, 'cli-login 429 without Retry-After');
      await journey.fails(() => journey.service.password({ serverUrl: server.url }, 'alice', 'alice-password'), {
        kind: 'rate-limited',
        message: /too many requests/,
        fix: /Wait a moment/,
      });
      assert.equal(countOf(server, '/auth/cli-login', since), 1);
    });
  });

  describe('bodies that are not what CoderFlow sends', () => {
    it('200 with a sign-in web page instead of JSON: says a proxy or sign-in page may be in the way', async () => {
      journey = await Journey.start(server, '200 not JSON');
      const { key } = await server.issueKey('alice');
      journey.inject(
        { path: '/auth/me', status: 200, body: '<!DOCTYPE html><html><head><title>Corporate proxy</title></head><body><form>Sign in</form></body></html>' },
        '/auth/me 200 HTML',
      );
      await journey.fails(() => journey.service.apiKey({ serverUrl: server.url }, key), {
        kind: 'unexpected-response',
        message: /sent a web page instead of CoderFlow data/,
        fix: /path prefix/,
        secrets: [key],
      });
    });

    it('200 with plain text instead of JSON', async () => {
      journey = await Journey.start(server, '200 not JSON');
      journey.inject({ path: '/auth/cli-login', status: 200, contentType: 'text/plain', body: 'OK' }, 'cli-login 200 text');
      await journey.fails(() => journey.service.password({ serverUrl: server.url }, 'alice', 'alice-password'), {
        kind: 'unexpected-response',
        message: /sent something that is not JSON/,
      });
    });

    it('an answer over 1 MiB is refused, not read into memory', async () => {
      journey = await Journey.start(server, 'oversized body');
      const { key } = await server.issueKey('alice');
      const huge = JSON.stringify({ id: 'u1', username: 'alice', roles: [], padding: 'x'.repeat(1024 * 1024 + 10) });
      journey.inject({ path: '/auth/me', status: 200, contentType: 'application/json', body: huge }, '/auth/me 200 over 1 MiB');
      await journey.fails(() => journey.service.apiKey({ serverUrl: server.url }, key), { kind: 'unexpected-response', message: /larger than 1 MiB/ });
    });

    it('truncated JSON holding the start of a key is refused, and the fragment is not repeated', async () => {
      journey = await Journey.start(server, 'truncated JSON');
      journey.inject({ path: '/auth/cli-login', status: 200, contentType: 'application/json', body: '{"key":"pc_3f9a1c22d0b7e6aa41c8","id":"k1","na' }, 'cli-login truncated JSON');
      const error = await journey.fails(() => journey.service.password({ serverUrl: server.url }, 'alice', 'alice-password'), {
        kind: 'unexpected-response',
        message: /not JSON/,
        secrets: ['pc_3f9a1c22d0b7e6aa41c8'],
      });
      assert.ok(!(error.detail ?? '').includes('pc_3f9a1c22d0b7e6aa41c8'), 'the excerpt masks the key fragment');
    });

    it('JSON of the wrong shape names the field that is wrong', async () => {
      journey = await Journey.start(server, '200 wrong shape');
      journey.inject({ path: '/auth/cli-login', status: 200, contentType: 'application/json', body: '{"key":42}' }, 'cli-login wrong shape');
      await journey.fails(() => journey.service.password({ serverUrl: server.url }, 'alice', 'alice-password'), {
        kind: 'unexpected-response',
        message: /key should be a string/,
      });
    });
  });
});
