// What Test connection says about a TLS certificate: its facts (dates, names, fingerprint) and
// what trusted it.
import type { TlsOptions, TrustApplied } from '../../core/http/tls';
import type { Handshake } from './connectionProbe';
import type { Fact } from './diagnosticStep';
import * as l10n from '@vscode/l10n';

export function trustShort(source: TrustApplied['source']): string {
  switch (source) {
    case 'pinned': return l10n.t('the certificate pinned for this server');
    case 'caFile': return 'profoundCoder.tls.caFile';
    case 'system': return l10n.t('the certificate authorities built into Node');
    case 'none': return l10n.t('the certificate authorities this computer trusts');
  }
}

export function trustedBy(trust: TrustApplied, tls: TlsOptions): string {
  const anchor = trust.anchor ? `: ${trust.anchor.subject.replace(/\n/g, ', ')}` : '';
  switch (trust.source) {
    case 'pinned':
      return l10n.t('the certificate you confirmed for this server, pinned by its SHA-256 fingerprint {0} (profoundCoder.tls.insecure)', trust.anchor?.fingerprint256 ?? '');
    case 'caFile':
      return `profoundCoder.tls.caFile${tls.caFile ? ` (${tls.caFile})` : ''}${anchor}`;
    case 'system':
      return l10n.t('the certificate authorities built into Node{0}', anchor);
    case 'none':
      return l10n.t('the certificate authorities this computer trusts (NODE_EXTRA_CA_CERTS or the system\'s)');
  }
}

export function certificateFacts(shake: Handshake, now: number): Fact[] {
  const facts: Fact[] = [{ label: l10n.t('TLS version'), value: shake.protocol }];
  const certificate = shake.certificate;
  if (!certificate) return [...facts, { label: l10n.t('Certificate'), value: l10n.t('none presented') }];
  const expired = Date.parse(certificate.validTo) < now;
  const early = Date.parse(certificate.validFrom) > now;
  facts.push(
    { label: l10n.t('Subject'), value: certificate.subject },
    { label: l10n.t('Issuer'), value: certificate.issuer },
    { label: l10n.t('Valid from'), value: early ? l10n.t('{0} (not valid yet)', certificate.validFrom) : certificate.validFrom },
    { label: l10n.t('Valid until'), value: expired ? l10n.t('{0} (expired)', certificate.validTo) : certificate.validTo },
    { label: l10n.t('Name matches'), value: shake.nameMismatch ? l10n.t('no: {0}', shake.nameMismatch) : l10n.t('yes') },
  );
  if (certificate.subjectAltName) facts.push({ label: l10n.t('Names'), value: certificate.subjectAltName });
  facts.push({ label: l10n.t('SHA-256 fingerprint'), value: certificate.fingerprint256 });
  return facts;
}
