import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { proxyAgentFromEnv, proxyFor } from '../support/proxyAgent';
import { startServer, type ReferenceServer } from '../server';
import { Journey } from './support/journey';

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];
const PROXY_PASSWORD = 'proxy-secret-7781';

interface RunningProxy {
  url: string;
  /** host:port of every tunnel or request the proxy was asked for. */
  seen: string[];
  stop(): Promise<void>;
}

async function startProxy(options: { password?: string } = {}): Promise<RunningProxy> {
  const seen: string[] = [];
  // proxy-chain is an ES module; tests compile to CommonJS, which keeps a dynamic import as it is.
  const { Server: ProxyServer } = await import('proxy-chain');
  const proxy = new ProxyServer({
    port: 0,
    host: '127.0.0.1',
    prepareRequestFunction: ({ hostname, port, username, password }) => {
      if (options.password !== undefined && (username !== 'dev' || password !== options.password)) return { requestAuthentication: true };
      seen.push(`${hostname}:${port}`);
      return {};
    },
  });
  await proxy.listen();
  return { url: `http://127.0.0.1:${proxy.port}`, seen, stop: () => proxy.close(true) };
}

describe('faults: a real HTTP proxy from HTTPS_PROXY / HTTP_PROXY (plain Node)', () => {
  let plain: ReferenceServer;
  let secure: ReferenceServer;
  let proxy: RunningProxy;
  let guarded: RunningProxy;
  let dir: string;
  let caFile: string;
  let journey: Journey | undefined;
  const saved = new Map<string, string | undefined>();

  before(async () => {
    [plain, secure, proxy, guarded] = await Promise.all([
      startServer({ sso: false }),
      startServer({ sso: false, tls: true }),
      startProxy(),
      startProxy({ password: PROXY_PASSWORD }),
    ]);
    dir = await mkdtemp(join(tmpdir(), 'coderflow-faults-proxy-'));
    caFile = join(dir, 'ca.pem');
    await writeFile(caFile, secure.caPem ?? '');
    for (const name of PROXY_VARIABLES) saved.set(name, process.env[name]);
  });
  after(async () => {
    await Promise.all([plain.stop(), secure.stop(), proxy.stop(), guarded.stop()]);
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    for (const name of PROXY_VARIABLES) delete process.env[name];
    proxy.seen.length = 0;
  });
  afterEach(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await journey?.finish();
    journey = undefined;
  });

  async function through(server: ReferenceServer, tls: { caFile?: string } = {}): Promise<Journey> {
    const agent = await proxyAgentFromEnv(tls);
    assert.ok(agent, 'a proxy variable is set');
    journey = await Journey.start(server, 'HTTP proxy', { agent });
    return journey;
  }

  it('signs in to an http server through HTTP_PROXY, and the proxy carried the traffic', async () => {
    process.env.HTTP_PROXY = proxy.url;
    const j = await through(plain);
    const profile = await j.service.password({ serverUrl: plain.url, profileName: 'Proxied' }, 'alice', 'alice-password');
    assert.ok(plain.keyIsValid((await j.store.getKey(profile.id)) ?? ''));
    assert.ok(proxy.seen.includes(new URL(plain.url).host), `proxy saw ${proxy.seen.join(', ')}`);
  });

  it('signs in to an https server through HTTPS_PROXY, trusting profoundCoder.tls.caFile inside the tunnel', async () => {
    process.env.HTTPS_PROXY = proxy.url;
    const j = await through(secure, { caFile });
    const profile = await j.service.password({ serverUrl: secure.url, profileName: 'Proxied TLS' }, 'alice', 'alice-password');
    assert.equal(profile.username, 'alice');
    assert.ok(proxy.seen.includes(new URL(secure.url).host));
  });

  it('still refuses a self-signed certificate through the tunnel', async () => {
    process.env.HTTPS_PROXY = proxy.url;
    const j = await through(secure);
    j.injected('self-signed certificate behind a proxy');
    await j.fails(() => j.service.password({ serverUrl: secure.url }, 'alice', 'alice-password'), { kind: 'tls', message: /self-signed/ });
    assert.ok(proxy.seen.length > 0, 'the request did go through the proxy');
  });

  it('goes direct for hosts in NO_PROXY', async () => {
    process.env.HTTPS_PROXY = proxy.url;
    process.env.NO_PROXY = 'example.com, 127.0.0.1';
    const j = await through(secure, { caFile });
    await j.service.password({ serverUrl: secure.url, profileName: 'Direct' }, 'alice', 'alice-password');
    assert.deepEqual(proxy.seen, []);
  });

  it('uses the proxy user and password from the URL, and never shows the password', async () => {
    process.env.HTTP_PROXY = `http://dev:${PROXY_PASSWORD}@${new URL(guarded.url).host}`;
    const j = await through(plain);
    await j.service.password({ serverUrl: plain.url, profileName: 'Guarded' }, 'alice', 'alice-password');
    assert.ok(guarded.seen.length > 0);
  });

  it('says the proxy asks for a password (407) when none is given', async () => {
    process.env.HTTP_PROXY = `http://dev:wrong-${PROXY_PASSWORD}@${new URL(guarded.url).host}`;
    const j = await through(plain);
    j.injected('proxy refuses the credentials (407)');
    await j.fails(() => j.service.password({ serverUrl: plain.url }, 'alice', 'alice-password'), {
      kind: 'network',
      message: /the proxy 127\.0\.0\.1:\d+ \(HTTP_PROXY\) asks for a user name and password \(407/,
      secrets: [PROXY_PASSWORD, `wrong-${PROXY_PASSWORD}`],
    });
  });

  it('says the proxy could not be reached when nothing listens there', async () => {
    const down = await startProxy();
    await down.stop();
    process.env.HTTPS_PROXY = down.url;
    const j = await through(secure, { caFile });
    j.injected('proxy down');
    await j.fails(() => j.service.password({ serverUrl: secure.url }, 'alice', 'alice-password'), {
      kind: 'network',
      message: /the proxy 127\.0\.0\.1:\d+ \(HTTPS_PROXY\) could not be reached \(ECONNREFUSED\)/,
    });
  });

  it('passes a server fault through the proxy unchanged: a reset stays a reset', async () => {
    process.env.HTTP_PROXY = proxy.url;
    const j = await through(plain);
    j.inject({ path: '/auth/cli-login', drop: true }, 'cli-login reset behind a proxy');
    await j.fails(() => j.service.password({ serverUrl: plain.url }, 'alice', 'alice-password'), { kind: 'network', message: /closed/ });
  });

  it('reads the variables as curl does: lower case first, NO_PROXY by host, suffix and port', () => {
    const url = (u: string) => new URL(u);
    assert.equal(proxyFor(url('https://a.example.com'), { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' })?.host, 'lower:2');
    assert.equal(proxyFor(url('http://a.example.com'), { HTTPS_PROXY: 'http://p:1' }), undefined, 'HTTPS_PROXY is not used for http');
    assert.equal(proxyFor(url('https://a.example.com'), { HTTPS_PROXY: 'p:3128' })?.href, 'http://p:3128/');
    for (const noProxy of ['*', 'example.com', '.example.com', '*.example.com', 'a.example.com:443', 'other.org,a.example.com']) {
      assert.equal(proxyFor(url('https://a.example.com'), { HTTPS_PROXY: 'http://p:1', NO_PROXY: noProxy }), undefined, noProxy);
    }
    for (const noProxy of ['ample.com', 'a.example.com:8443', 'b.example.com']) {
      assert.ok(proxyFor(url('https://a.example.com'), { HTTPS_PROXY: 'http://p:1', NO_PROXY: noProxy }), noProxy);
    }
    assert.throws(() => proxyFor(url('https://a.example.com'), { HTTPS_PROXY: 'socks5://p:1080' }), /socks5: , which CoderFlow does not support|uses socks5:/);
  });
});
