import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { type ReferenceServer, startRecorder, startServer } from '../../server';
import { call, sleep } from './helpers';

const nginx502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

describe('reference server: fault switches', () => {
  let server: ReferenceServer;
  before(async () => {
    server = await startServer({ testControl: true });
  });
  afterEach(() => server.faults.clear());
  after(() => server.stop());

  it('adds latency before the normal answer', async () => {
    server.faults.set({ path: '/health', latencyMs: 300 });
    const started = Date.now();
    const answer = await call(`${server.url}/health`);
    assert.ok(Date.now() - started >= 290, `${Date.now() - started} ms`);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { status: 'ok' });
  });

  it('forces a status with an HTML body, as a reverse proxy sends it, for `times` requests only', async () => {
    const { key } = await server.issueKey('alice');
    server.faults.set({ path: '/auth/me', status: 502, body: nginx502, times: 2 });
    for (let i = 0; i < 2; i++) {
      const answer = await call(`${server.url}/auth/me`, { key });
      assert.equal(answer.status, 502);
      assert.equal(answer.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(answer.text, nginx502);
    }
    assert.equal((await call(`${server.url}/auth/me`, { key })).status, 200);
  });

  it('sends the given content type and headers, and an empty body when none is given', async () => {
    server.faults.set({ path: '/health', status: 503, body: '{"error":"maintenance"}', contentType: 'application/json', headers: { 'Retry-After': '7' } });
    const answer = await call(`${server.url}/health`);
    assert.equal(answer.status, 503);
    assert.equal(answer.headers.get('content-type'), 'application/json');
    assert.equal(answer.headers.get('retry-after'), '7');
    assert.deepEqual(answer.body, { error: 'maintenance' });
    server.faults.clear();
    server.faults.set({ path: '/health', status: 500 });
    assert.equal((await call(`${server.url}/health`)).text, '');
  });

  it('matches path and method exactly, and leaves other requests alone', async () => {
    server.faults.set({ path: '/api-keys', method: 'post', status: 500 });
    const { key } = await server.issueKey('alice');
    assert.equal((await call(`${server.url}/api-keys`, { key })).status, 200);
    assert.equal((await call(`${server.url}/api-keys`, { key, json: { name: 'x' } })).status, 500);
    assert.equal((await call(`${server.url}/health`)).status, 200);
  });

  it('applies a fault without a path to every path', async () => {
    server.faults.set({ status: 418, times: 2 });
    assert.equal((await call(`${server.url}/health`)).status, 418);
    assert.equal((await call(`${server.url}/auth/sso/config`)).status, 418);
    assert.equal((await call(`${server.url}/health`)).status, 200);
  });

  it('drops the connection without an answer', async () => {
    server.faults.set({ path: '/health', drop: true, times: 1 });
    await assert.rejects(fetch(`${server.url}/health`), (error: Error) => {
      assert.match(String((error.cause as Error | undefined)?.message ?? error.message), /socket|closed|terminated/i);
      return true;
    });
    assert.equal((await call(`${server.url}/health`)).status, 200);
  });

  it('redirects to another origin, which records what reaches it', async () => {
    const recorder = await startRecorder();
    try {
      server.faults.set({ path: '/auth/me', redirectTo: `${recorder.url}/landing?from=server` });
      const answer = await call(`${server.url}/auth/me`, { key: 'pc_x' });
      assert.equal(answer.status, 302);
      assert.equal(answer.headers.get('location'), `${recorder.url}/landing?from=server`);
      assert.equal(recorder.received.length, 0, 'nothing follows a manual redirect');

      await call(`${recorder.url}/landing?from=test`, { headers: { 'X-Probe': 'yes' } });
      assert.equal(recorder.received.length, 1);
      assert.equal(recorder.received[0].path, '/landing?from=test');
      assert.equal(recorder.received[0].headers['x-probe'], 'yes');
      assert.equal(recorder.received[0].headers.authorization, undefined);
    } finally {
      await recorder.stop();
    }
  });

  it('applies the switch set last when several match, and clear() removes them all', async () => {
    server.faults.set({ path: '/health', status: 500 });
    server.faults.set({ path: '/health', status: 502, times: 1 });
    assert.equal((await call(`${server.url}/health`)).status, 502);
    assert.equal((await call(`${server.url}/health`)).status, 500);
    server.faults.clear();
    assert.equal((await call(`${server.url}/health`)).status, 200);
  });

  it('refuses a switch that makes no sense', () => {
    assert.throws(() => server.faults.set({ status: 42 }));
    assert.throws(() => server.faults.set({ path: 'health' }));
    assert.throws(() => server.faults.set({ redirectTo: 'not a url' }));
    assert.throws(() => server.faults.set({ times: 0 }));
  });

  it('takes switches over HTTP at /__test/faults, which faults never touch', async () => {
    assert.equal((await call(`${server.url}/__test/faults`, { json: { drop: true } })).status, 204);
    await assert.rejects(fetch(`${server.url}/health`));
    assert.equal((await call(`${server.url}/__test/faults`, { json: { path: '/health', status: 502, body: nginx502 } })).status, 204);
    assert.equal((await call(`${server.url}/health`)).status, 502, 'the switch set last wins');
    assert.equal((await call(`${server.url}/__test/faults`, { method: 'DELETE' })).status, 204);
    assert.equal((await call(`${server.url}/health`)).status, 200);

    const invalid = await call(`${server.url}/__test/faults`, { json: { latencyMs: 'slow' } });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.error, 'invalid_request');
    assert.equal((await call(`${server.url}/__test/faults`, { json: { path: '/health', unknown: true } })).status, 400);
  });

  it('issues keys over HTTP at /__test/keys', async () => {
    const answer = await call(`${server.url}/__test/keys`, { json: { username: 'bob', name: 'from another process' } });
    assert.equal(answer.status, 201);
    assert.match(answer.body.key, /^pc_[0-9a-f]{64}$/);
    assert.equal((await call(`${server.url}/auth/me`, { key: answer.body.key })).body.username, 'bob');
    const listed = await call(`${server.url}/api-keys`, { key: answer.body.key });
    assert.ok(listed.body.keys.some((k: { id: string; name: string }) => k.id === answer.body.id && k.name === 'from another process'));
    assert.equal((await call(`${server.url}/__test/keys`, { json: { username: 'mallory' } })).status, 404);
  });

  it('keeps /__test/* requests out of the request log', async () => {
    const from = server.requests.length;
    await call(`${server.url}/__test/faults`, { method: 'DELETE' });
    await call(`${server.url}/health`);
    assert.deepEqual(server.requests.slice(from).map((r) => r.path), ['/health']);
  });
});

describe('reference server: stop()', () => {
  it('stops promptly while a request waits out a latency fault', async () => {
    const server = await startServer();
    server.faults.set({ latencyMs: 60_000 });
    const pending = fetch(`${server.url}/health`).then(() => 'answered', () => 'failed');
    await sleep(100);
    const started = Date.now();
    await server.stop();
    assert.ok(Date.now() - started < 1000, `stop took ${Date.now() - started} ms`);
    assert.equal(await pending, 'failed');
  });

  it('stops promptly with idle keep-alive connections open', async () => {
    const server = await startServer();
    const agent = new http.Agent({ keepAlive: true });
    try {
      await new Promise<void>((resolve, reject) => {
        http.get(`${server.url}/health`, { agent }, (res) => {
          res.resume();
          res.on('end', resolve);
        }).on('error', reject);
      });
      assert.equal(Object.values(agent.freeSockets).flat().length, 1, 'a keep-alive socket stays open');
      const started = Date.now();
      await server.stop();
      assert.ok(Date.now() - started < 1000, `stop took ${Date.now() - started} ms`);
    } finally {
      agent.destroy();
    }
  });

  it('refuses connections once stopped, and a second stop() is harmless', async () => {
    const server = await startServer();
    await server.stop();
    await server.stop();
    await assert.rejects(fetch(`${server.url}/health`));
  });
});
