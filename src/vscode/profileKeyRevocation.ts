// Revoking a profile's own key on its server when it signs out or is removed, best effort.
import vscode = require('vscode');
import { toAuthError } from '../core/errors';
import type { ProfileMeta } from '../profiles/profile';
import { errorText } from '../shared/errorText';
import type { Services } from '../container';
import * as l10n from '@vscode/l10n';

/** Best effort: the local sign-out goes ahead even when the server cannot be reached. */
export async function revokeProfileKey(services: Pick<Services, 'makeClient' | 'store'>, profile: ProfileMeta): Promise<void> {
  const key = await services.store.getKey(profile.id);
  if (!key) {
    // Revoking needs the key itself; a window without it (signed in elsewhere) must not pretend.
    if (profile.keyHint) {
      void vscode.window.showWarningMessage(
        l10n.t("CoderFlow: this window does not hold the key of '{0}' (it was signed in in another window), so nothing was revoked on the server. Revoke it with CoderFlow: Manage API Keys where that profile is signed in.", profile.name),
      );
    }
    return;
  }
  try {
    const client = services.makeClient(profile.serverUrl, key);
    const keyId = profile.keyId ?? (await findOwnKeyId(client, profile));
    if (!keyId) throw new Error(l10n.t('the server did not list a key this profile could be matched with'));
    await client.deleteKey(keyId);
  } catch (e) {
    void vscode.window.showWarningMessage(
      l10n.t("CoderFlow: the key of '{0}' could not be revoked on the server and may still be live: {1} Revoke it later with CoderFlow: Manage API Keys.", profile.name, errorText(toAuthError(e))),
    );
  }
}

async function findOwnKeyId(client: ReturnType<Services['makeClient']>, profile: ProfileMeta): Promise<string | undefined> {
  if (!profile.keyName) return undefined;
  const matches = (await client.listKeys()).filter((k) => k.name === profile.keyName);
  return matches.length === 1 ? matches[0]?.id : undefined;
}
