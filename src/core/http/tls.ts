// What the client trusts for a server's certificate: Node's built-in authorities, a CA file
// (profoundCoder.tls.caFile), or a certificate the person confirmed for that one server and that
// is pinned by its SHA-256 fingerprint (profoundCoder.tls.insecure).
//
// Trust is expressed only as the `ca` of the client's agent, never as `rejectUnauthorized: false`,
// because `ca` is the only part of that agent VS Code keeps. In VS Code 1.100 the extension
// host's https.request is patched by @vscode/proxy-agent 0.32 (createHttpPatch): with
// `http.proxySupport` "override", VS Code's default, the agent a request brings is replaced by
// VS Code's own for every host but `localhost` and `127.0.0.1`, and only `agent.options.ca` is
// copied onto the request; it then reaches the TLS connection, direct or inside a proxy's CONNECT
// tunnel (https-proxy-agent). Verification cannot be switched off there; a pinned certificate,
// given as `ca`, holds on every path.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type * as https from 'node:https';
import { rootCertificates } from 'node:tls';
import * as z from 'zod/mini';
import { AuthError } from '../errors';
import * as l10n from '@vscode/l10n';

/** A certificate the person trusted for one server (origin), as stored. Not a secret. */
export const PinnedCertificate = z.object({
  /** https://host[:port] */
  origin: z.string(),
  /** SHA-256 of the certificate, colon-separated upper-case hex, as X509Certificate gives it. */
  fingerprint256: z.string().check(z.regex(/^(?:[0-9A-F]{2}:){31}[0-9A-F]{2}$/)),
  /** The certificate itself (PEM): what the client trusts for this origin. */
  pem: z.string(),
  subject: z.string(),
  /** ISO-8601. */
  pinnedAt: z.string(),
});
export type PinnedCertificate = z.infer<typeof PinnedCertificate>;

/** The certificates pinned per server, and the question that pins one (the vscode layer asks). */
export interface CertificatePins {
  /** The certificate pinned for origin, if the person confirmed one. */
  get(origin: string): PinnedCertificate | undefined;
  /**
   * origin's certificate was refused as untrusted: show the person the certificate the server
   * presents and pin it if they confirm. True when one was pinned: the request is then tried once
   * more. Rejects with an AuthError when that certificate cannot be pinned.
   */
  confirm(origin: string): Promise<boolean>;
}

export interface TlsOptions {
  /** PEM text of extra certificate authorities to trust, besides the built-in ones. */
  ca?: string;
  /** A PEM file of extra certificate authorities (profoundCoder.tls.caFile). */
  caFile?: string;
  /**
   * Present when profoundCoder.tls.insecure is on: a server whose certificate no authority
   * vouches for may be trusted by its fingerprint once the person confirms it.
   */
  pins?: CertificatePins;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in PEM text; a block that does not parse is skipped (it trusts nothing). */
export function certificatesIn(pem: string): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const block of pem.match(PEM_CERTIFICATE) ?? []) {
    try {
      out.push(new X509Certificate(block));
    } catch {
      // skipped: see above
    }
  }
  return out;
}

/** The text of profoundCoder.tls.caFile, checked to hold a PEM certificate. */
export async function readCaFile(path: string): Promise<string> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new AuthError('tls', l10n.t('The certificate file {0} could not be read ({1}).', path, code), {
      fix: l10n.t('Check the path in profoundCoder.tls.caFile.'),
      detail: code,
      cause: e,
    });
  }
  if (!pem.includes(l10n.t('-----BEGIN CERTIFICATE-----'))) {
    throw new AuthError('tls', l10n.t('The file {0} holds no PEM certificate.', path), {
      fix: l10n.t('profoundCoder.tls.caFile must name a PEM file (text starting with -----BEGIN CERTIFICATE-----).'),
    });
  }
  return pem;
}

/**
 * The TLS options of an https.Agent for a server (origin): the built-in authorities plus the CA
 * file; for a server with a pinned certificate, that certificate (and the CA file) alone, so that
 * the server must keep presenting it. Also for a proxy agent's maker.
 */
export async function tlsAgentOptions(tls: TlsOptions | undefined, origin?: string): Promise<https.AgentOptions> {
  const extra: string[] = [];
  if (tls?.ca) extra.push(tls.ca);
  if (tls?.caFile) extra.push(await readCaFile(tls.caFile));
  const pinned = origin === undefined ? undefined : tls?.pins?.get(origin);
  if (pinned) return { ca: [pinned.pem, ...extra] };
  // `ca` replaces Node's built-in roots, so they are passed along with the extra ones.
  return extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {};
}

/** Node's codes for a certificate that no trusted authority vouches for (and only those). */
const UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
]);

/** Whether an error is a refusal of the server's certificate as untrusted (not expired, not the wrong name). */
export function isUntrustedCertificate(error: unknown): error is AuthError {
  return error instanceof AuthError && error.kind === 'tls' && error.detail !== undefined && UNTRUSTED_CODES.has(error.detail);
}

function isSelfSigned(certificate: X509Certificate): boolean {
  return certificate.checkIssued(certificate) && certificate.verify(certificate.publicKey);
}

/**
 * The certificate to pin from a chain as the server presents it (leaf first): the last one, when
 * it is self-signed (a self-signed server certificate, or a private authority the server sends
 * along). Undefined when the chain's authority is not sent: Node accepts only a self-signed
 * certificate as a trust anchor (no partial chains), and VS Code passes no option to change that.
 */
export function pinnableCertificate(chain: readonly X509Certificate[]): X509Certificate | undefined {
  const top = chain[chain.length - 1];
  return top && isSelfSigned(top) ? top : undefined;
}

/** The anchor among `anchors` that the chain (leaf first, each issued by the next) ends in. */
function anchorOf(chain: readonly X509Certificate[], anchors: readonly X509Certificate[]): X509Certificate | undefined {
  for (let i = 0; i < chain.length; i++) {
    const certificate = chain[i];
    const anchor = anchors.find((a) => a.fingerprint256 === certificate.fingerprint256 || (certificate.checkIssued(a) && certificate.verify(a.publicKey)));
    if (anchor) return anchor;
    const next = chain[i + 1];
    if (!next || !(certificate.checkIssued(next) && certificate.verify(next.publicKey))) return undefined;
  }
  return undefined;
}

let builtInRoots: X509Certificate[] | undefined;

export type TrustSource = 'pinned' | 'caFile' | 'system' | 'none';

export interface TrustApplied {
  source: TrustSource;
  /** The certificate that vouches for the server's: the pinned one, the CA file's, or a built-in authority. */
  anchor?: X509Certificate;
}

/**
 * Which trust accepts a server's certificate chain (leaf first, as presented), in the order the
 * client applies it: the certificate pinned for the server, else the CA file's authorities, else
 * Node's built-in authorities ('system'). 'none': none of them (VS Code may still trust it through
 * the operating system's store, which it adds only to requests that bring no `ca`, and which an
 * extension cannot read). Signatures and issuers are checked; dates and the host name are not.
 */
export function trustApplied(chain: readonly X509Certificate[], trust: { caPem?: string; pinned?: PinnedCertificate }): TrustApplied {
  if (trust.pinned) {
    const anchor = anchorOf(chain, certificatesIn(trust.pinned.pem));
    if (anchor) return { source: 'pinned', anchor };
  }
  if (trust.caPem) {
    const anchor = anchorOf(chain, certificatesIn(trust.caPem));
    if (anchor) return { source: 'caFile', anchor };
  }
  builtInRoots ??= rootCertificates.map((pem) => new X509Certificate(pem));
  const anchor = anchorOf(chain, builtInRoots);
  return anchor ? { source: 'system', anchor } : { source: 'none' };
}
