import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoderFlowClient } from '../../../../src/core/http/client';
import { MAX_BODY_BYTES } from '../../../../src/core/http/fetchWithTimeout';
import { startRecorder, startServer, type Recorder, type ReferenceServer } from '../../../server';
import { makeCertificate, rejectsWith, startTlsServer } from '../support';

const nginx502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n';

describe('CoderFlowClient against the reference server', () => {
  let server: ReferenceServer;
  let key: string;
  let client: CoderFlowClient;

  before(async () => {
    server = await startServer({ sso: false });
    key = (await server.issueKey('alice')).key;
  });
  after(() => server.stop());
  beforeEach(() => {
    server.faults.clear();
    client = new CoderFlowClient({ serverUrl: server.url, apiKey: key });
  });

  describe('requests that succeed', () => {
    it('checks health without sending a key', async () => {
      const before = server.requests.length;
      await new CoderFlowClient({ serverUrl: server.url }).health();
      assert.deepEqual(server.requests.slice(before).map((r) => [r.path, r.authorization]), [['/health', false]]);
    });

    it('asks who the key belongs to', async () => {
      const user = await client.me();
      assert.equal(user.username, 'alice');
      assert.deepEqual(user.roles, ['developer']);
    });

    it('reaches a server under a path prefix, given with a trailing slash', async () => {
      const prefixed = await startServer({ sso: false, prefix: '/coderflow' });
      try {
        const { key: prefixedKey } = await prefixed.issueKey('alice');
        const c = new CoderFlowClient({ serverUrl: `${prefixed.url}/`, apiKey: prefixedKey });
        assert.equal(c.serverUrl, prefixed.url);
        assert.equal((await c.me()).username, 'alice');
        assert.deepEqual(prefixed.requests.map((r) => r.path), ['/auth/me']);
      } finally {
        await prefixed.stop();
      }
    });

    it('lists, creates and deletes keys', async () => {
      const created = await client.createKey('Script name');
      assert.match(created.key, /^pc_/);
      assert.equal(created.name, 'Script name');
      const listed = await client.listKeys();
      const entry = listed.find((k) => k.id === created.id);
      assert.ok(entry);
      assert.equal('key' in entry, false, 'a listed key never carries its secret');
      assert.equal(await client.deleteKey(created.id), 'deleted');
      assert.equal(server.keyIsValid(created.key), false);
      assert.ok(!(await client.listKeys()).some((k) => k.id === created.id));
      // Deleting it again: the server answers 404, and gone is what deleting wanted.
      assert.equal(await client.deleteKey(created.id), 'already-gone');
    });

    it('ignores fields it does not know', async () => {
      server.faults.set({ path: '/auth/me', status: 200, contentType: 'application/json', body: JSON.stringify({ id: 'u', username: 'alice', roles: [], theme: 'dark' }), times: 1 });
      assert.deepEqual(await client.me(), { id: 'u', username: 'alice', roles: [] });
    });

    it('follows a redirect within the same origin, with the key', async () => {
      server.faults.set({ path: '/auth/me', redirectTo: `${server.url}/auth/me`, times: 1 });
      const before = server.requests.length;
      assert.equal((await client.me()).username, 'alice');
      assert.deepEqual(server.requests.slice(before).map((r) => [r.path, r.authorization]), [['/auth/me', true], ['/auth/me', true]]);
    });

    it('keeps the method and body through a 307 redirect', async () => {
      server.faults.set({ path: '/auth/cli-login', status: 307, redirectTo: `${server.url}/auth/cli-login`, times: 1 });
      const login = await client.cliLogin('alice', 'alice-password', 'VS Code on test');
      assert.equal(login.name, 'VS Code on test');
    });

    it('waits out a short Retry-After once and tries again', async () => {
      server.faults.set({ path: '/auth/me', status: 429, headers: { 'Retry-After': '1' }, times: 1 });
      const started = Date.now();
      assert.equal((await client.me()).username, 'alice');
      assert.ok(Date.now() - started >= 950, 'it waited the second the server asked for');
    });
  });

  describe('errors a person can act on', () => {
    it('invalid-api-key: a deleted key, in the docs\' words', async () => {
      const { key: doomed, id } = await server.issueKey('alice');
      await client.deleteKey(id);
      const error = await rejectsWith(client.withApiKey(doomed).me(), 'invalid-api-key', /deleted, mistyped, or belongs to a deleted user/);
      assert.equal(error.status, 401);
      assert.equal(error.field, 'apiKey');
    });

    it('forbidden: a valid key whose user lacks the permission', async () => {
      const { key: carol } = await server.issueKey('carol');
      const error = await rejectsWith(client.withApiKey(carol).listKeys(), 'forbidden');
      assert.match(error.fix ?? '', /Ask an administrator to review your teams and access bindings/);
    });

    it('server-error: a proxy\'s HTML page becomes its status and a short excerpt', async () => {
      server.faults.set({ path: '/auth/me', status: 502, body: nginx502 });
      const error = await rejectsWith(client.me(), 'server-error', /\(502 Bad Gateway\)/);
      assert.equal(error.status, 502);
      assert.match(error.detail ?? '', /^502 Bad Gateway.*nginx\/1\.25\.3$/);
      assert.ok(!(error.detail ?? '').includes('<'), 'no markup in the excerpt');
    });

    it('server-error: a JSON error message from the server is passed on', async () => {
      server.faults.set({ path: '/auth/me', status: 503, contentType: 'application/json', body: '{"error":"maintenance","message":"Back at 10:00."}' });
      await rejectsWith(client.me(), 'server-error', /\(503 Service Unavailable\): Back at 10:00\./);
    });

    it('unexpected-response: a web page where JSON was expected', async () => {
      server.faults.set({ path: '/auth/me', status: 200, body: '<!DOCTYPE html><html><head><title>Sign in - Corporate SSO</title></head><body>Please sign in</body></html>' });
      const error = await rejectsWith(client.me(), 'unexpected-response', /sent a web page instead of CoderFlow data/);
      assert.equal(error.field, 'serverUrl');
      assert.match(error.detail ?? '', /Sign in - Corporate SSO/);
    });

    it('unexpected-response: a missing field is named', async () => {
      server.faults.set({ path: '/auth/me', status: 200, contentType: 'application/json', body: '{"id":"u","roles":[]}' });
      await rejectsWith(client.me(), 'unexpected-response', /username is missing/);
      server.faults.set({ path: '/api-keys', status: 200, contentType: 'application/json', body: '{"keys":[{"id":"k","name":"n","createdAt":"x","lastUsedAt":7}]}' });
      await rejectsWith(client.listKeys(), 'unexpected-response', /keys\.0\.lastUsedAt should be a string/);
    });

    it('unexpected-response: a wrong path prefix is a 404 that says so', async () => {
      const wrong = new CoderFlowClient({ serverUrl: `${server.url}/coderflow`, apiKey: key });
      const error = await rejectsWith(wrong.me(), 'unexpected-response', /nothing at \/coderflow\/auth\/me \(404\).*path prefix/);
      assert.equal(error.field, 'serverUrl');
    });

    it('unexpected-response: a body over 1 MiB is refused', async () => {
      server.faults.set({ path: '/auth/me', status: 200, contentType: 'application/json', body: `{"pad":"${'x'.repeat(MAX_BODY_BYTES)}"}` });
      await rejectsWith(client.me(), 'unexpected-response', /larger than 1 MiB/);
    });

    it('rate-limited: a long Retry-After is reported with when to try again', async () => {
      server.faults.set({ path: '/auth/me', status: 429, headers: { 'Retry-After': '120' } });
      const before = server.requests.length;
      const error = await rejectsWith(client.me(), 'rate-limited', /wait 120 seconds/);
      assert.equal(error.retryAfterSeconds, 120);
      assert.equal(server.requests.length - before, 1, 'no retry when the wait is long');
    });

    it('rate-limited: a second 429 after the one retry is reported', async () => {
      server.faults.set({ path: '/auth/me', status: 429, headers: { 'Retry-After': '0' } });
      const before = server.requests.length;
      await rejectsWith(client.me(), 'rate-limited');
      assert.equal(server.requests.length - before, 2);
    });

    it('timeout: a server slower than the timeout', async () => {
      server.faults.set({ path: '/auth/me', latencyMs: 3000 });
      const slow = new CoderFlowClient({ serverUrl: server.url, apiKey: key, timeoutMs: 200 });
      const started = Date.now();
      await rejectsWith(slow.me(), 'timeout', /did not answer within 200 ms/);
      assert.ok(Date.now() - started < 2000);
    });

    it('cancelled: an abort ends the request at once', async () => {
      server.faults.set({ path: '/auth/me', latencyMs: 3000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = Date.now();
      await rejectsWith(client.me(controller.signal), 'cancelled');
      assert.ok(Date.now() - started < 1000);
    });

    it('cancelled: an already aborted signal sends nothing', async () => {
      const before = server.requests.length;
      await rejectsWith(client.me(AbortSignal.abort()), 'cancelled');
      assert.equal(server.requests.length, before);
    });

    it('network: a connection reset', async () => {
      server.faults.set({ path: '/auth/me', drop: true });
      await rejectsWith(client.me(), 'network', /closed before the server answered/);
    });

    it('network: nothing listening (connection refused)', async () => {
      const gone = await startServer({ sso: false });
      const url = gone.url;
      await gone.stop();
      const error = await rejectsWith(new CoderFlowClient({ serverUrl: url }).health(), 'network', /connection refused/);
      assert.equal(error.detail, 'ECONNREFUSED');
      assert.match(error.fix ?? '', /Check the server URL/);
    });

    it('network: a host name that does not exist', async () => {
      const error = await rejectsWith(new CoderFlowClient({ serverUrl: 'https://coderflow.invalid' }).health(), 'network', /coderflow\.invalid/);
      assert.ok(['ENOTFOUND', 'EAI_AGAIN'].includes(error.detail ?? ''), String(error.detail));
    });

    it('bad-input: a key, a password or a sign-in code never travels over plain http to another computer', async () => {
      const remote = new CoderFlowClient({ serverUrl: 'http://coderflow.example.com', apiKey: key });
      const error = await rejectsWith(remote.me(), 'bad-input', /will not send your API key over plain http to coderflow\.example\.com/);
      assert.equal(error.field, 'serverUrl');
      const anonymous = new CoderFlowClient({ serverUrl: 'http://coderflow.example.com' });
      await rejectsWith(anonymous.cliLogin('alice', 'pw', 'n'), 'bad-input', /your password/);
      await rejectsWith(anonymous.startDevice('n'), 'bad-input', /a sign-in code/);
      await rejectsWith(anonymous.pollDevice('code'), 'bad-input', /a sign-in code/);
    });

    it('bad-input: a key request without a key', async () => {
      const error = await rejectsWith(new CoderFlowClient({ serverUrl: server.url }).me(), 'bad-input', /No API key/);
      assert.equal(error.field, 'apiKey');
    });

    it('never echoes the key, even when a server puts it in its answer', async () => {
      server.faults.set({ path: '/auth/me', status: 500, contentType: 'text/plain', body: `upstream rejected Authorization: Bearer ${key}` });
      const error = await rejectsWith(client.me(), 'server-error');
      assert.ok(!(error.detail ?? '').includes(key.slice(3, 20)));
    });
  });

  describe('redirects to another origin', () => {
    let recorder: Recorder;
    before(async () => {
      recorder = await startRecorder();
    });
    after(() => recorder.stop());

    it('are refused, and the other origin never receives the key', async () => {
      server.faults.set({ path: '/auth/me', redirectTo: `${recorder.url}/auth/me` });
      const error = await rejectsWith(client.me(), 'unexpected-response', /redirected to http:\/\/127\.0\.0\.1:\d+/);
      assert.match(error.fix ?? '', new RegExp(`set the server URL to ${recorder.url.replace(/\./g, '\\.')}\\.$`));
      assert.deepEqual(recorder.received, []);
    });

    it('are refused for a public request too', async () => {
      server.faults.set({ path: '/health', status: 301, redirectTo: `${recorder.url}/health` });
      await rejectsWith(new CoderFlowClient({ serverUrl: server.url }).health(), 'unexpected-response', /does not follow a redirect to another address/);
      assert.deepEqual(recorder.received, []);
    });
  });
});

describe('CoderFlowClient and TLS', () => {
  let server: ReferenceServer;
  let dir: string;
  before(async () => {
    server = await startServer({ sso: false, tls: true });
    dir = await mkdtemp(join(tmpdir(), 'coderflow-tls-'));
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('tls: a self-signed certificate is not trusted, and the fix names profoundCoder.tls.caFile', async () => {
    const error = await rejectsWith(new CoderFlowClient({ serverUrl: server.url }).health(), 'tls', /self-signed/);
    assert.equal(error.detail, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.match(error.fix ?? '', /profoundCoder\.tls\.caFile/);
  });

  it('trusts the certificate given as PEM text', async () => {
    await new CoderFlowClient({ serverUrl: server.url, tls: { ca: server.caPem } }).health();
  });

  it('trusts the certificate given as a file, while still trusting the public authorities', async () => {
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, server.caPem ?? '');
    const { key } = await server.issueKey('alice');
    assert.equal((await new CoderFlowClient({ serverUrl: server.url, apiKey: key, tls: { caFile } }).me()).username, 'alice');
  });

  it('tls: a CA file that cannot be read, or that holds no certificate', async () => {
    await rejectsWith(new CoderFlowClient({ serverUrl: server.url, tls: { caFile: join(dir, 'missing.pem') } }).health(), 'tls', /could not be read \(ENOENT\)/);
    const notPem = join(dir, 'not.pem');
    await writeFile(notPem, 'hello');
    await rejectsWith(new CoderFlowClient({ serverUrl: server.url, tls: { caFile: notPem } }).health(), 'tls', /holds no PEM certificate/);
  });

  it('tls: an expired certificate says so, even when its authority is trusted', async () => {
    const expired = await makeCertificate({ altNames: 'IP:127.0.0.1', notBefore: '20200101000000Z', notAfter: '20200201000000Z' });
    const tlsServer = await startTlsServer(expired);
    try {
      const error = await rejectsWith(new CoderFlowClient({ serverUrl: tlsServer.url, tls: { ca: expired.cert } }).health(), 'tls', /has expired/);
      assert.equal(error.detail, 'CERT_HAS_EXPIRED');
      assert.match(error.fix ?? '', /renew/);
    } finally {
      await tlsServer.stop();
    }
  });

  it('tls: a certificate for another host name says so', async () => {
    const other = await makeCertificate({ altNames: 'DNS:coderflow.example.com', notBefore: '20240101000000Z', notAfter: '20991231000000Z' });
    const tlsServer = await startTlsServer(other);
    try {
      const error = await rejectsWith(new CoderFlowClient({ serverUrl: tlsServer.url, tls: { ca: other.cert } }).health(), 'tls', /issued for a different host name/);
      assert.equal(error.detail, 'ERR_TLS_CERT_ALTNAME_INVALID');
    } finally {
      await tlsServer.stop();
    }
  });
});
