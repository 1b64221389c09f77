// Moving a key found in the workspace's settings into secure storage (workspaceKey.ts asks when).
import vscode = require('vscode');
import type { Services } from '../container';
import { errorText } from '../shared/errorText';
import { removeWorkspaceApiKey, type WorkspaceApiKey } from './settings';
import * as l10n from '@vscode/l10n';

/**
 * Offers the move; on yes, a profile is made from the key and the setting removed, then the key
 * list is offered, since a copy may already be in the repository's history.
 */
export async function moveWorkspaceKey(services: Pick<Services, 'log' | 'signIn'>, found: WorkspaceApiKey): Promise<void> {
  services.log.addSecret(found.apiKey);
  const move = l10n.t('Move to Secure Storage');
  const choice = await vscode.window.showWarningMessage(
    l10n.t('This workspace stores a CoderFlow API key in its settings (profoundCoder.apiKey), in plain text. If the settings are in source control, the key may be there already.'),
    move,
  );
  if (choice !== move) return;
  if (!found.serverUrl) {
    void vscode.window.showErrorMessage(l10n.t('CoderFlow: set profoundCoder.serverUrl in the same workspace settings first, so the key is stored for its server.'));
    return;
  }
  let profileId: string;
  try {
    profileId = (await services.signIn.apiKey({ serverUrl: found.serverUrl }, found.apiKey)).id;
    await removeWorkspaceApiKey(found);
  } catch (e) {
    void vscode.window.showErrorMessage(l10n.t('CoderFlow: the key was not moved. {0}', errorText(e)));
    return;
  }
  const keyList = l10n.t('Open Key List');
  const next = await vscode.window.showWarningMessage(
    l10n.t('CoderFlow: the key is now in secure storage and removed from the workspace settings. A copy may remain in source control: revoke it in the key list and sign in again for a new one.'),
    keyList,
  );
  if (next === keyList) await vscode.commands.executeCommand('profoundCoder.manageApiKeys', { profileId });
}
