// The network half of the connection diagnostic: the name lookup, the TCP connection (direct or
// through a proxy's CONNECT tunnel) and the TLS handshake, each observed on its own, so that a
// person sees which of them failed and why. Nothing here sends a key.
import { lookup } from 'node:dns/promises';
import { X509Certificate } from 'node:crypto';
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as l10n from '@vscode/l10n';

export interface NameLookup {
  addresses: string[];
  /** The host is an IP address: nothing was looked up. */
  literal: boolean;
}

export async function lookUpName(hostname: string): Promise<NameLookup> {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) return { addresses: [host], literal: true };
  const found = await lookup(host, { all: true });
  return { addresses: found.map((entry) => entry.address), literal: false };
}

/** The proxy answered the CONNECT request with something other than 200. */
export class ProxyRefusal extends Error {
  constructor(readonly status: string) {
    super(l10n.t('The proxy answered CONNECT with {0}', status));
  }
}

function withTimeout<T>(socket: net.Socket, timeoutMs: number, what: string, run: (resolve: (value: T) => void, reject: (error: Error) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = (error: Error) => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(Object.assign(new Error(l10n.t('{0} timed out', what)), { code: 'ETIMEDOUT' })), timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('error', fail);
    };
    socket.once('error', fail);
    run(
      (value) => {
        cleanup();
        resolve(value);
      },
      fail,
    );
  });
}

/** A TCP connection straight to host:port. */
export function connectDirect(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  const socket = net.connect({ host: host.replace(/^\[|\]$/g, ''), port });
  return withTimeout(socket, timeoutMs, l10n.t('the connection'), (resolve) => socket.once('connect', () => resolve(socket)));
}

/**
 * A CONNECT tunnel to host:port through the proxy, written by hand on a plain socket: in VS Code's
 * extension host the http module is patched to pick a proxy itself, and would send a CONNECT
 * request for a remote proxy through that proxy's own resolution. Resolves with the tunnel and
 * the proxy's status line; a proxy answering anything but 200 rejects with a ProxyRefusal.
 */
export function connectThroughProxy(proxy: URL, host: string, port: number, timeoutMs: number): Promise<{ socket: net.Socket; status: string }> {
  const proxyHost = proxy.hostname.replace(/^\[|\]$/g, '');
  const proxyPort = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
  const socket: net.Socket =
    proxy.protocol === 'https:'
      ? tls.connect({ host: proxyHost, port: proxyPort, ...(net.isIP(proxyHost) ? {} : { servername: proxyHost }) })
      : net.connect({ host: proxyHost, port: proxyPort });
  const target = `${net.isIP(host) === 6 ? `[${host}]` : host}:${port}`;
  const lines = [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`];
  if (proxy.username || proxy.password) {
    const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
    lines.push(`Proxy-Authorization: Basic ${Buffer.from(credentials).toString('base64')}`);
  }
  return withTimeout(socket, timeoutMs, l10n.t('the proxy'), (resolve, reject) => {
    socket.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => socket.write(`${lines.join('\r\n')}\r\n\r\n`));
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16_384) reject(new ProxyRefusal(l10n.t('an answer that is not HTTP')));
        return;
      }
      socket.off('data', onData);
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      const rest = head.subarray(end + 4);
      const match = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\s*(.*)$/.exec(statusLine);
      const status = match ? `${match[1]} ${match[2] ?? ''}`.trim() : l10n.t('an answer that is not HTTP');
      if (match?.[1] !== '200') return reject(new ProxyRefusal(status));
      if (rest.length > 0) socket.unshift(rest);
      resolve({ socket, status });
    };
    socket.on('data', onData);
  });
}

export interface CertificateFacts {
  subject: string;
  issuer: string;
  /** ISO-8601. */
  validFrom: string;
  validTo: string;
  /** SHA-256 of the DER certificate, as colon-separated hex. */
  fingerprint256: string;
  subjectAltName?: string;
  /** The certificate presented and the ones the server sent with it, leaf first. */
  chain: X509Certificate[];
}

export interface Handshake {
  /** e.g. TLSv1.3. */
  protocol: string;
  /** The certificate verified against the authorities given (and the name matched). */
  authorized: boolean;
  /** OpenSSL's or Node's code when not authorized, e.g. CERT_HAS_EXPIRED. */
  refusal?: string;
  certificate?: CertificateFacts;
  /** Why the certificate's names do not cover the host; absent when they do. */
  nameMismatch?: string;
}

function names(entity: Record<string, string | string[] | undefined> | undefined): string {
  if (!entity) return '';
  return Object.entries(entity)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value ?? ''}`)
    .join(', ');
}

function isoDate(text: string): string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toISOString().replace(/\.000Z$/, 'Z');
}

function chainOf(peer: tls.DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  for (let at: tls.DetailedPeerCertificate | undefined = peer; at?.raw && !seen.has(at.fingerprint256); at = at.issuerCertificate) {
    seen.add(at.fingerprint256);
    chain.push(new X509Certificate(at.raw));
  }
  return chain;
}

/**
 * The TLS handshake over an open socket, verified against `ca` (Node's roots when absent) but not
 * refused, so that the certificate of a server that would be refused can be shown too.
 */
export function handshake(socket: net.Socket, hostname: string, ca: tls.SecureContextOptions['ca'], timeoutMs: number): Promise<Handshake> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const secure = tls.connect({ socket, rejectUnauthorized: false, ...(ca ? { ca } : {}), ...(net.isIP(host) ? {} : { servername: host }) });
  return withTimeout(secure, timeoutMs, l10n.t('the TLS handshake'), (resolve) =>
    secure.once('secureConnect', () => {
      const peer = secure.getPeerCertificate(true);
      const hasCertificate = Boolean(peer?.raw);
      const mismatch = hasCertificate ? tls.checkServerIdentity(host, peer) : undefined;
      const refusal = secure.authorizationError;
      const result: Handshake = {
        protocol: secure.getProtocol() ?? 'unknown',
        authorized: secure.authorized,
        ...(refusal ? { refusal: typeof refusal === 'string' ? refusal : (refusal as NodeJS.ErrnoException).code ?? String(refusal) } : {}),
        ...(mismatch ? { nameMismatch: mismatch.message } : {}),
        ...(hasCertificate
          ? {
              certificate: {
                subject: names(peer.subject),
                issuer: names(peer.issuer),
                validFrom: isoDate(peer.valid_from),
                validTo: isoDate(peer.valid_to),
                fingerprint256: peer.fingerprint256,
                ...(peer.subjectaltname ? { subjectAltName: peer.subjectaltname } : {}),
                chain: chainOf(peer),
              },
            }
          : {}),
      };
      secure.destroy();
      resolve(result);
    }),
  );
}
