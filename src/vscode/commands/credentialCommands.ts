// The credential commands: where the credential in use comes from, and whether it works.
import vscode = require('vscode');
import { sourceName } from '../../shared/credentialSource';
import type { Services } from '../../container';
import { connectionTests } from '../connectionTestBundle';
import { hiddenRestrictedSettings } from '../settings';
import type { CommandHandlers } from './commandIds';
import * as l10n from '@vscode/l10n';

export function credentialCommands(services: Services) {
  return {
    'profoundCoder.showCredentialSource': (args?: { quiet?: boolean }) => showCredentialSource(services, args?.quiet === true),
    'profoundCoder.testConnection': (args?: { profileId?: string; serverUrl?: string; quiet?: boolean }) => connectionTests().testConnectionCommand(services, args ?? {}),
    'profoundCoder.forgetTrustedCertificates': (args?: { origins?: unknown }) => forgetTrustedCertificates(services, originsArgument(args?.origins)),
  } satisfies CommandHandlers;
}

/** The origins another extension named (it may pass anything: only strings count), or undefined to ask the person. */
function originsArgument(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.filter((origin): origin is string => typeof origin === 'string') : [];
}

/**
 * The certificates trusted under profoundCoder.tls.insecure, to stop trusting: those of `origins`,
 * or those the person picks. Returns the origins forgotten.
 */
async function forgetTrustedCertificates(services: Pick<Services, 'certificatePins' | 'log'>, origins: string[] | undefined): Promise<string[]> {
  let chosen = origins;
  if (!chosen) {
    const pins = services.certificatePins.list();
    if (pins.length === 0) {
      void vscode.window.showInformationMessage(l10n.t('CoderFlow trusts no certificate of its own: there is nothing to forget.'));
      return [];
    }
    const picked = await vscode.window.showQuickPick(
      pins.map((pin) => ({ label: pin.origin, description: l10n.t('trusted on {0}', pin.pinnedAt.slice(0, 10)), detail: l10n.t('SHA-256 {0}; {1}', pin.fingerprint256, pin.subject), origin: pin.origin })),
      { title: l10n.t('CoderFlow: Forget Trusted Certificates'), placeHolder: l10n.t('The servers whose certificate you trusted with profoundCoder.tls.insecure on'), canPickMany: true, matchOnDetail: true },
    );
    if (!picked || picked.length === 0) return [];
    chosen = picked.map((item) => item.origin);
  }
  const forgotten = await services.certificatePins.forget(chosen);
  if (forgotten.length > 0) services.log.info(`No longer trusting the certificate pinned for ${forgotten.join(', ')}.`);
  if (!origins && forgotten.length > 0) void vscode.window.showInformationMessage(l10n.t('CoderFlow no longer trusts the certificate of {0}.', forgotten.join(', ')));
  return forgotten;
}

async function showCredentialSource(services: Services, quiet: boolean) {
  const state = await services.credentials.refresh();
  const ignoredSettings = [...state.ignoredSettings, ...(await hiddenRestrictedSettings())];
  const lines = state.considered.map((c, i) => `${i + 1}. ${sourceName(c.source)}: ${c.used ? 'USED' : 'skipped'}: ${c.reason}`);
  services.log.info(`Credential sources:\n${[...lines, ...ignoredSettings].join('\n')}`);
  if (!quiet) {
    const items: vscode.QuickPickItem[] = state.considered.map((c) => ({
      label: `${c.used ? '$(pass-filled)' : '$(circle-large-outline)'} ${sourceName(c.source)}`,
      description: c.used ? l10n.t('in use') : l10n.t('skipped'),
      detail: c.reason,
    }));
    for (const note of ignoredSettings) items.push({ label: l10n.t('$(workspace-untrusted) Ignored setting'), detail: note });
    if (state.secretStorageError) items.push({ label: l10n.t('$(error) Secure storage'), detail: state.secretStorageError });
    void vscode.window.showQuickPick(items, {
      title: state.credential ? l10n.t('CoderFlow credential: {0}', state.credential.detail) : l10n.t('CoderFlow: not signed in'),
      placeHolder: l10n.t('Sources in order of priority; the first one with a usable key is used.'),
      matchOnDetail: true,
    });
  }
  return { credential: state.credential ? { source: state.credential.source, detail: state.credential.detail, serverUrl: state.credential.serverUrl } : undefined, considered: state.considered, ignoredSettings };
}
