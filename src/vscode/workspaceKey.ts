import vscode = require('vscode');
import type { Core } from '../container';
import { workspaceApiKey } from './settings';

/**
 * A key in the workspace's .vscode/settings.json may be committed with the repository. Offers to
 * move it into secure storage (a profile is made from it and the setting removed), then to revoke
 * it from the key list, since a copy may already be in the repository's history. Asked once the
 * workspace is trusted and holds a key: at activation, when the person trusts it later, or when a
 * key arrives in its settings.
 */
export function offerToMoveWorkspaceKey(core: Core, activated: Promise<unknown>): vscode.Disposable {
  // One offer per key and window: activation and a later trust grant must not ask twice.
  const offered = new Set<string>();
  const offer = () => {
    if (!vscode.workspace.isTrusted) return;
    const found = workspaceApiKey();
    if (!found || offered.has(found.apiKey)) return;
    offered.add(found.apiKey);
    // The question and the move load with the rest of the actions (dist/actions.js).
    void core.actions().moveWorkspaceKey(core.services(), found);
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
