import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vscode = require('vscode');
import type { ProfileMeta } from '../../src/profiles/profile';
import { PINS_STATE_KEY } from '../../src/services/pinnedCertificates';
import { startServer, type ReferenceServer } from '../server/index';
import { startCountingProxy, type CountingProxy } from '../support/countingProxy';
import { selfSignedFor } from '../support/privateCa';
import { api, until } from './support';

// A real local HTTP proxy and VS Code's own `http.proxy` setting, in the extension host.
// The extension has no proxy code of its own there: VS Code routes Node's http and https
// modules through the proxy the person configured. VS Code sends requests for localhost and
// 127.0.0.1 directly whatever the setting says, so the server here listens on 127.0.0.2, which
// stands for a server on another machine.

const http = () => vscode.workspace.getConfiguration('http');
const settings = () => vscode.workspace.getConfiguration('profoundCoder');
const request = (r: { method: string; path?: string }) => `${r.method} ${r.path ?? ''}`;

describe("Signing in through VS Code's http.proxy (extension host)", function () {
  this.timeout(60_000);
  let server: ReferenceServer;
  let proxy: CountingProxy;
  let cliDir: string;
  let profile: ProfileMeta | undefined;

  before(async () => {
    [server, proxy] = await Promise.all([startServer({ host: '127.0.0.2', sso: false }), startCountingProxy({ hosts: { 'coderflow.test': '127.0.0.2' } })]);
    cliDir = mkdtempSync(join(tmpdir(), 'coderflow-proxy-'));
    // Never the real ~/.coderflow of the machine running the tests.
    await vscode.workspace.getConfiguration('profoundCoder').update('cliConfigPath', join(cliDir, 'config.json'), vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await http().update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('profoundCoder').update('cliConfigPath', undefined, vscode.ConfigurationTarget.Global);
    if (profile) await (await api()).testing.store.remove(profile.id);
    await Promise.all([server?.stop(), proxy?.stop()]);
    rmSync(cliDir, { recursive: true, force: true });
  });

  /** What the proxy forwarded to the reference server. */
  async function forwardedToServer() {
    const target = new URL(server.url).host;
    return (await proxy.forwarded()).filter((r) => r.target === target);
  }

  it('sends every request of a password sign-in and a connection test through the proxy set in http.proxy', async function () {
    await http().update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
    await until('the extension host sees http.proxy', () => (http().get<string>('proxy') === proxy.url ? true : undefined));
    profile = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signIn', {
      method: 'password', serverUrl: server.url, username: 'alice', password: 'alice-password', profileName: 'IT proxy',
    });
    const report = await vscode.commands.executeCommand<{ ok: boolean }>('profoundCoder.testConnection', { profileId: profile.id, quiet: true });
    assert.equal(report.ok, true);

    // Test connection also opens a CONNECT tunnel of its own through the proxy, to see the route.
    const all = await forwardedToServer();
    const forwarded = all.filter((r) => r.method !== 'CONNECT');
    assert.equal(all.length - forwarded.length, 1, 'one tunnel: the connection test\'s own probe');
    const received = server.requests.map(request);
    const support = http().inspect<string>('proxySupport');
    assert.ok(received.includes('POST /auth/cli-login'), `the server saw the sign-in: ${received.join(', ')}`);
    assert.deepEqual(forwarded.map(request), received, `every request the server received came through the proxy (http.proxySupport: ${JSON.stringify(support)})`);
    assert.ok(forwarded.every((r) => r.userAgent === 'coderflow-vscode'), 'and they are the extension’s requests');
    this.test!.title += ` (${forwarded.length} requests forwarded)`;
  });

  it('signs in to a self-signed https server by name through http.proxy after the person trusts its certificate (tls.insecure); the proxy sees only a tunnel; once forgotten, the certificate is asked about again', async () => {
    // The server's certificate names coderflow.test only; the proxy knows that name.
    const tlsServer = await startServer({ host: '127.0.0.2', prefix: '/cf', sso: false, tls: await selfSignedFor(['DNS:coderflow.test']) });
    const { testing } = await api();
    const asked: string[] = [];
    testing.certificatePins.ask = async (question) => {
      asked.push(`${question.origin} ${question.fingerprint256}`);
      return true;
    };
    const serverUrl = tlsServer.url.replace('127.0.0.2', 'coderflow.test');
    let tlsProfile: ProfileMeta | undefined;
    try {
      await http().update('proxy', proxy.url, vscode.ConfigurationTarget.Global);
      await settings().update('tls.insecure', true, vscode.ConfigurationTarget.Global);
      await until('the extension host sees the settings', () => (http().get<string>('proxy') === proxy.url && settings().get('tls.insecure') === true ? true : undefined));
      tlsProfile = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signIn', {
        method: 'password', serverUrl, username: 'alice', password: 'alice-password', profileName: 'IT proxy TLS',
      });
      assert.equal(tlsProfile.serverUrl, serverUrl);
      assert.equal(asked.length, 1, 'asked once, for the whole sign-in');
      assert.match(asked[0], new RegExp(`^${new URL(serverUrl).origin.replace(/\./g, '\\.')} (?:[0-9A-F]{2}:){31}[0-9A-F]{2}$`));
      assert.ok(tlsServer.requests.some((r) => r.method === 'POST' && r.path === '/auth/cli-login'), 'the server received the sign-in');
      const forwarded = (await proxy.forwarded()).filter((r) => r.target === new URL(serverUrl).host);
      assert.ok(forwarded.length > 0 && forwarded.every((r) => r.method === 'CONNECT'), 'every request went through a CONNECT tunnel, which the proxy cannot read');
      // Forget Trusted Certificates: the next request to the server asks again.
      const origin = new URL(serverUrl).origin;
      assert.deepEqual(await vscode.commands.executeCommand<string[]>('profoundCoder.forgetTrustedCertificates', { origins: origin }), [], 'attack: arguments of another shape forget nothing');
      assert.ok(testing.certificatePins.get(origin));
      assert.deepEqual(await vscode.commands.executeCommand<string[]>('profoundCoder.forgetTrustedCertificates', { origins: [origin] }), [origin]);
      assert.equal(testing.certificatePins.get(origin), undefined);
      await testing.makeClient(serverUrl).health();
      assert.equal(asked.length, 2, 'asked again once the certificate was forgotten');
    } finally {
      await settings().update('tls.insecure', undefined, vscode.ConfigurationTarget.Global);
      await testing.globalState.update(PINS_STATE_KEY, undefined);
      if (tlsProfile) await testing.store.remove(tlsProfile.id);
      await tlsServer.stop();
    }
  });

  it('connects directly again once http.proxy is cleared', async () => {
    assert.ok(profile, 'signed in by the test before');
    await http().update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await until('the extension host sees http.proxy cleared', () => (http().get<string>('proxy') ? undefined : true));
    const throughProxy = (await forwardedToServer()).length;
    const receivedBefore = server.requests.length;
    const report = await vscode.commands.executeCommand<{ ok: boolean }>('profoundCoder.testConnection', { profileId: profile.id, quiet: true });
    assert.equal(report.ok, true);
    assert.ok(server.requests.length > receivedBefore, 'the server received the connection test');
    assert.equal((await forwardedToServer()).length, throughProxy, 'nothing more went through the proxy');
  });
});
