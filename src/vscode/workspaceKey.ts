import * as vscode from 'vscode';
import { errorText } from '../shared/errorText';
import type { Services } from '../container';
import { workspaceApiKey } from './settings';
import * as l10n from '@vscode/l10n';

/**
 * A key in the workspace's .vscode/settings.json may be committed with the repository. Offers to
 * move it into secure storage (a profile is made from it and the setting removed), then to revoke
 * it from the key list, since a copy may already be in the repository's history. Asked once the
 * workspace is trusted and holds a key: at activation, when the person trusts it later, or when a
 * key arrives in its settings.
 */
export function offerToMoveWorkspaceKey(services: Services, activated: Promise<unknown>): vscode.Disposable {
  // One offer per key and window: activation and a later trust grant must not ask twice.
  const offered = new Set<string>();
  const offer = () => {
    const found = workspaceApiKey();
    if (!found || !vscode.workspace.isTrusted || offered.has(found.apiKey)) return;
    offered.add(found.apiKey);
    void moveWorkspaceKey(services, found);
  };
  void activated.then(offer);
  // VS Code applies the workspace's restricted settings after it reports the trust grant, so the
  // key may show up in the settings only a moment later; a key pulled in later counts too.
  return vscode.Disposable.from(
    vscode.workspace.onDidGrantWorkspaceTrust(offer),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('profoundCoder.apiKey')) offer();
    }),
  );
}

async function moveWorkspaceKey(services: Services, found: NonNullable<ReturnType<typeof workspaceApiKey>>): Promise<void> {
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
    await vscode.workspace.getConfiguration('profoundCoder', vscode.workspace.workspaceFolders?.[0]?.uri).update('apiKey', undefined, found.target);
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
