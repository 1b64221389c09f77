import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { CoderFlowClient } from '../../../../src/core/http/client';
import type { CertificatePins, TlsOptions } from '../../../../src/core/http/tls';
import { MESSAGES } from '../../../../src/core/errors';
import { proxyAgentFromEnv } from '../../../support/proxyAgent';
import { runConnectionDiagnostic } from '../../../../src/services/connectionCheck/connectionDiagnostic';
import { diagnosticReportText } from '../../../../src/services/connectionCheck/diagnosticReport';
import type { ConnectionDiagnostic, StepId } from '../../../../src/services/connectionCheck/diagnosticStep';
import { chooseProxy } from '../../../../src/services/connectionCheck/proxyChoice';
import { diagnosticView } from '../../../../src/services/connectionCheck/diagnosticView';
import { parseResult } from '../../../../src/shared/webviewProtocol';
import { Redactor } from '../../../../src/core/redact';
import { startServer, type ReferenceServer } from '../../../server';
import { datedCertificate } from '../../../server/tls';
import { startCountingProxy, type CountingProxy } from '../../../support/countingProxy';

// The diagnostic against the reference server in TLS mode, with a trusted, an untrusted, an
// expired and a wrong-host certificate, directly and through a real proxy.

const DAY = 86_400_000;

describe('connection diagnostic (plain Node, reference server over TLS)', function () {
  this.timeout(60_000);
  let trusted: ReferenceServer;
  let expired: ReferenceServer;
  let wrongHost: ReferenceServer;
  let plain: ReferenceServer;
  let proxy: CountingProxy;
  let dir: string;
  const caFiles: Record<'trusted' | 'expired' | 'wrongHost', string> = { trusted: '', expired: '', wrongHost: '' };

  before(async () => {
    const [expiredCertificate, otherHostCertificate] = await Promise.all([
      datedCertificate({ names: ['IP:127.0.0.2', 'DNS:localhost'], notBefore: new Date(Date.now() - 30 * DAY), notAfter: new Date(Date.now() - DAY), commonName: 'CoderFlow expired' }),
      datedCertificate({ names: ['DNS:coderflow.example.com'], notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 7 * DAY), commonName: 'coderflow.example.com' }),
    ]);
    [trusted, expired, wrongHost, plain, proxy] = await Promise.all([
      startServer({ host: '127.0.0.2', tls: true }),
      startServer({ host: '127.0.0.2', tls: expiredCertificate, sso: false }),
      startServer({ host: '127.0.0.2', tls: otherHostCertificate, sso: false }),
      startServer({ host: '127.0.0.1', sso: false }),
      startCountingProxy(),
    ]);
    dir = await mkdtemp(join(tmpdir(), 'coderflow-diagnostic-'));
    for (const [name, server] of [['trusted', trusted], ['expired', expired], ['wrongHost', wrongHost]] as const) {
      caFiles[name] = join(dir, `${name}.pem`);
      await writeFile(caFiles[name], server.caPem ?? '');
    }
  });

  after(async () => {
    await Promise.all([trusted?.stop(), expired?.stop(), wrongHost?.stop(), plain?.stop(), proxy?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function diagnose(server: ReferenceServer, options: { tls?: TlsOptions; apiKey?: string; viaProxy?: boolean; noKeyReason?: string } = {}): Promise<ConnectionDiagnostic> {
    const tls = options.tls ?? {};
    const env = options.viaProxy ? { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url } : {};
    const agent = options.viaProxy ? await proxyAgentFromEnv(tls, env) : undefined;
    const client = new CoderFlowClient({ serverUrl: server.url, tls, ...(options.apiKey ? { apiKey: options.apiKey } : {}), ...(agent ? { agent } : {}) });
    return runConnectionDiagnostic({
      serverUrl: server.url,
      client,
      tls,
      proxy: chooseProxy(new URL(server.url), { env }),
      ...(options.noKeyReason ? { noKeyReason: options.noKeyReason } : {}),
    });
  }

  const step = (diagnostic: ConnectionDiagnostic, id: StepId) => {
    const found = diagnostic.steps.find((s) => s.id === id);
    assert.ok(found, `a ${id} step`);
    return found;
  };
  const fact = (diagnostic: ConnectionDiagnostic, id: StepId, label: string) => step(diagnostic, id).facts.find((f) => f.label === label)?.value;
  const connectsTo = (server: ReferenceServer) => `127.0.0.2:${new URL(server.url).port}`;

  for (const viaProxy of [false, true]) {
    const how = viaProxy ? 'through a proxy' : 'directly';

    it(`${how}: a certificate trusted through profoundCoder.tls.caFile — every step passes, the certificate and what trusted it are shown`, async () => {
      const before = (await proxy.forwarded()).length;
      const { key } = await trusted.issueKey('alice');
      const diagnostic = await diagnose(trusted, { tls: { caFile: caFiles.trusted }, apiKey: key, viaProxy });
      assert.equal(diagnostic.ok, true, JSON.stringify(diagnostic.steps, null, 1));
      assert.deepEqual(diagnostic.steps.map((s) => [s.id, s.status]), [
        ['address', 'ok'], ['proxy', 'ok'], ['connection', 'ok'], ['tls', 'ok'], ['health', 'ok'], ['sso', 'ok'], ['key', 'ok'],
      ]);
      assert.match(step(diagnostic, 'address').detail, /127\.0\.0\.2 is an IP address/);
      assert.match(fact(diagnostic, 'tls', 'TLS version') ?? '', /^TLSv1\.[23]$/);
      assert.equal(fact(diagnostic, 'tls', 'Subject'), 'CN=CoderFlow reference server');
      assert.equal(fact(diagnostic, 'tls', 'Name matches'), 'yes');
      assert.match(fact(diagnostic, 'tls', 'Trusted by') ?? '', new RegExp(`^profoundCoder\\.tls\\.caFile \\(${caFiles.trusted.replace(/[.\\/]/g, '\\$&')}\\): CN=CoderFlow reference server`));
      assert.match(fact(diagnostic, 'tls', 'Valid until') ?? '', /^\d{4}-\d\d-\d\dT/);
      assert.doesNotMatch(fact(diagnostic, 'tls', 'Valid until') ?? '', /expired/);
      assert.match(step(diagnostic, 'sso').detail, /^SSO is enabled .*password sign-in is enabled/);
      assert.deepEqual([fact(diagnostic, 'key', 'User'), diagnostic.user?.username], ['alice', 'alice']);
      for (const s of diagnostic.steps) assert.ok(Number.isInteger(s.durationMs) && s.durationMs >= 0, `${s.id}: ${s.durationMs} ms`);

      const forwarded = (await proxy.forwarded()).slice(before).filter((r) => r.target === connectsTo(trusted));
      if (viaProxy) {
        assert.match(step(diagnostic, 'proxy').detail, /^Through http:\/\/127\.0\.0\.1:\d+, from the HTTPS_PROXY environment variable/);
        assert.match(step(diagnostic, 'connection').detail, /through the proxy http:\/\/127\.0\.0\.1:\d+: it answered CONNECT with 200/);
        // The probe's tunnel, then /health, /auth/sso/config and /auth/me.
        assert.ok(forwarded.length >= 4, `the proxy forwarded ${forwarded.length} connections`);
      } else {
        assert.match(step(diagnostic, 'proxy').detail, /^Direct, unless your operating system/);
        assert.match(step(diagnostic, 'connection').detail, /^Connected directly to 127\.0\.0\.2:\d+/);
        assert.equal(forwarded.length, 0, 'nothing went through the proxy');
      }
    });

    it(`${how}: an untrusted (self-signed) certificate — refused, with the reason, the certificate, and the fix naming tls.caFile`, async () => {
      const diagnostic = await diagnose(trusted, { viaProxy });
      assert.equal(diagnostic.ok, false);
      const tls = step(diagnostic, 'tls');
      assert.equal(tls.status, 'fail');
      assert.match(tls.detail, /is self-signed, so it is not trusted/);
      assert.match(tls.fix ?? '', /profoundCoder\.tls\.caFile/);
      assert.equal(fact(diagnostic, 'tls', 'Error code'), 'DEPTH_ZERO_SELF_SIGNED_CERT');
      assert.equal(fact(diagnostic, 'tls', 'Issuer'), 'CN=CoderFlow reference server');
      assert.equal(step(diagnostic, 'health').status, 'fail');
      assert.deepEqual([step(diagnostic, 'sso').status, step(diagnostic, 'key').status], ['skipped', 'skipped']);
      assert.equal(diagnostic.failure?.kind, 'tls');
      assert.equal(step(diagnostic, 'connection').status, 'ok', 'the connection itself worked');
    });

    it(`${how}: an expired certificate, even from a trusted authority — refused as expired, with its dates`, async () => {
      const diagnostic = await diagnose(expired, { tls: { caFile: caFiles.expired }, viaProxy });
      const tls = step(diagnostic, 'tls');
      assert.equal(tls.status, 'fail');
      assert.match(tls.detail, /has expired/);
      assert.match(tls.fix ?? '', /renew the certificate/);
      assert.equal(fact(diagnostic, 'tls', 'Error code'), 'CERT_HAS_EXPIRED');
      assert.match(fact(diagnostic, 'tls', 'Valid until') ?? '', /\(expired\)$/);
      assert.equal(fact(diagnostic, 'tls', 'Subject'), 'CN=CoderFlow expired');
      assert.equal(diagnostic.ok, false);
    });
  }

  it('a certificate for another host name — says the name does not match, and which names it covers', async () => {
    const diagnostic = await diagnose(wrongHost, { tls: { caFile: caFiles.wrongHost } });
    const tls = step(diagnostic, 'tls');
    assert.equal(tls.status, 'fail');
    assert.match(tls.detail, /issued for a different host name/);
    assert.match(fact(diagnostic, 'tls', 'Name matches') ?? '', /^no: .*127\.0\.0\.2/);
    assert.equal(fact(diagnostic, 'tls', 'Names'), 'DNS:coderflow.example.com');
  });

  /** profoundCoder.tls.insecure's pins, holding one certificate for the trusted server's origin. */
  function pinsFor(origin: string, pem: string): CertificatePins {
    const certificate = new X509Certificate(pem);
    const pinned = { origin, fingerprint256: certificate.fingerprint256, pem, subject: certificate.subject, pinnedAt: new Date().toISOString() };
    return { get: (asked) => (asked === origin ? pinned : undefined), confirm: async () => false };
  }

  it('a certificate pinned by its fingerprint: trusted by the pin, and the fingerprint is named', async () => {
    const { key } = await trusted.issueKey('alice');
    const pem = trusted.caPem ?? '';
    const diagnostic = await diagnose(trusted, { tls: { pins: pinsFor(trusted.origin, pem) }, apiKey: key });
    const tls = step(diagnostic, 'tls');
    assert.equal(tls.status, 'ok', tls.detail);
    assert.match(tls.detail, /trusted by the certificate pinned for this server/);
    const fingerprint = new X509Certificate(pem).fingerprint256;
    assert.equal(fact(diagnostic, 'tls', 'Trusted by'), `the certificate you confirmed for this server, pinned by its SHA-256 fingerprint ${fingerprint} (profoundCoder.tls.insecure)`);
    assert.equal(diagnostic.ok, true);
  });

  it('a pinned certificate the server no longer presents: refused, and says so', async () => {
    const diagnostic = await diagnose(trusted, { tls: { pins: pinsFor(trusted.origin, expired.caPem ?? '') } });
    const tls = step(diagnostic, 'tls');
    assert.equal(tls.status, 'fail');
    assert.match(tls.detail, /no longer presents the certificate pinned for it \([0-9A-F:]{95}\)/);
    assert.equal(diagnostic.ok, false);
  });

  it('a certificate that only the requests\' own trust accepts (VS Code adds the system store): the TLS step says so', async () => {
    // The requests trust the certificate, as VS Code's with http.systemCertificates do; Node's
    // authorities, which the probe uses, do not.
    const client = new CoderFlowClient({ serverUrl: trusted.url, tls: { caFile: caFiles.trusted } });
    const diagnostic = await runConnectionDiagnostic({ serverUrl: trusted.url, client, tls: {}, proxy: chooseProxy(new URL(trusted.url), { env: {} }) });
    const tls = step(diagnostic, 'tls');
    assert.equal(tls.status, 'ok');
    assert.match(tls.detail, /^Trusted by the operating system's certificate store, which VS Code adds to its requests/);
    assert.equal(fact(diagnostic, 'tls', 'Error code'), undefined);
    assert.match(fact(diagnostic, 'tls', 'Trusted by') ?? '', /operating system's certificate store/);
    assert.equal(diagnostic.ok, true);
    assert.equal(diagnostic.failure, undefined);
  });

  it('a revoked key: /auth/me fails with the docs\' explanation of 401', async () => {
    const { key, id } = await trusted.issueKey('alice');
    const revoker = new CoderFlowClient({ serverUrl: trusted.url, apiKey: key, tls: { caFile: caFiles.trusted } });
    await revoker.deleteKey(id);
    const diagnostic = await diagnose(trusted, { tls: { caFile: caFiles.trusted }, apiKey: key });
    const keyStep = step(diagnostic, 'key');
    assert.equal(keyStep.status, 'fail');
    assert.equal(keyStep.detail, `${MESSAGES.invalidApiKey} (401)`);
    assert.equal(keyStep.fix, MESSAGES.invalidApiKeyFix);
    assert.equal(diagnostic.failure?.kind, 'invalid-api-key');
  });

  it('a 403 from /auth/me: the docs\' explanation of 403', async () => {
    const { key } = await trusted.issueKey('alice');
    trusted.faults.set({ path: '/auth/me', status: 403, body: '{"error":"forbidden"}', contentType: 'application/json', times: 1 });
    const diagnostic = await diagnose(trusted, { tls: { caFile: caFiles.trusted }, apiKey: key });
    assert.equal(step(diagnostic, 'key').detail, `${MESSAGES.forbidden} (403)`);
    assert.equal(step(diagnostic, 'key').fix, MESSAGES.forbiddenFix);
  });

  it('a signed-out profile: the key step says so and the diagnostic is not ok; a bare server URL is fine without a key', async () => {
    const signedOut = await diagnose(trusted, { tls: { caFile: caFiles.trusted }, noKeyReason: 'This profile is signed out.' });
    assert.equal(step(signedOut, 'key').status, 'warn');
    assert.equal(signedOut.failure?.kind, 'signed-out');
    assert.equal(signedOut.ok, false);
    const bare = await diagnose(trusted, { tls: { caFile: caFiles.trusted } });
    assert.equal(step(bare, 'key').status, 'skipped');
    assert.equal(bare.ok, true);
  });

  it('plain http on this computer: no TLS step to fail, the rest runs', async () => {
    const diagnostic = await diagnose(plain);
    assert.equal(step(diagnostic, 'tls').status, 'ok');
    assert.match(step(diagnostic, 'tls').detail, /plain http, which CoderFlow allows only for a server on this computer/);
    assert.equal(step(diagnostic, 'health').status, 'ok');
  });

  it('a host name that does not resolve: the lookup fails with its reason and no connection is tried', async () => {
    const diagnostic = await runConnectionDiagnostic({
      serverUrl: 'https://no-such-host.invalid',
      client: new CoderFlowClient({ serverUrl: 'https://no-such-host.invalid', timeoutMs: 5000 }),
      tls: {},
      proxy: chooseProxy(new URL('https://no-such-host.invalid'), { env: {} }),
    });
    assert.equal(step(diagnostic, 'address').status, 'fail');
    assert.match(step(diagnostic, 'address').detail, /could not be (found|looked up)/);
    assert.equal(step(diagnostic, 'connection').status, 'skipped');
  });

  describe('a proxy that refuses', () => {
    let refusing: Server;
    let seen = '';
    before(async () => {
      refusing = createServer((socket) => {
        socket.once('data', (chunk: Buffer) => {
          seen = chunk.toString('latin1');
          socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n');
        });
      });
      await new Promise<void>((done) => refusing.listen(0, '127.0.0.1', done));
    });
    after(() => new Promise<void>((done) => refusing.close(() => done())));

    it('407: says the proxy wants credentials; the report never shows the proxy password', async () => {
      const port = (refusing.address() as { port: number }).port;
      const proxyUrl = `http://corp-user:Pr0xy-S3cret@127.0.0.1:${port}`;
      const key = 'pc_diagnostic_report_secret_key_1234';
      const diagnostic = await runConnectionDiagnostic({
        serverUrl: trusted.url,
        client: new CoderFlowClient({ serverUrl: trusted.url, apiKey: key, tls: { caFile: caFiles.trusted }, agent: await proxyAgentFromEnv({ caFile: caFiles.trusted }, { HTTPS_PROXY: proxyUrl }) }),
        tls: { caFile: caFiles.trusted },
        proxy: chooseProxy(new URL(trusted.url), { proxySetting: proxyUrl, env: {} }),
      });
      assert.match(seen, /^CONNECT 127\.0\.0\.2:\d+ HTTP\/1\.1\r\n/);
      assert.match(seen, /Proxy-Authorization: Basic /, 'the credentials from the URL were offered');
      const connection = step(diagnostic, 'connection');
      assert.equal(connection.status, 'fail');
      assert.match(connection.detail, /^The proxy http:\/\/127\.0\.0\.1:\d+ asks for a user name and password \(407 Proxy Authentication Required\)\.$/);
      assert.equal(diagnostic.failure?.kind, 'proxy');
      assert.match(step(diagnostic, 'proxy').detail, /from the http\.proxy setting/);

      const redactor = new Redactor();
      redactor.add(key);
      const text = diagnosticReportText(diagnostic, redactor, [{ label: 'Key', value: key }]);
      assert.match(text, /^CoderFlow connection report\nServer: https:\/\/127\.0\.0\.2:\d+\n/);
      assert.match(text, /\[FAILED\] Connection \(\d+ ms\): The proxy/);
      assert.doesNotMatch(text, /Pr0xy-S3cret|corp-user/);
      assert.ok(!text.includes(key), 'the key never appears, even when a caller put it in');
      assert.match(text, /Key: pc_…1234/);
    });

    it('407 to this test\'s tunnel while the requests got through (VS Code answered the proxy itself): a warning, not a failure', async () => {
      const port = (refusing.address() as { port: number }).port;
      const { key } = await trusted.issueKey('alice');
      // The client stands for VS Code's requests, which reached the server.
      const diagnostic = await runConnectionDiagnostic({
        serverUrl: trusted.url,
        client: new CoderFlowClient({ serverUrl: trusted.url, apiKey: key, tls: { caFile: caFiles.trusted } }),
        tls: { caFile: caFiles.trusted },
        proxy: chooseProxy(new URL(trusted.url), { proxySetting: `http://127.0.0.1:${port}`, env: {} }),
      });
      const connection = step(diagnostic, 'connection');
      assert.equal(connection.status, 'warn');
      assert.match(connection.detail, /asks for a user name and password \(407 .*VS Code's own requests got through it/);
      assert.equal(step(diagnostic, 'tls').status, 'skipped');
      assert.equal(step(diagnostic, 'key').status, 'ok');
      assert.equal(diagnostic.ok, true);
    });
  });
});

describe('proxy choice (VS Code\'s order)', () => {
  const url = new URL('https://coderflow.example.com');
  it('http.proxySupport off: direct, whatever is set', () => {
    assert.equal(chooseProxy(url, { proxySupport: 'off', proxySetting: 'http://p:1', env: { HTTPS_PROXY: 'http://q:2' } }).url, undefined);
  });
  it('http.proxySupport on: direct for https (the client brings its own agent), the proxy for plain http', () => {
    assert.match(chooseProxy(url, { proxySupport: 'on', proxySetting: 'http://p:1', env: {} }).reason, /^Direct: http\.proxySupport is "on"/);
    assert.equal(chooseProxy(new URL('http://coderflow.example.com'), { proxySupport: 'on', proxySetting: 'http://p:1', env: {} }).shown, 'http://p:1');
    assert.equal(chooseProxy(url, { proxySupport: 'fallback', proxySetting: 'http://p:1', env: {} }).shown, 'http://p:1');
  });
  it('localhost and 127.0.0.1 always go direct; 127.0.0.2 does not', () => {
    assert.equal(chooseProxy(new URL('https://127.0.0.1:3000'), { proxySetting: 'http://p:1', env: {} }).url, undefined);
    assert.equal(chooseProxy(new URL('https://localhost'), { proxySetting: 'http://p:1', env: {} }).url, undefined);
    assert.equal(chooseProxy(new URL('https://127.0.0.2'), { proxySetting: 'http://p:1', env: {} }).shown, 'http://p:1');
  });
  it('http.proxy before the environment; the environment when the setting is empty; any of the four variables', () => {
    assert.equal(chooseProxy(url, { proxySetting: 'http://setting:1', env: { HTTPS_PROXY: 'http://env:2' } }).from, 'http.proxy');
    assert.equal(chooseProxy(url, { proxySetting: '', env: { HTTPS_PROXY: 'http://env:2' } }).shown, 'http://env:2');
    assert.equal(chooseProxy(url, { env: { HTTP_PROXY: 'http://plain:3' } }).from, 'HTTP_PROXY');
  });
  it('http.noProxy (then NO_PROXY) sends matching hosts and subdomains direct; http.noProxy replaces NO_PROXY', () => {
    assert.match(chooseProxy(url, { proxySetting: 'http://p:1', noProxySetting: ['example.com'], env: {} }).reason, /listed in http\.noProxy/);
    assert.equal(chooseProxy(url, { proxySetting: 'http://p:1', env: { NO_PROXY: '.example.com' } }).url, undefined);
    assert.equal(chooseProxy(url, { proxySetting: 'http://p:1', noProxySetting: ['other.org'], env: { NO_PROXY: 'example.com' } }).shown, 'http://p:1');
    assert.equal(chooseProxy(url, { proxySetting: 'http://p:1', noProxySetting: ['example.com:8443'], env: {} }).shown, 'http://p:1', 'another port');
  });
  it('never shows the proxy\'s user name or password, but keeps them for the CONNECT request', () => {
    const choice = chooseProxy(url, { proxySetting: 'http://me:secret@proxy.corp:3128', env: {} });
    assert.equal(choice.shown, 'http://proxy.corp:3128');
    assert.doesNotMatch(choice.reason, /secret|me:/);
    assert.equal(choice.url?.password, 'secret');
  });
  it('nothing configured: says the system proxy may apply', () => {
    const choice = chooseProxy(url, { env: {} });
    assert.equal(choice.systemMayApply, true);
    assert.equal(choice.url, undefined);
  });
});

describe('Test connection as the page is sent it', () => {
  it('passes every text through the redactor, whatever a step quoted, and fits the page\'s schema', () => {
    const key = 'pc_view_secret_key_abcdefgh9876';
    const diagnostic: ConnectionDiagnostic = {
      serverUrl: 'https://coderflow.example.com',
      startedAt: new Date().toISOString(),
      ok: false,
      steps: [
        { id: 'health', name: 'Server health (/health)', status: 'fail', detail: `A proxy page echoed Authorization: Bearer ${key}`, fix: `Do not paste ${key}`, durationMs: 12, facts: [{ label: 'Body', value: `{"apiKey":"${key}"}` }] },
      ],
    };
    const redactor = new Redactor();
    redactor.add(key);
    const view = diagnosticView(diagnostic, redactor, 'report-1');
    assert.ok(!JSON.stringify(view).includes(key), JSON.stringify(view));
    assert.ok(!JSON.stringify(view).includes('abcdefgh'), 'not even a recognisable part of it');
    assert.ok(parseResult('testServer', { serverUrl: 'https://coderflow.example.com', diagnostic: view }), 'the page accepts it');
  });

  it('keeps long texts within the page\'s limits instead of losing the message', () => {
    const diagnostic: ConnectionDiagnostic = {
      serverUrl: 'https://coderflow.example.com',
      startedAt: new Date().toISOString(),
      ok: true,
      steps: [{ id: 'address', name: 'Address', status: 'ok', detail: 'x'.repeat(5000), durationMs: 1, facts: Array.from({ length: 30 }, (_, i) => ({ label: `L${i}`, value: 'y'.repeat(3000) })) }],
    };
    const view = diagnosticView(diagnostic, new Redactor(), 'report-2');
    assert.ok(parseResult('testServer', { serverUrl: 'https://coderflow.example.com', diagnostic: view }));
    assert.equal(view.steps[0]?.detail.length, 2000);
    assert.equal(view.steps[0]?.facts.length, 20);
  });
});
