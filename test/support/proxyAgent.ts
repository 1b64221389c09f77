// Proxy support for the auth core run in plain Node, as the tests run it. The extension host
// does not need it: VS Code already routes Node's http/https through the
// `http.proxy` setting and the system proxy. Requests go through an HTTP CONNECT tunnel (for
// https and plain http alike), so the proxy never sees a key inside an https request.
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import { DEFAULT_TIMEOUT_MS, type AgentOption } from '../../src/core/http/client';
import { tlsAgentOptions, type TlsOptions } from '../../src/core/http/tls';
import { AuthError } from '../../src/core/errors';
import * as l10n from '@vscode/l10n';

type Env = Readonly<Record<string, string | undefined>>;

interface Proxy {
  url: URL;
  /** The variable it came from, to name in messages. */
  from: string;
}

function firstSet(env: Env, names: string[]): Proxy | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (!value) continue;
    let url: URL;
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
    } catch {
      throw new AuthError('bad-input', l10n.t('The proxy in {0} is not a valid URL.', name), { fix: l10n.t('Set {0} to a URL such as http://proxy.example.com:3128.', name) });
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new AuthError('bad-input', l10n.t('The proxy in {0} uses {1}, which CoderFlow does not support.', name, url.protocol), {
        fix: l10n.t('Set {0} to an http:// or https:// proxy.', name),
      });
    }
    return { url, from: name };
  }
  return undefined;
}

function bare(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** NO_PROXY as curl reads it: `*`, host names (a leading dot or `*.` covers subdomains), optional `:port`. */
function bypasses(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = bare(url.hostname);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const match = /^(.*?)(?::(\d+))?$/.exec(entry.startsWith('[') ? entry.replace(/^\[([^\]]+)\]/, '$1') : entry);
      const name = bare((match?.[1] ?? entry).replace(/^\*?\./, ''));
      if (match?.[2] && match[2] !== port) return false;
      return host === name || host.endsWith(`.${name}`);
    });
}

/** The proxy a request to url goes through under these variables, or undefined for a direct connection. */
export function proxyFor(url: URL, env: Env = process.env): URL | undefined {
  const proxy = url.protocol === 'https:' ? firstSet(env, ['https_proxy', 'HTTPS_PROXY']) : firstSet(env, ['http_proxy', 'HTTP_PROXY']);
  if (!proxy || bypasses(url, env.no_proxy ?? env.NO_PROXY)) return undefined;
  return proxy.url;
}

type Done = (error: Error | null, stream: Duplex) => void;

/**
 * Opens a CONNECT tunnel to host:port. A failure is reported without a `code`, so that the client
 * says it was the proxy, not the server, that failed. The proxy's password is never in a message.
 */
function openTunnel(proxy: Proxy, host: string, port: number, tlsOptions: https.AgentOptions, done: (error: Error | null, socket?: Socket) => void): void {
  const target = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const where = l10n.t('the proxy {0} ({1})', proxy.url.host, proxy.from);
  const headers: Record<string, string> = { Host: target };
  if (proxy.url.username || proxy.url.password) {
    const credentials = `${decodeURIComponent(proxy.url.username)}:${decodeURIComponent(proxy.url.password)}`;
    headers['Proxy-Authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  const options = { host: bare(proxy.url.hostname), port: proxy.url.port, method: 'CONNECT', path: target, headers, agent: false as const };
  const request = proxy.url.protocol === 'https:' ? https.request({ ...tlsOptions, ...options }) : http.request(options);
  request.setTimeout(DEFAULT_TIMEOUT_MS, () => request.destroy(new Error(l10n.t('{0} did not answer', where))));
  request.once('connect', (response, socket) => {
    if (response.statusCode === 200) return done(null, socket);
    socket.destroy();
    const status = `${response.statusCode ?? ''} ${response.statusMessage ?? ''}`.trim();
    const reason = response.statusCode === 407 ? l10n.t('asks for a user name and password') : l10n.t('refused to connect to the server');
    done(new Error(`${where} ${reason} (${status})`));
  });
  request.once('error', (e: NodeJS.ErrnoException) => {
    done(new Error(e.message.startsWith(where) ? e.message : l10n.t('{0} could not be reached ({1})', where, e.code ?? e.message)));
  });
  request.end();
}

class HttpTunnelAgent extends http.Agent {
  constructor(private readonly proxy: Proxy) {
    super();
  }

  override createConnection(options: http.ClientRequestArgs, done: Done): undefined {
    openTunnel(this.proxy, options.hostname ?? options.host ?? 'localhost', Number(options.port ?? 80), {}, (error, socket) => done(error, socket as Duplex));
    return undefined;
  }
}

class HttpsTunnelAgent extends https.Agent {
  constructor(
    private readonly proxy: Proxy,
    private readonly tlsOptions: https.AgentOptions,
  ) {
    super(tlsOptions);
  }

  override createConnection(options: http.ClientRequestArgs, done: Done): undefined {
    const host = options.hostname ?? options.host ?? 'localhost';
    openTunnel(this.proxy, host, Number(options.port ?? 443), this.tlsOptions, (error, socket) => {
      if (error || !socket) return done(error, socket as Duplex);
      // TLS to the server runs inside the tunnel, with the client's own trust settings. `host` names
      // the server for the certificate check: without it (an IP address sends no SNI) Node would
      // check the certificate against the proxy's address, the socket's.
      const secure = tls.connect({ ...this.tlsOptions, socket, host, ...(isIP(host) ? {} : { servername: host }) });
      done(null, secure);
    });
    return undefined;
  }
}

/**
 * An `agent` option for CoderFlowClient from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case),
 * applying tls to the server's certificate; undefined when no proxy is set. Unsupported or
 * malformed proxy URLs are an AuthError.
 */
export async function proxyAgentFromEnv(tlsSettings?: TlsOptions, env: Env = process.env): Promise<AgentOption | undefined> {
  const forHttps = firstSet(env, ['https_proxy', 'HTTPS_PROXY']);
  const forHttp = firstSet(env, ['http_proxy', 'HTTP_PROXY']);
  if (!forHttps && !forHttp) return undefined;
  const tlsOptions = await tlsAgentOptions(tlsSettings);
  const direct = new https.Agent(tlsOptions);
  const viaHttps = forHttps && new HttpsTunnelAgent(forHttps, tlsOptions);
  const viaHttp = forHttp && new HttpTunnelAgent(forHttp);
  const noProxy = env.no_proxy ?? env.NO_PROXY;
  return (url: URL) => {
    const secure = url.protocol === 'https:';
    const tunnel = secure ? viaHttps : viaHttp;
    if (tunnel && !bypasses(url, noProxy)) return tunnel;
    return secure ? direct : undefined;
  };
}
