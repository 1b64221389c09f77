import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type ReferenceServer } from '../server';
import { Journey } from './support/journey';

describe('faults: a server with a self-signed certificate', () => {
  let server: ReferenceServer;
  let other: ReferenceServer;
  let plain: ReferenceServer;
  let dir: string;
  let caFile: string;
  let journey: Journey | undefined;
  before(async () => {
    [server, other, plain] = await Promise.all([startServer({ sso: false, tls: true }), startServer({ sso: false, tls: true }), startServer({ sso: false })]);
    dir = await mkdtemp(join(tmpdir(), 'coderflow-faults-tls-'));
    caFile = join(dir, 'ca.pem');
    await writeFile(caFile, server.caPem ?? '');
  });
  after(async () => {
    await Promise.all([server.stop(), other.stop(), plain.stop()]);
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await journey?.finish();
    journey = undefined;
  });

  it('is refused with a clear message whose fix names profoundCoder.tls.caFile, and nothing is stored', async () => {
    journey = await Journey.start(server, 'self-signed TLS');
    journey.injected('self-signed certificate, not trusted');
    await journey.fails(() => journey!.service.password({ serverUrl: server.url }, 'alice', 'alice-password'), {
      kind: 'tls',
      message: /certificate of 127\.0\.0\.1:\d+ is self-signed, so it is not trusted/,
      fix: /profoundCoder\.tls\.caFile/,
    });
  });

  it('is refused when the CA file holds another server\'s certificate', async () => {
    const wrong = join(dir, 'other.pem');
    await writeFile(wrong, other.caPem ?? '');
    journey = await Journey.start(server, 'self-signed TLS', { tls: { caFile: wrong } });
    journey.injected('self-signed certificate, wrong CA file');
    await journey.fails(() => journey!.service.password({ serverUrl: server.url }, 'alice', 'alice-password'), { kind: 'tls', fix: /profoundCoder\.tls\.caFile/ });
  });

  it('says so when an https:// URL points at a plain http server', async () => {
    journey = await Journey.start(plain, 'self-signed TLS');
    journey.injected('https to a plain http port');
    await journey.fails(() => journey!.service.password({ serverUrl: plain.url.replace('http:', 'https:') }, 'alice', 'alice-password'), {
      kind: 'tls',
      message: /did not answer with TLS \(https\)/,
      fix: /scheme and port/,
    });
  });

  it('signs in when profoundCoder.tls.caFile names the server\'s certificate', async () => {
    journey = await Journey.start(server, 'self-signed TLS', { tls: { caFile } });
    const profile = await journey.service.password({ serverUrl: server.url, profileName: 'Secure' }, 'alice', 'alice-password');
    const key = await journey.store.getKey(profile.id);
    assert.ok(key && server.keyIsValid(key));
    assert.equal(profile.serverUrl, server.url);
  });
});
