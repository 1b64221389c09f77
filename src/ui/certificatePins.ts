import { isIP } from 'node:net';
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { AuthError } from '../auth/errors';
import { PinnedCertificate, pinnableCertificate, type CertificatePins } from '../auth/tls';
import { connectDirect, connectThroughProxy, handshake, type Handshake } from '../session/connectionProbe';
import { chooseProxy } from '../session/proxyChoice';

// profoundCoder.tls.insecure: a server whose certificate no authority vouches for is trusted by
// the certificate it presents, pinned per server (origin) once the person has seen its host and
// SHA-256 fingerprint and confirmed. Pins are not secrets: they live in globalState.

const STATE_KEY = 'profoundCoder.tls.pinnedCertificates';
const PROBE_TIMEOUT_MS = 10_000;
const PinsByOrigin = z.record(z.string(), PinnedCertificate);

/** What the person is asked before a certificate is pinned. */
export interface PinQuestion {
  origin: string;
  host: string;
  /** Of the certificate to pin. */
  subject: string;
  validTo: string;
  fingerprint256: string;
  /** The certificate to pin is the authority the server sent along, not the server's own. */
  isAuthority: boolean;
  /** The certificate pinned before, when the server now presents another one. */
  previous?: PinnedCertificate;
}

export class CertificatePinStore implements CertificatePins {
  /**
   * Asks the person; a modal. Host tests replace it through the testing hooks, as a modal cannot
   * be answered from the extension host.
   */
  ask: (question: PinQuestion) => Promise<boolean> = askWithModal;
  /** One question per server at a time, however many requests were refused together. */
  private readonly asking = new Map<string, Promise<boolean>>();

  constructor(private readonly state: vscode.Memento) {}

  get(origin: string): PinnedCertificate | undefined {
    return this.all()[origin];
  }

  confirm(origin: string): Promise<boolean> {
    let pending = this.asking.get(origin);
    if (!pending) {
      pending = this.askAndPin(origin).finally(() => this.asking.delete(origin));
      this.asking.set(origin, pending);
    }
    return pending;
  }

  private all(): Record<string, PinnedCertificate> {
    const parsed = PinsByOrigin.safeParse(this.state.get(STATE_KEY));
    return parsed.success ? parsed.data : {};
  }

  private async askAndPin(origin: string): Promise<boolean> {
    const host = new URL(origin).host;
    const shake = await presentedCertificate(new URL(origin));
    const presented = shake.certificate;
    if (!presented) throw new AuthError('tls', `${host} presented no certificate.`);
    if (shake.nameMismatch) {
      // Trusting it would not help: the name is checked whoever vouches for the certificate.
      throw new AuthError('tls', `The certificate presented by ${host} was issued for a different host name (${shake.nameMismatch}).`, {
        fix: 'Check the server URL: use the host name the certificate was issued for (ask your administrator which one).',
        detail: 'ERR_TLS_CERT_ALTNAME_INVALID',
      });
    }
    const anchor = pinnableCertificate(presented.chain);
    if (!anchor) {
      throw new AuthError('tls', `The certificate of ${host} was issued by a certificate authority that the server does not send along (${presented.issuer}), so it cannot be trusted by its fingerprint.`, {
        fix: 'Set profoundCoder.tls.caFile to a PEM file with that certificate authority\'s certificate (ask your administrator for it).',
      });
    }
    const previous = this.get(origin);
    const question: PinQuestion = {
      origin,
      host,
      subject: anchor.subject.replace(/\n/g, ', '),
      validTo: new Date(anchor.validTo).toISOString().slice(0, 10),
      fingerprint256: anchor.fingerprint256,
      isAuthority: anchor.fingerprint256 !== presented.chain[0]?.fingerprint256,
      ...(previous ? { previous } : {}),
    };
    if (!(await this.ask(question))) return false;
    const pin: PinnedCertificate = { origin, fingerprint256: anchor.fingerprint256, pem: anchor.toString(), subject: question.subject, pinnedAt: new Date().toISOString() };
    await this.state.update(STATE_KEY, { ...this.all(), [origin]: pin });
    return true;
  }
}

/**
 * The certificate the server presents, by the route the client's requests take. The client
 * brings its own agent for https, which VS Code keeps unless `http.proxySupport` is "override"
 * (createHttpPatch in @vscode/proxy-agent 0.32): only then does a proxy apply.
 */
async function presentedCertificate(url: URL): Promise<Handshake> {
  const http = vscode.workspace.getConfiguration('http');
  const proxySupport = http.get<string>('proxySupport') ?? 'override';
  const proxy =
    proxySupport === 'override'
      ? chooseProxy(url, { proxySupport, proxySetting: http.get<string>('proxy'), noProxySetting: http.get<string[]>('noProxy'), env: process.env }).url
      : undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  if (proxy && isIP(host)) {
    // https-proxy-agent (VS Code 1.100) sends no server name for an IP address, so Node checks the
    // certificate against the proxy's name, or "localhost" when the proxy too is an IP address.
    throw new AuthError('tls', `Through a proxy, VS Code checks the certificate of a server addressed by IP address (${host}) against another name, so trusting it would not help.`, {
      fix: 'Use the server\'s host name in the server URL, or list the server in http.noProxy.',
    });
  }
  try {
    const socket = proxy ? (await connectThroughProxy(proxy, host, port, PROBE_TIMEOUT_MS)).socket : await connectDirect(host, port, PROBE_TIMEOUT_MS);
    return await handshake(socket, host, undefined, PROBE_TIMEOUT_MS);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
    throw new AuthError('tls', `Could not read the certificate ${url.host} presents, to show it to you (${reason}).`, {
      fix: 'Check the server URL and your network or proxy; or set profoundCoder.tls.caFile to the certificate authority of the server.',
      cause: e,
    });
  }
}

async function askWithModal(question: PinQuestion): Promise<boolean> {
  const trust = 'Trust This Certificate';
  const intro = question.previous
    ? `${question.host} now presents another certificate than the one you trusted on ${question.previous.pinnedAt.slice(0, 10)} (SHA-256 ${question.previous.fingerprint256}). A server's certificate changes when it is renewed, and also when someone intercepts the connection: ask its administrator before trusting it.`
    : `No certificate authority this computer trusts vouches for ${question.host}. profoundCoder.tls.insecure is on, so you may trust the certificate it presents, for this server only.`;
  const detail = [
    intro,
    'Compare this SHA-256 fingerprint with the one the server\'s administrator gives you:',
    question.fingerprint256,
    `${question.isAuthority ? 'Certificate authority that issued the server\'s certificate' : 'Certificate'}: ${question.subject}, valid until ${question.validTo}.`,
  ].join('\n\n');
  const choice = await vscode.window.showWarningMessage(`Trust the certificate of ${question.origin}?`, { modal: true, detail }, trust);
  return choice === trust;
}
