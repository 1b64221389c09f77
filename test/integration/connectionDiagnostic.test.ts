import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vscode = require('vscode');
import type { ProfileMeta } from '../../src/profiles/profile';
import type { ConnectionReport } from '../../src/vscode/connectionTest';
import { startServer, type ReferenceServer } from '../server/index';
import { datedCertificate } from '../server/tls';
import { startCountingProxy, type CountingProxy } from '../support/countingProxy';
import { api, until } from './support';

// Test connection in the real extension host, against reference servers with a trusted, an
// untrusted and an expired certificate, directly and through VS Code's `http.proxy`. The servers
// listen on 127.0.0.2: VS Code sends requests for localhost and 127.0.0.1 directly whatever the
// proxy settings say.

const DAY = 86_400_000;
const http = () => vscode.workspace.getConfiguration('http');
const coderflow = () => vscode.workspace.getConfiguration('profoundCoder');

describe('Test connection in the extension host: trusted, untrusted and expired certificates, directly and through http.proxy', function () {
  this.timeout(120_000);
  let trusted: ReferenceServer;
  let untrusted: ReferenceServer;
  let expired: ReferenceServer;
  let proxy: CountingProxy;
  let dir: string;
  let profile: ProfileMeta | undefined;
  let key: string | undefined;

  before(async () => {
    const expiredCertificate = await datedCertificate({ names: ['IP:127.0.0.2'], notBefore: new Date(Date.now() - 30 * DAY), notAfter: new Date(Date.now() - DAY), commonName: 'CoderFlow expired' });
    [trusted, untrusted, expired, proxy] = await Promise.all([
      startServer({ host: '127.0.0.2', tls: true, sso: false }),
      startServer({ host: '127.0.0.2', tls: true, sso: false }),
      startServer({ host: '127.0.0.2', tls: expiredCertificate, sso: false }),
      startCountingProxy(),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'coderflow-diagnostic-host-'));
    // The CA file trusts the first server and the expired one's authority, never the untrusted one.
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, `${trusted.caPem ?? ''}${expired.caPem ?? ''}`);
    await coderflow().update('cliConfigPath', join(dir, 'config.json'), vscode.ConfigurationTarget.Global);
    await coderflow().update('tls.caFile', caFile, vscode.ConfigurationTarget.Global);
    await until('the extension host sees tls.caFile', () => (coderflow().get('tls.caFile') === caFile ? true : undefined));
    profile = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signIn', {
      method: 'password', serverUrl: trusted.url, username: 'alice', password: 'alice-password', profileName: 'IT diagnostic',
    });
    key = await (await api()).testing.store.getKey(profile.id);
    assert.ok(key, 'signed in over TLS');
  });

  after(async () => {
    await http().update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await coderflow().update('tls.caFile', undefined, vscode.ConfigurationTarget.Global);
    await coderflow().update('cliConfigPath', undefined, vscode.ConfigurationTarget.Global);
    if (profile) await (await api()).testing.store.remove(profile.id);
    await Promise.all([trusted?.stop(), untrusted?.stop(), expired?.stop(), proxy?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const test = (args: { profileId?: string; serverUrl?: string }) => vscode.commands.executeCommand<ConnectionReport>('profoundCoder.testConnection', { ...args, quiet: true });
  const step = (report: ConnectionReport, id: string) => {
    const found = report.diagnostic?.steps.find((s) => s.id === id);
    assert.ok(found, `a ${id} step in ${JSON.stringify(report.diagnostic?.steps.map((s) => s.id))}`);
    return found;
  };
  const fact = (report: ConnectionReport, id: string, label: string) => step(report, id).facts.find((f) => f.label === label)?.value;
  const tunnelsTo = async (server: ReferenceServer) => (await proxy.forwarded()).filter((r) => r.method === 'CONNECT' && r.target === new URL(server.url).host).length;

  for (const viaProxy of [false, true]) {
    const how = viaProxy ? 'through http.proxy' : 'directly';

    describe(how, () => {
      before(async () => {
        await http().update('proxy', viaProxy ? proxy.url : undefined, vscode.ConfigurationTarget.Global);
        await until(`the extension host sees http.proxy ${viaProxy ? 'set' : 'cleared'}`, () => ((http().get<string>('proxy') || undefined) === (viaProxy ? proxy.url : undefined) ? true : undefined));
      });

      /** The proxy and connection steps say how the connection went, and the proxy saw it or not. */
      async function checkRoute(report: ConnectionReport, server: ReferenceServer, tunnelsBefore: number): Promise<void> {
        const tunnels = (await tunnelsTo(server)) - tunnelsBefore;
        if (viaProxy) {
          assert.match(step(report, 'proxy').detail, /^Through http:\/\/127\.0\.0\.1:\d+, from the http\.proxy setting\.$/);
          assert.match(step(report, 'connection').detail, /through the proxy http:\/\/127\.0\.0\.1:\d+: it answered CONNECT with 200/);
          assert.ok(tunnels >= 1, `the proxy opened ${tunnels} tunnels to the server`);
        } else {
          assert.match(step(report, 'proxy').detail, /^Direct/);
          assert.match(step(report, 'connection').detail, /^Connected directly to 127\.0\.0\.2:\d+/);
          assert.equal(tunnels, 0, 'nothing went through the proxy');
        }
      }

      it('a trusted certificate (profoundCoder.tls.caFile): every step passes, with the certificate, what trusted it, the user and roles', async () => {
        const before = await tunnelsTo(trusted);
        const report = await test({ profileId: profile!.id });
        assert.equal(report.ok, true, JSON.stringify(report.diagnostic?.steps, null, 1));
        assert.deepEqual(report.diagnostic?.steps.map((s) => s.status), ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
        assert.match(fact(report, 'tls', 'TLS version') ?? '', /^TLSv1\.[23]$/);
        assert.equal(fact(report, 'tls', 'Subject'), 'CN=CoderFlow reference server');
        assert.equal(fact(report, 'tls', 'Name matches'), 'yes');
        assert.match(fact(report, 'tls', 'Trusted by') ?? '', /^profoundCoder\.tls\.caFile \(.*ca\.pem\): CN=CoderFlow reference server$/);
        assert.equal(report.user?.username, 'alice');
        assert.match(step(report, 'key').detail, /signed in as alice \(roles: /);
        await checkRoute(report, trusted, before);
        if (viaProxy) assert.ok((await tunnelsTo(trusted)) - before >= 2, 'the requests of /health and /auth/me went through the proxy too');
        // The report for a support ticket: every step, never the key.
        assert.match(report.report ?? '', /^CoderFlow connection report\nServer: https:\/\/127\.0\.0\.2:\d+\n/);
        assert.match(report.report ?? '', /\[OK\] TLS certificate \(\d+ ms\)/);
        assert.ok(!(report.report ?? '').includes(key!), 'the report does not contain the key');
        assert.ok(!JSON.stringify(report.view).includes(key!), 'nor does what the page is sent');
      });

      it('an untrusted (self-signed) certificate: refused, saying why and what to do; the server is not reached', async () => {
        const before = await tunnelsTo(untrusted);
        const report = await test({ serverUrl: untrusted.url });
        assert.equal(report.ok, false);
        const tls = step(report, 'tls');
        assert.equal(tls.status, 'fail');
        assert.match(tls.detail, /is self-signed, so it is not trusted/);
        assert.match(tls.fix ?? '', /profoundCoder\.tls\.caFile/);
        assert.equal(fact(report, 'tls', 'Error code'), 'DEPTH_ZERO_SELF_SIGNED_CERT');
        assert.equal(step(report, 'health').status, 'fail', 'VS Code refuses it too');
        assert.equal(report.error?.kind, 'tls');
        assert.equal(untrusted.requests.length, 0, 'no request reached the server');
        await checkRoute(report, untrusted, before);
      });

      it('an expired certificate from a trusted authority: refused as expired, with its dates', async () => {
        const before = await tunnelsTo(expired);
        const report = await test({ serverUrl: expired.url });
        assert.equal(report.ok, false);
        const tls = step(report, 'tls');
        assert.equal(tls.status, 'fail');
        assert.match(tls.detail, /has expired/);
        assert.equal(fact(report, 'tls', 'Error code'), 'CERT_HAS_EXPIRED');
        assert.match(fact(report, 'tls', 'Valid until') ?? '', /\(expired\)$/);
        assert.equal(step(report, 'health').status, 'fail');
        await checkRoute(report, expired, before);
      });
    });
  }
});
