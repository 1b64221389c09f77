import * as z from 'zod/mini';
import { AuthError } from '../core/errors';
import { PinnedCertificate, pinnableCertificate, type CertificatePins } from '../core/http/tls';
import type { Memento } from '../profiles/store';
import type { Handshake } from './connectionCheck/connectionProbe';
import * as l10n from '@vscode/l10n';

// profoundCoder.tls.insecure: a server whose certificate no authority vouches for is trusted by
// the certificate it presents, pinned per server (origin) once the person has seen the server and
// the certificate's SHA-256 fingerprint and confirmed. Pins are not secrets: they live in
// globalState. How the certificate is read (the route) and how the person is asked are given by
// the vscode layer.

export const PINS_STATE_KEY = 'profoundCoder.tls.pinnedCertificates';
const PinsByOrigin = z.record(z.string(), PinnedCertificate);

/** What the person is asked before a certificate is pinned. */
export interface PinQuestion {
  origin: string;
  host: string;
  /** Of the certificate to pin. */
  subject: string;
  /** YYYY-MM-DD */
  validTo: string;
  fingerprint256: string;
  /** The certificate to pin is the authority the server sent along, not the server's own. */
  isAuthority: boolean;
  /** The certificate pinned before, when the server now presents another one. */
  previous?: PinnedCertificate;
}

export class PinnedCertificates implements CertificatePins {
  /** One question per server at a time, however many requests were refused together. */
  private readonly asking = new Map<string, Promise<boolean>>();

  /**
   * @param readCertificate the TLS handshake with the server, not refusing what it presents
   * @param ask asks the person; true when they trust the certificate
   */
  constructor(
    private readonly state: Memento,
    private readonly readCertificate: (url: URL) => Promise<Handshake>,
    public ask: (question: PinQuestion) => Promise<boolean>,
  ) {}

  get(origin: string): PinnedCertificate | undefined {
    return this.all()[origin];
  }

  /** Every certificate trusted, one per server. */
  list(): PinnedCertificate[] {
    return Object.values(this.all());
  }

  /**
   * Stops trusting the certificates of `origins`: a request to such a server is then refused as
   * before, and with profoundCoder.tls.insecure on the person is asked again. Returns the origins
   * that had one.
   */
  async forget(origins: readonly string[]): Promise<string[]> {
    const all = this.all();
    const forgotten = origins.filter((origin) => Object.prototype.hasOwnProperty.call(all, origin));
    if (forgotten.length > 0) await this.state.update(PINS_STATE_KEY, Object.fromEntries(Object.entries(all).filter(([origin]) => !forgotten.includes(origin))));
    return forgotten;
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
    const parsed = PinsByOrigin.safeParse(this.state.get(PINS_STATE_KEY));
    return parsed.success ? parsed.data : {};
  }

  private async askAndPin(origin: string): Promise<boolean> {
    const host = new URL(origin).host;
    const shake = await this.readCertificate(new URL(origin));
    const presented = shake.certificate;
    if (!presented) throw new AuthError('tls', l10n.t('{0} presented no certificate.', host));
    if (shake.nameMismatch) {
      // Trusting it would not help: the name is checked whoever vouches for the certificate.
      throw new AuthError('tls', l10n.t('The certificate presented by {0} was issued for a different host name ({1}).', host, shake.nameMismatch), {
        fix: l10n.t('Check the server URL: use the host name the certificate was issued for (ask your administrator which one).'),
        detail: 'ERR_TLS_CERT_ALTNAME_INVALID',
      });
    }
    const anchor = pinnableCertificate(presented.chain);
    if (!anchor) {
      throw new AuthError('tls', l10n.t('The certificate of {0} was issued by a certificate authority that the server does not send along ({1}), so it cannot be trusted by its fingerprint.', host, presented.issuer), {
        fix: l10n.t('Set profoundCoder.tls.caFile to a PEM file with that certificate authority\'s certificate (ask your administrator for it).'),
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
    await this.state.update(PINS_STATE_KEY, { ...this.all(), [origin]: pin });
    return true;
  }
}
