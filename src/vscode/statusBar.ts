import vscode = require('vscode');
import type { Credential } from '../core/credentialChain';
import { sourceName } from '../shared/credentialSource';
import type { Core } from '../container';
import * as l10n from '@vscode/l10n';

/** Who you are signed in as, and from where, at a glance; a warning look when the server refuses the key. */
export function createStatusBar(core: Core): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('profoundCoder.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'CoderFlow';
  item.command = 'profoundCoder.openProfileManager';

  const render = () => {
    const credential = core.credentials.credential;
    const health = core.health.current;
    if (!credential) {
      item.text = l10n.t('$(sign-in) CoderFlow: Sign in');
      item.tooltip = l10n.t('Not signed in to CoderFlow. Click to open the Profile Manager.');
      item.backgroundColor = undefined;
      item.accessibilityInformation = { label: l10n.t('CoderFlow: not signed in. Open the Profile Manager.') };
      item.show();
      return;
    }
    const name = label(credential, core);
    const problem = health === 'invalid-api-key' ? l10n.t('The server refused the key (401).') : health === 'forbidden' ? l10n.t('The server answered 403 Forbidden.') : undefined;
    item.text = `${problem ? '$(warning)' : '$(account)'} ${name}`;
    item.backgroundColor = problem ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    // Plain text, not a MarkdownString: VS Code converts a markdown tooltip with its markdown
    // lexer, and the first use in an extension host keeps some 450 KB of heap (measured with
    // npm run bench); plain text also leaves nothing in a server's answer to escape.
    const user = userOf(credential, core);
    item.tooltip = [
      `CoderFlow — ${credential.detail}`,
      l10n.t('Server: {0}', credential.serverUrl),
      ...(user ? [l10n.t('User: {0}', user)] : []),
      l10n.t('Source: {0}', sourceName(credential.source)),
      ...(problem ? [problem] : []),
      l10n.t('Click to open the Profile Manager.'),
    ].join('\n');
    item.accessibilityInformation = {
      label: problem ? l10n.t('CoderFlow: {0}, {1}. {2}', name, sourceName(credential.source), problem) : l10n.t('CoderFlow: {0}, {1}', name, sourceName(credential.source)),
    };
    item.show();
  };

  render();
  const subscriptions = [
    core.credentials.onDidChangeCredential(() => {
      core.health.set('unknown');
      render();
    }),
    core.health.onDidChange(render),
    core.store.onDidChange(render),
  ];
  return vscode.Disposable.from(item, ...subscriptions);
}

function label(credential: Credential, core: Core): string {
  if (credential.source === 'profile') {
    const profile = activeProfile(core);
    if (profile) return profile.name;
  }
  return `${sourceName(credential.source)}: ${new URL(credential.serverUrl).host}`;
}

function userOf(credential: Credential, core: Core): string | undefined {
  if (credential.source !== 'profile') return undefined;
  const profile = activeProfile(core);
  return profile?.displayName ? `${profile.displayName} (${profile.username})` : profile?.username;
}

function activeProfile(core: Core) {
  return core.store.selected();
}
