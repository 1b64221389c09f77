// Revoking keys the person chose: the confirmation, the revocation, and what is told afterwards.
import vscode = require('vscode');
import { AuthError } from '../../core/errors';
import type { ApiKeyInfo } from '../../core/http/protocol';
import { revokeKeys, type KeyService, type RevokeOutcome } from '../../services/apiKeys/apiKeyService';
import { STALE_AFTER_DAYS } from '../../shared/keyDates';
import type { Services } from '../../container';
import type { KeyTarget } from './keyListing';
import * as l10n from '@vscode/l10n';

/**
 * Revokes `chosen`, first asking the person unless `confirmed`; resolves undefined when they
 * declined. A profile whose own key is revoked is signed out, and the credential resolved again.
 */
export async function revokeChosen(
  services: Pick<Services, 'credentials' | 'currentClient' | 'log'>,
  keys: KeyService,
  target: KeyTarget,
  chosen: ApiKeyInfo[],
  ownKeyId: string | undefined,
  options: { confirmed: boolean; stale: boolean },
): Promise<RevokeOutcome | undefined> {
  if (chosen.length === 0) return { revoked: [], failed: [], signedOut: false };
  if (!options.confirmed && !(await confirmRevoke(target, chosen, ownKeyId, options.stale))) return undefined;
  let outcome: RevokeOutcome;
  if (target.kind === 'profile') {
    outcome = await keys.revoke(target.profile.id, chosen);
  } else {
    const current = services.currentClient();
    if (!current) throw new AuthError('bad-input', l10n.t('Not signed in to CoderFlow.'));
    outcome = await revokeKeys(current.client, chosen, undefined, (line) => services.log.info(line));
  }
  if (outcome.signedOut) await services.credentials.refresh();
  if (outcome.failed.length > 0) {
    void vscode.window.showErrorMessage(l10n.t('CoderFlow: {0}', revokeFailureText(outcome)));
  } else if (outcome.signedOut && target.kind === 'profile') {
    void vscode.window.showInformationMessage(l10n.t("CoderFlow: the key of '{0}' is revoked, so the profile is signed out.", target.profile.name));
  }
  return outcome;
}

async function confirmRevoke(target: KeyTarget, chosen: ApiKeyInfo[], ownKeyId: string | undefined, stale: boolean): Promise<boolean> {
  const own = chosen.some((k) => k.id === ownKeyId);
  const button = stale ? l10n.t('Revoke Stale Keys') : l10n.t('Revoke');
  const first = chosen[0];
  const message =
    chosen.length === 1 && first
      ? stale
        ? l10n.t('Revoke the API key "{0}", unused for {1} days or more?', first.name, STALE_AFTER_DAYS)
        : l10n.t('Revoke the API key "{0}"?', first.name)
      : stale
        ? l10n.t('Revoke {0} API keys unused for {1} days or more?', chosen.length, STALE_AFTER_DAYS)
        : l10n.t('Revoke {0} API keys?', chosen.length);
  const names = chosen.length > 1 ? `${chosen.map((k) => `"${k.name}"`).join(', ')}. ` : '';
  const detail = own && target.kind === 'profile'
    ? l10n.t("{0}It is the key profile '{1}' is signed in with: the profile will be signed out.", names, target.profile.name)
    : chosen.length === 1
      ? l10n.t('{0}Anything that uses it (the CLI, scripts, other devices) stops working at once.', names)
      : l10n.t('{0}Anything that uses them (the CLI, scripts, other devices) stops working at once.', names);
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, button);
  return choice === button;
}

/** Which keys could not be revoked and why (they are still live), then which were. */
export function revokeFailureText(outcome: RevokeOutcome): string {
  const failed = outcome.failed.map((k) => `"${k.name}" (${k.message})`).join('; ');
  const done = outcome.revoked.length > 0 ? ` ${l10n.t('Revoked: {0}.', outcome.revoked.map((k) => `"${k.name}"`).join(', '))}` : '';
  const notRevoked = outcome.failed.length === 1 ? l10n.t('This key was not revoked and is still live: {0}.', failed) : l10n.t('These keys were not revoked and are still live: {0}.', failed);
  return `${notRevoked}${done}`;
}
