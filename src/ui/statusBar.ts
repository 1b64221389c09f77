import * as vscode from 'vscode';
import type { Credential, CredentialSource } from '../auth/resolve';
import type { Services } from './services';

const SOURCE_LABEL: Record<CredentialSource, string> = {
  profile: 'Profile',
  'cli-env': 'CODER_API_KEY',
  'cli-profile': 'CLI profile',
  'cli-base': 'CLI config',
  setting: 'Settings',
};

/** Who you are signed in as, and from where, at a glance; a warning look when the server refuses the key. */
export function createStatusBar(services: Services): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('profoundCoder.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'CoderFlow';
  item.command = 'profoundCoder.openProfileManager';

  const render = () => {
    const credential = services.credentials.credential;
    const health = services.health.current;
    if (!credential) {
      item.text = '$(sign-in) CoderFlow: Sign in';
      item.tooltip = 'Not signed in to CoderFlow. Click to open the Profile Manager.';
      item.backgroundColor = undefined;
      item.accessibilityInformation = { label: 'CoderFlow: not signed in. Open the Profile Manager.' };
      item.show();
      return;
    }
    const name = label(credential, services);
    const problem = health === 'invalid-api-key' ? 'The server refused the key (401).' : health === 'forbidden' ? 'The server answered 403 Forbidden.' : undefined;
    item.text = `${problem ? '$(warning)' : '$(account)'} ${name}`;
    item.backgroundColor = problem ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**CoderFlow** — ${escape(credential.detail)}\n\n`);
    tooltip.appendMarkdown(`Server: ${escape(credential.serverUrl)}\n\n`);
    const user = userOf(credential, services);
    if (user) tooltip.appendMarkdown(`User: ${escape(user)}\n\n`);
    tooltip.appendMarkdown(`Source: ${SOURCE_LABEL[credential.source]}\n\n`);
    if (problem) tooltip.appendMarkdown(`$(warning) ${problem}\n\n`);
    tooltip.appendMarkdown('Click to open the Profile Manager.');
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: `CoderFlow: ${name}, ${SOURCE_LABEL[credential.source]}${problem ? `. ${problem}` : ''}` };
    item.show();
  };

  render();
  const subscriptions = [
    services.credentials.onDidChangeCredential(() => {
      services.health.set('unknown');
      render();
    }),
    services.health.onDidChange(render),
    services.store.onDidChange(render),
  ];
  return vscode.Disposable.from(item, ...subscriptions);
}

function label(credential: Credential, services: Services): string {
  if (credential.source === 'profile') {
    const profile = activeProfile(services);
    if (profile) return profile.name;
  }
  return `${SOURCE_LABEL[credential.source]}: ${new URL(credential.serverUrl).host}`;
}

function userOf(credential: Credential, services: Services): string | undefined {
  if (credential.source !== 'profile') return undefined;
  const profile = activeProfile(services);
  return profile?.displayName ? `${profile.displayName} (${profile.username})` : profile?.username;
}

function activeProfile(services: Services) {
  return services.store.selected();
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
