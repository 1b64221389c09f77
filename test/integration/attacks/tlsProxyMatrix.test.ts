import * as assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vscode = require('vscode');
import type { AuthError } from '../../../src/core/errors';
import { PINS_STATE_KEY, type PinQuestion } from '../../../src/services/pinnedCertificates';
import { startServer, type ReferenceServer } from '../../server/index';
import { observe } from '../../support/attackTable';
import { startCountingProxy, type CountingProxy } from '../../support/countingProxy';
import { makePrivateCa, selfSignedFor } from '../../support/privateCa';
import { api, until } from '../support';

// profoundCoder.tls.caFile and profoundCoder.tls.insecure in the real extension host, where VS
// Code's proxy support replaces the agent of every request to a host other than localhost and
// 127.0.0.1 (http.proxySupport "override", its default) and keeps only the agent's `ca`. The
// servers are on 127.0.0.2 behind the path prefix /cf, with certificates that name only
// coderflow.test and 127.0.0.2: one issued by a private authority (sent alone, as most servers
// do), one self-signed. The proxy (proxy-chain, its own process) knows coderflow.test, as a
// company proxy knows internal names; a direct connection uses that name only when this machine
// resolves it to 127.0.0.2 (an /etc/hosts line), else the address.
//
// Every cell is a row; the whole matrix is printed, and written to .artifacts/attacks/.

const NAME = 'coderflow.test';
const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

type ProxyAxis = 'no proxy' | 'http.proxy';
type TrustAxis = 'nothing' | 'tls.caFile' | 'tls.insecure';
type SupportAxis = 'default' | 'off' | 'on' | 'fallback';

interface Cell {
  server: 'private CA' | 'self-signed';
  proxy: ProxyAxis;
  trust: TrustAxis;
  support: SupportAxis;
  /** Force the server's IP address in the URL (a server addressed by IP through the proxy). */
  byAddress?: boolean;
}

interface Outcome {
  /** ok, or the error's Node code */
  result: string;
  route: 'proxy' | 'direct';
  asked: boolean;
  message?: string;
}

const rows: string[][] = [];

function expectation(cell: Cell, viaProxy: boolean): { result: string; asked: boolean; why: string } {
  if (cell.byAddress && viaProxy) {
    // https-proxy-agent sends no server name for an IP address, so Node checks the certificate
    // against the proxy's name ("localhost" for a proxy addressed by IP) instead.
    return cell.trust === 'tls.caFile'
      ? { result: 'ERR_TLS_CERT_ALTNAME_INVALID', asked: false, why: 'through a proxy VS Code checks an IP-addressed server\'s certificate against another name' }
      : { result: 'tls', asked: false, why: 'not asked: a pin could not help, VS Code checks an IP-addressed server against another name through a proxy' };
  }
  if (cell.trust === 'tls.caFile') return { result: 'ok', asked: false, why: 'trusted through the agent\'s ca' };
  const untrusted = cell.server === 'private CA' ? 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' : 'DEPTH_ZERO_SELF_SIGNED_CERT';
  if (cell.trust === 'nothing') return { result: untrusted, asked: false, why: 'no authority vouches for it' };
  return cell.server === 'self-signed'
    ? { result: 'ok', asked: true, why: 'the person confirms the fingerprint; the pin is the agent\'s ca' }
    : { result: 'tls', asked: false, why: 'its authority is not sent, so there is nothing to pin: tls.caFile is the way' };
}

describe('attack: TLS options in the extension host, direct and through http.proxy (TLS/proxy matrix)', function () {
  this.timeout(120_000);
  const servers: Partial<Record<Cell['server'], ReferenceServer>> = {};
  const caFiles: Partial<Record<Cell['server'], string>> = {};
  let proxy: CountingProxy;
  let dir: string;
  let nameResolves = false;
  let questions: PinQuestion[] = [];

  before(async () => {
    const ca = await makePrivateCa();
    const names = [`DNS:${NAME}`, 'IP:127.0.0.2'];
    const [privateCa, selfSigned] = await Promise.all([ca.issue(names), selfSignedFor(names)]);
    [servers['private CA'], servers['self-signed'], proxy] = await Promise.all([
      startServer({ host: '127.0.0.2', prefix: '/cf', sso: false, tls: privateCa }),
      startServer({ host: '127.0.0.2', prefix: '/cf', sso: false, tls: selfSigned }),
      startCountingProxy({ hosts: { [NAME]: '127.0.0.2' } }),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'coderflow-tls-matrix-'));
    caFiles['private CA'] = join(dir, 'private-ca.pem');
    caFiles['self-signed'] = join(dir, 'self-signed.pem');
    writeFileSync(caFiles['private CA'], ca.caPem);
    writeFileSync(caFiles['self-signed'], selfSigned.cert);
    nameResolves = await lookup(NAME).then((found) => found.address === '127.0.0.2', () => false);
    (await api()).testing.certificatePins.ask = async (question) => {
      questions.push(question);
      return true;
    };
  });

  after(async () => {
    const { testing } = await api();
    await Promise.all([
      configure('http', 'proxy', undefined),
      configure('http', 'proxySupport', undefined),
      configure('profoundCoder', 'tls.caFile', undefined),
      configure('profoundCoder', 'tls.insecure', undefined),
      testing.globalState.update(PINS_STATE_KEY, undefined),
    ]);
    await Promise.all([servers['private CA']?.stop(), servers['self-signed']?.stop(), proxy?.stop()]);
    rmSync(dir, { recursive: true, force: true });
    const header = ['server', 'address', 'proxy', 'trust', 'http.proxySupport', 'route', 'expected', 'observed'];
    const table = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
    console.log(`\nTLS/proxy matrix in the extension host (VS Code ${vscode.version}):\n${table}\n`);
    const out = join(REPO_ROOT, '.artifacts', 'attacks');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'tls-proxy-matrix.md'), `${table}\n`);
  });

  async function configure(section: string, key: string, value: unknown): Promise<void> {
    const config = () => vscode.workspace.getConfiguration(section);
    if (config().inspect(key)?.globalValue === value) return;
    await config().update(key, value, vscode.ConfigurationTarget.Global);
    await until(`${section}.${key} is seen`, () => (config().inspect(key)?.globalValue === value ? true : undefined));
  }

  async function measure(cell: Cell): Promise<{ outcome: Outcome; url: string }> {
    const { testing } = await api();
    const server = servers[cell.server]!;
    const viaProxy = cell.proxy === 'http.proxy' && (cell.support === 'default' || cell.support === 'fallback');
    const host = cell.byAddress || (!viaProxy && !nameResolves) ? '127.0.0.2' : NAME;
    const url = server.url.replace('127.0.0.2', host);
    await configure('http', 'proxy', cell.proxy === 'http.proxy' ? proxy.url : undefined);
    await configure('http', 'proxySupport', cell.support === 'default' ? undefined : cell.support);
    await configure('profoundCoder', 'tls.caFile', cell.trust === 'tls.caFile' ? caFiles[cell.server] : undefined);
    await configure('profoundCoder', 'tls.insecure', cell.trust === 'tls.insecure' ? true : undefined);
    await testing.globalState.update(PINS_STATE_KEY, undefined);
    questions = [];
    const target = new URL(url).host;
    const tunnels = async () => (await proxy.forwarded()).filter((r) => r.method === 'CONNECT' && r.target === target).length;
    const before = await tunnels();
    let outcome: Omit<Outcome, 'route' | 'asked'>;
    try {
      await testing.makeClient(url).health();
      outcome = { result: 'ok' };
    } catch (e) {
      const error = e as AuthError;
      outcome = { result: error.kind === 'tls' && error.detail ? error.detail : error.kind, message: error.message };
    }
    return { outcome: { ...outcome, route: (await tunnels()) > before ? 'proxy' : 'direct', asked: questions.length > 0 }, url };
  }

  const cells: Cell[] = [];
  for (const server of ['private CA', 'self-signed'] as const) {
    for (const support of ['default', 'off'] as const) {
      for (const proxyAxis of ['no proxy', 'http.proxy'] as const) {
        for (const trust of ['nothing', 'tls.caFile', 'tls.insecure'] as const) cells.push({ server, proxy: proxyAxis, trust, support });
      }
    }
    for (const trust of ['tls.caFile', 'tls.insecure'] as const) cells.push({ server, proxy: 'http.proxy', trust, support: 'default', byAddress: true });
  }
  // "on" keeps the agent a request brings, so CoderFlow's https requests go direct; "fallback"
  // uses that agent only when no proxy applies (createHttpPatch). The read of the certificate to
  // pin takes the same route.
  for (const support of ['on', 'fallback'] as const) cells.push({ server: 'self-signed', proxy: 'http.proxy', trust: 'tls.insecure', support });

  // Why: what VS Code's proxy support keeps of the agent an extension passes to https.request.
  // The agent that `tls.insecure` used to make (rejectUnauthorized: false) is dropped unless
  // http.proxySupport is "off"; an agent's `ca` is kept on every route.
  for (const [agentOption, support, proxyAxis] of [
    ['rejectUnauthorized: false', 'default', 'no proxy'],
    ['rejectUnauthorized: false', 'default', 'http.proxy'],
    ['rejectUnauthorized: false', 'off', 'no proxy'],
    ['ca', 'default', 'no proxy'],
    ['ca', 'default', 'http.proxy'],
  ] as const) {
    const kept = agentOption === 'ca' || support === 'off';
    it(`an https.Agent with ${agentOption} for the self-signed server, ${proxyAxis}, http.proxySupport ${support} → ${kept ? 'kept: accepted' : 'dropped by VS Code: refused, DEPTH_ZERO_SELF_SIGNED_CERT'}`, async () => {
      const server = servers['self-signed']!;
      await configure('http', 'proxy', proxyAxis === 'http.proxy' ? proxy.url : undefined);
      await configure('http', 'proxySupport', support === 'off' ? 'off' : undefined);
      const host = proxyAxis === 'http.proxy' || nameResolves ? NAME : '127.0.0.2';
      const agent = new https.Agent(agentOption === 'ca' ? { ca: readFileSync(caFiles['self-signed']!, 'utf8') } : { rejectUnauthorized: false });
      const result = await new Promise<string>((resolve) => {
        https
          .get(`${server.url.replace('127.0.0.2', host)}/health`, { agent }, (response) => {
            response.resume();
            resolve(`accepted (${response.statusCode})`);
          })
          .on('error', (e: NodeJS.ErrnoException) => resolve(`refused, ${e.code ?? e.message}`));
      });
      observe(result);
      assert.equal(result.startsWith('accepted'), kept, result);
      if (!kept) assert.equal(result, 'refused, DEPTH_ZERO_SELF_SIGNED_CERT');
    });
  }

  it('a pinned self-signed server that later presents another certificate (an interceptor on its address) → refused, asked again with the fingerprint trusted before; declining sends nothing', async () => {
    const { testing } = await api();
    await configure('http', 'proxy', undefined);
    await configure('http', 'proxySupport', undefined);
    await configure('profoundCoder', 'tls.caFile', undefined);
    await configure('profoundCoder', 'tls.insecure', true);
    await testing.globalState.update(PINS_STATE_KEY, undefined);
    const genuine = await startServer({ host: '127.0.0.2', prefix: '/cf', sso: false, tls: await selfSignedFor(['IP:127.0.0.2']) });
    const port = Number(new URL(genuine.origin).port);
    questions = [];
    await testing.makeClient(genuine.url).health();
    const trusted = testing.certificatePins.get(genuine.origin)?.fingerprint256;
    assert.ok(trusted, 'the genuine certificate was pinned after confirming');
    await genuine.stop();
    const interceptor = await startServer({ host: '127.0.0.2', port, prefix: '/cf', sso: false, tls: await selfSignedFor(['IP:127.0.0.2']) });
    try {
      testing.certificatePins.ask = async (question) => {
        questions.push(question);
        return false;
      };
      const { key } = await interceptor.issueKey('alice');
      const error = await testing.makeClient(interceptor.url, key).me().then(() => undefined, (e: AuthError) => e);
      observe(error ? `${error.detail ?? error.kind}; asked again with previous ${questions[1]?.previous?.fingerprint256.slice(0, 11) ?? 'none'}…` : 'accepted');
      assert.equal(error?.detail, 'DEPTH_ZERO_SELF_SIGNED_CERT', 'the pin does not vouch for another certificate');
      assert.equal(questions.length, 2);
      assert.equal(questions[1].previous?.fingerprint256, trusted, 'the question shows the certificate trusted before');
      assert.notEqual(questions[1].fingerprint256, trusted);
      assert.equal(testing.certificatePins.get(genuine.origin)?.fingerprint256, trusted, 'declined: the pin is unchanged');
      assert.deepEqual(interceptor.requests, [], 'the interceptor received no request, so no key');
    } finally {
      testing.certificatePins.ask = async (question) => {
        questions.push(question);
        return true;
      };
      await interceptor.stop();
    }
  });

  for (const cell of cells) {
    const viaProxy = cell.proxy === 'http.proxy' && (cell.support === 'default' || cell.support === 'fallback');
    const expected = expectation(cell, viaProxy);
    const title = `${cell.server} server${cell.byAddress ? ' addressed by IP' : ''}, ${cell.proxy}, ${cell.trust}, http.proxySupport ${cell.support} → ${viaProxy ? 'through the proxy' : 'direct'}, ${expected.result}${expected.asked ? ' after confirming' : ''} (${expected.why})`;
    it(title, async () => {
      const { outcome, url } = await measure(cell);
      const observed = `${outcome.result}${outcome.asked ? ' after confirming' : ''}${outcome.result === 'ok' ? '' : `: ${outcome.message ?? ''}`}`;
      rows.push([cell.server, new URL(url).hostname, cell.proxy, cell.trust, cell.support, outcome.route, `${expected.result}${expected.asked ? ' after confirming' : ''}`, observed.replace(/\|/g, '/')]);
      observe(`${outcome.route === 'proxy' ? 'through the proxy' : 'direct'}, ${observed}`);
      assert.equal(outcome.route, viaProxy ? 'proxy' : 'direct', 'the request took the route VS Code\'s settings give it');
      assert.equal(outcome.result, expected.result, observed);
      assert.equal(outcome.asked, expected.asked, 'the person was asked exactly when a certificate could be pinned');
      if (outcome.asked) {
        const question = questions[0];
        assert.equal(question.origin, new URL(url).origin, 'the question names the server');
        assert.match(question.fingerprint256, /^(?:[0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'and shows the SHA-256 fingerprint');
        const pinned = (await api()).testing.certificatePins.get(question.origin);
        assert.equal(pinned?.fingerprint256, question.fingerprint256, 'the confirmed certificate is pinned for that server');
      }
    });
  }
});
