import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { CoderFlowClient } from '../../../../src/core/http/client';
import { proxyAgentFromEnv } from '../../../support/proxyAgent';
import { certificatesIn, pinnableCertificate, tlsAgentOptions, trustApplied, type CertificatePins, type PinnedCertificate } from '../../../../src/core/http/tls';
import { PinnedCertificates, type PinQuestion } from '../../../../src/services/pinnedCertificates';
import { connectDirect, handshake } from '../../../../src/services/connectionCheck/connectionProbe';
import { startServer, type ReferenceServer } from '../../../server';
import { startCountingProxy, type CountingProxy } from '../../../support/countingProxy';
import { makePrivateCa, selfSignedFor, type PrivateCa } from '../../../support/privateCa';
import { MemoryMemento } from '../../profiles/memoryStorage';
import { rejectsWith } from '../support';

// Trust for a server's certificate: built-in authorities, the CA file, and a certificate the
// person confirmed and pinned for one server. Servers listen on 127.0.0.2 with certificates that
// name 127.0.0.2 only, issued by a private authority or self-signed, behind a path prefix.

const chainOf = (pem: string) => certificatesIn(pem);

/** The extension's pin store with an in-memory globalState, a direct handshake, and a person who answers `answer`. */
class Pins extends PinnedCertificates {
  readonly questions: PinQuestion[] = [];
  constructor(public answer: boolean) {
    super(
      new MemoryMemento(),
      async (url) => handshake(await connectDirect(url.hostname, Number(url.port), 5000), url.hostname, undefined, 5000),
      async (question) => {
        this.questions.push(question);
        return this.answer;
      },
    );
  }
  get asked(): string[] {
    return this.questions.map((q) => q.origin);
  }
}

describe('TLS trust: CA file, built-in authorities and pinned certificates', () => {
  let ca: PrivateCa;
  let dir: string;
  let caFile: string;
  before(async () => {
    ca = await makePrivateCa();
    dir = await mkdtemp(join(tmpdir(), 'coderflow-tls-trust-'));
    caFile = join(dir, 'ca.pem');
    await writeFile(caFile, ca.caPem);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  describe('tlsAgentOptions', () => {
    it('keeps Node\'s defaults without settings, and adds the CA file to the built-in authorities', async () => {
      assert.deepEqual(await tlsAgentOptions(undefined), {});
      const options = await tlsAgentOptions({ caFile });
      assert.deepEqual(options.ca, [...rootCertificates, ca.caPem]);
    });

    it('trusts a pinned certificate for its own server only, without the built-in authorities', async () => {
      const pinned = (await selfSignedFor(['IP:127.0.0.2'])).cert;
      const pin: PinnedCertificate = { origin: 'https://127.0.0.2:8443', fingerprint256: new X509Certificate(pinned).fingerprint256, pem: pinned, subject: 'x', pinnedAt: '' };
      const pins: CertificatePins = { get: (origin) => (origin === pin.origin ? pin : undefined), confirm: () => Promise.resolve(false) };
      assert.deepEqual((await tlsAgentOptions({ caFile, pins }, 'https://127.0.0.2:8443')).ca, [pinned, ca.caPem]);
      assert.deepEqual((await tlsAgentOptions({ pins }, 'https://127.0.0.2:9443')).ca, undefined, 'another port is another server');
      assert.equal((await tlsAgentOptions({ pins }, 'https://127.0.0.2:8443')).rejectUnauthorized, undefined, 'verification is never switched off');
    });
  });

  describe('pinnableCertificate', () => {
    it('is the server\'s own certificate when self-signed, the authority when the server sends it, none when it does not', async () => {
      const self = chainOf((await selfSignedFor(['DNS:coderflow.test'])).cert);
      assert.equal(pinnableCertificate(self)?.fingerprint256, self[0].fingerprint256);
      const withAuthority = chainOf((await ca.issue(['DNS:coderflow.test'], { sendAuthority: true })).cert);
      assert.equal(withAuthority.length, 2);
      assert.equal(pinnableCertificate(withAuthority)?.fingerprint256, new X509Certificate(ca.caPem).fingerprint256);
      assert.equal(pinnableCertificate(chainOf((await ca.issue(['DNS:coderflow.test'])).cert)), undefined);
    });
  });

  describe('trustApplied (what the connection diagnostic reports)', () => {
    it('names the pinned certificate, the CA file or none, in the order the client applies them', async () => {
      const chain = chainOf((await ca.issue(['IP:127.0.0.2'], { sendAuthority: true })).cert);
      assert.equal(trustApplied(chain, { caPem: ca.caPem }).source, 'caFile');
      const pinned: PinnedCertificate = { origin: 'https://127.0.0.2', fingerprint256: new X509Certificate(ca.caPem).fingerprint256, pem: ca.caPem, subject: '', pinnedAt: '' };
      assert.equal(trustApplied(chain, { caPem: ca.caPem, pinned }).source, 'pinned');
      assert.equal(trustApplied(chain, {}).source, 'none');
    });

    it('attack: an authority with the same name but another key vouches for nothing', async () => {
      const impostor = await makePrivateCa('CoderFlow Test Private CA');
      const chain = chainOf((await ca.issue(['IP:127.0.0.2'])).cert);
      assert.equal(trustApplied(chain, { caPem: impostor.caPem }).source, 'none');
      assert.equal(trustApplied(chain, { caPem: ca.caPem }).anchor?.fingerprint256, new X509Certificate(ca.caPem).fingerprint256);
    });
  });

  describe('the client with profoundCoder.tls.insecure (pins)', () => {
    let server: ReferenceServer;
    before(async () => {
      server = await startServer({ host: '127.0.0.2', prefix: '/cf', sso: false, tls: await selfSignedFor(['IP:127.0.0.2']) });
    });
    after(() => server.stop());

    it('asks once about a self-signed server, pins its certificate and signs in; the next client does not ask', async () => {
      const pins = new Pins(true);
      const { key } = await server.issueKey('alice');
      assert.equal((await new CoderFlowClient({ serverUrl: server.url, apiKey: key, tls: { pins } }).me()).username, 'alice');
      assert.deepEqual(pins.asked, [server.origin]);
      await new CoderFlowClient({ serverUrl: server.url, tls: { pins } }).health();
      assert.deepEqual(pins.asked, [server.origin], 'asked only once');
    });

    it('forgets a pinned certificate on request: the next request to that server asks again', async () => {
      const pins = new Pins(true);
      await new CoderFlowClient({ serverUrl: server.url, tls: { pins } }).health();
      assert.deepEqual(pins.list().map((pin) => pin.origin), [server.origin]);
      assert.deepEqual(await pins.forget([server.origin, 'https://elsewhere.example']), [server.origin], 'only what was pinned is reported');
      assert.deepEqual(pins.list(), []);
      pins.answer = false;
      await rejectsWith(new CoderFlowClient({ serverUrl: server.url, tls: { pins } }).health(), 'tls', /self-signed/);
      assert.deepEqual(pins.asked, [server.origin, server.origin], 'asked again');
    });

    it('attack: declined, the request fails as untrusted and is not retried', async () => {
      const pins = new Pins(false);
      const error = await rejectsWith(new CoderFlowClient({ serverUrl: server.url, tls: { pins } }).health(), 'tls', /self-signed/);
      assert.equal(error.detail, 'DEPTH_ZERO_SELF_SIGNED_CERT');
      assert.deepEqual(pins.asked, [server.origin]);
      assert.equal(pins.get(server.origin), undefined);
    });

    it('asks once however many requests are refused together', async () => {
      const pins = new Pins(true);
      const client = new CoderFlowClient({ serverUrl: server.url, tls: { pins } });
      await Promise.all([client.health(), client.ssoConfig(), new CoderFlowClient({ serverUrl: server.url, tls: { pins } }).health()]);
      assert.deepEqual(pins.asked, [server.origin]);
    });

    it('attack: a certificate for another name is not offered for pinning (the name is checked whatever is trusted)', async () => {
      const elsewhere = await startServer({ host: '127.0.0.2', prefix: '/cf', sso: false, tls: await selfSignedFor(['DNS:coderflow.example.com']) });
      try {
        const pins = new Pins(true);
        const error = await rejectsWith(new CoderFlowClient({ serverUrl: elsewhere.url, tls: { pins } }).health(), 'tls', /issued for a different host name/);
        assert.equal(error.detail, 'ERR_TLS_CERT_ALTNAME_INVALID');
        assert.deepEqual(pins.questions, [], 'not asked');
      } finally {
        await elsewhere.stop();
      }
    });

    it('attack: another certificate on the pinned server (an interceptor) is refused and asked about again', async () => {
      const pins = new Pins(true);
      await new CoderFlowClient({ serverUrl: server.url, tls: { pins } }).health();
      const port = Number(new URL(server.origin).port);
      const origin = server.origin;
      await server.stop();
      const interceptor = await startServer({ host: '127.0.0.2', port, prefix: '/cf', sso: false, tls: await selfSignedFor(['IP:127.0.0.2']) });
      try {
        pins.answer = false;
        const error = await rejectsWith(new CoderFlowClient({ serverUrl: interceptor.url, tls: { pins } }).health(), 'tls');
        assert.equal(error.detail, 'DEPTH_ZERO_SELF_SIGNED_CERT', 'the pinned certificate does not vouch for another one');
        assert.deepEqual(pins.asked, [origin, origin]);
        assert.equal(pins.questions[1].previous?.fingerprint256, pins.questions[0].fingerprint256, 'the question shows the certificate trusted before');
        assert.notEqual(pins.questions[1].fingerprint256, pins.questions[0].fingerprint256);
        assert.deepEqual(interceptor.requests, [], 'the interceptor received no request');
      } finally {
        await interceptor.stop();
        server = await startServer({ host: '127.0.0.2', prefix: '/cf', sso: false, tls: await selfSignedFor(['IP:127.0.0.2']) });
      }
    });

    it('pins the private authority a server sends along, and says the question is about an authority', async () => {
      const withAuthority = await startServer({ host: '127.0.0.2', prefix: '/cf', sso: false, tls: await ca.issue(['IP:127.0.0.2'], { sendAuthority: true }) });
      try {
        const pins = new Pins(true);
        await new CoderFlowClient({ serverUrl: withAuthority.url, tls: { pins } }).health();
        assert.equal(pins.questions.length, 1);
        assert.equal(pins.questions[0].isAuthority, true);
        assert.equal(pins.questions[0].fingerprint256, new X509Certificate(ca.caPem).fingerprint256);
        assert.equal(pins.get(withAuthority.origin)?.fingerprint256, new X509Certificate(ca.caPem).fingerprint256);
      } finally {
        await withAuthority.stop();
      }
    });

    it('pins nothing for a server whose authority is not sent: the CA file is the way', async () => {
      const leafOnly = await startServer({ host: '127.0.0.2', prefix: '/cf', sso: false, tls: await ca.issue(['IP:127.0.0.2']) });
      try {
        const pins = new Pins(true);
        const error = await rejectsWith(new CoderFlowClient({ serverUrl: leafOnly.url, tls: { pins } }).health(), 'tls', /authority that the server does not send along \(CN=CoderFlow Test Private CA\)/);
        assert.match(error.fix ?? '', /profoundCoder\.tls\.caFile/);
        assert.deepEqual(pins.questions, [], 'not asked');
        await new CoderFlowClient({ serverUrl: leafOnly.url, tls: { caFile } }).health();
      } finally {
        await leafOnly.stop();
      }
    });
  });

  describe('through a proxy in plain Node (HTTPS_PROXY)', () => {
    let server: ReferenceServer;
    let proxy: CountingProxy;
    before(async () => {
      [server, proxy] = await Promise.all([
        ca.issue(['IP:127.0.0.2']).then((tls) => startServer({ host: '127.0.0.2', prefix: '/cf', sso: false, tls })),
        startCountingProxy(),
      ]);
    });
    after(() => Promise.all([server.stop(), proxy.stop()]));

    it('checks the certificate of a server addressed by IP against that IP, not the proxy\'s address', async () => {
      const agent = await proxyAgentFromEnv({ caFile }, { HTTPS_PROXY: proxy.url });
      await new CoderFlowClient({ serverUrl: server.url, agent }).health();
      assert.deepEqual((await proxy.forwarded()).map((r) => `${r.method} ${r.target}`), [`CONNECT ${new URL(server.origin).host}`]);
    });
  });
});
