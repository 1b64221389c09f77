// Signing a profile out: the question whether to revoke its key, then forgetting the key.
import vscode = require('vscode');
import type { Services } from '../container';
import { revokeProfileKey } from './profileKeyRevocation';
import * as l10n from '@vscode/l10n';

/**
 * Forgets the profile's key and, when the person agrees (the default for keys this extension
 * made), revokes it on the server. Resolves false when the person declined.
 */
export async function signOut(services: Pick<Services, 'credentials' | 'log' | 'makeClient' | 'store'>, profileId?: string, revoke?: boolean): Promise<boolean> {
  const { store } = services;
  const profile = profileId !== undefined ? store.get(profileId) : store.selected();
  if (!profile) {
    void vscode.window.showInformationMessage(l10n.t('No CoderFlow profile is signed in. Keys from the CLI configuration or the settings are managed there.'));
    return false;
  }
  if (!profile.keyHint) {
    void vscode.window.showInformationMessage(l10n.t("CoderFlow profile '{0}' is signed out already.", profile.name));
    return false;
  }
  let revokeKey = revoke;
  if (revokeKey === undefined) {
    const revokeLabel = l10n.t('Sign Out and Revoke Key');
    const keepLabel = l10n.t('Sign Out, Keep Key on Server');
    const buttons = profile.createdByExtension ? [revokeLabel, keepLabel] : [keepLabel, revokeLabel];
    const choice = await vscode.window.showWarningMessage(
      l10n.t("Sign out of CoderFlow profile '{0}'?", profile.name),
      {
        modal: true,
        detail: profile.createdByExtension
          ? l10n.t('The key "{0}" was made for this device when you signed in; revoking it means it can no longer be used anywhere.', profile.keyName ?? 'VS Code')
          : l10n.t('This key was pasted in; it may be used elsewhere too (the CLI, scripts).'),
      },
      ...buttons,
    );
    if (!choice) return false;
    revokeKey = choice === revokeLabel;
  }
  if (revokeKey) await revokeProfileKey(services, profile);
  await store.signOut(profile.id);
  services.log.info(`Signed out of profile '${profile.name}'${revokeKey ? ' and revoked its key' : ''}.`);
  await services.credentials.refresh();
  return true;
}
