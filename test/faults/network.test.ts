import assert from 'node:assert/strict';
import { startServer, type ReferenceServer } from '../server';
import { Journey } from './support/journey';
import { issuedKeys } from './support/secrets';

const TIMEOUT_MS = 300;

async function probeError(journey: Journey, url = journey.server.url): Promise<void> {
  const probe = await journey.service.probe(url);
  assert.equal(probe.reachable, false);
  if (probe.error) throw probe.error;
}

describe('faults: a server that does not answer in time', () => {
  let server: ReferenceServer;
  let journey: Journey;
  before(async () => {
    server = await startServer({ pollIntervalSeconds: 1 });
  });
  after(() => server.stop());
  beforeEach(async () => {
    journey = await Journey.start(server, 'timeout', { timeoutMs: TIMEOUT_MS });
  });
  afterEach(() => journey.finish());

  it('gives up a password sign-in after the client timeout, says how long it waited, and stores nothing', async () => {
    journey.inject({ path: '/auth/cli-login', latencyMs: 5_000 }, 'cli-login hangs');
    const started = Date.now();
    await journey.fails(() => journey.service.password({ serverUrl: server.url, profileName: 'Work' }, 'alice', 'alice-password'), {
      kind: 'timeout',
      message: new RegExp(`did not answer within ${TIMEOUT_MS} ms`),
      fix: /network, VPN or proxy/,
    });
    assert.ok(Date.now() - started < 2_000, 'the wait ended at the timeout, not at the server');
  });

  it('gives up checking a pasted key when /auth/me hangs', async () => {
    const { key } = await server.issueKey('alice');
    journey.inject({ path: '/auth/me', latencyMs: 5_000 }, '/auth/me hangs');
    await journey.fails(() => journey.service.apiKey({ serverUrl: server.url }, key), { kind: 'timeout', secrets: [key] });
  });

  it('gives up starting SSO when the device endpoint hangs', async () => {
    journey.inject({ path: '/auth/sso/device', latencyMs: 5_000 }, 'SSO device start hangs');
    await journey.fails(() => journey.service.sso({ serverUrl: server.url }, () => assert.fail('no code was issued')), { kind: 'timeout' });
  });

  it('reports a hanging server as unreachable when probing it', async () => {
    journey.inject({ path: '/health', latencyMs: 5_000 }, '/health hangs');
    await journey.fails(() => probeError(journey), { kind: 'timeout', message: /did not answer/ });
  });
});

describe('faults: connections reset by the server or a middlebox', () => {
  let server: ReferenceServer;
  let journey: Journey;
  before(async () => {
    server = await startServer({ sso: false });
  });
  after(() => server.stop());
  beforeEach(async () => {
    journey = await Journey.start(server, 'connection reset');
  });
  afterEach(() => journey.finish());

  it('reports a reset during a password sign-in as a closed connection, with a way forward', async () => {
    journey.inject({ path: '/auth/cli-login', drop: true }, 'cli-login reset');
    await journey.fails(() => journey.service.password({ serverUrl: server.url }, 'alice', 'alice-password'), {
      kind: 'network',
      message: /connection to 127\.0\.0\.1:\d+ was closed before the server answered/,
      fix: /proxy or firewall/,
    });
  });

  it('reports a reset while checking a pasted key, without the key', async () => {
    const { key } = await server.issueKey('alice');
    journey.inject({ path: '/auth/me', drop: true }, '/auth/me reset');
    await journey.fails(() => journey.service.apiKey({ serverUrl: server.url }, key), { kind: 'network', secrets: [key] });
  });

  it('revokes the key the server just made when confirming it is cut off, so no key is left live', async () => {
    const before = new Set(issuedKeys());
    journey.inject({ path: '/auth/me', drop: true, times: 1 }, '/auth/me reset after the key was made');
    await journey.fails(() => journey.service.password({ serverUrl: server.url }, 'alice', 'alice-password'), { kind: 'network' });
    const made = issuedKeys().filter((key) => !before.has(key));
    assert.equal(made.length, 1, 'cli-login made one key');
    assert.equal(server.keyIsValid(made[0]), false, 'the unconfirmed key was revoked');
  });

  it('reports nothing listening as a refused connection when probing', async () => {
    const closed = await startServer({ sso: false });
    const url = closed.url;
    await closed.stop();
    journey.injected('server down');
    await journey.fails(() => probeError(journey, url), { kind: 'network', message: /connection refused/, fix: /CoderFlow server is running/ });
  });
});
