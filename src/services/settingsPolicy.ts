import type { SettingsSnapshot } from './credentialService';
import * as l10n from '@vscode/l10n';

/** The values of one setting per scope, as vscode's `inspect()` gives them. */
export interface Inspected {
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

export type Scope = 'workspaceFolderValue' | 'workspaceValue' | 'globalValue';

/** Most specific first, as VS Code applies them; each label looked up in the l10n bundle when used. */
export const SCOPES: ReadonlyArray<readonly [Scope, () => string]> = [
  ['workspaceFolderValue', () => l10n.t('Workspace Folder settings')],
  ['workspaceValue', () => l10n.t('Workspace settings')],
  ['globalValue', () => l10n.t('User settings')],
];
const WORKSPACE_SCOPES = new Set<Scope>(['workspaceFolderValue', 'workspaceValue']);

/** A setting's text, trimmed; undefined when it is not a non-empty string. */
export function settingText(text: unknown): string | undefined {
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
}

export interface RawSettings {
  apiKey?: Inspected;
  serverUrl?: Inspected;
  cliConfigPath?: Inspected;
  cliProfile?: unknown;
}

/**
 * The settings as the credential chain may use them. In an untrusted workspace the workspace's
 * values of the restricted settings are dropped (and said so). A key from profoundCoder.apiKey is
 * paired only with the profoundCoder.serverUrl of the same scope, so a repository's
 * .vscode/settings.json cannot point a key from the user's settings at another server.
 */
export function pickSettings(raw: RawSettings, trusted: boolean): SettingsSnapshot {
  const ignored: string[] = [];
  const usable = (name: string, inspected: Inspected | undefined, userOnly = false): Partial<Record<Scope, string>> => {
    const result: Partial<Record<Scope, string>> = {};
    for (const [scope, label] of SCOPES) {
      const v = settingText(inspected?.[scope]);
      if (v === undefined) continue;
      if (!trusted && WORKSPACE_SCOPES.has(scope)) {
        ignored.push(l10n.t('profoundCoder.{0} in {1} is ignored: this workspace is not trusted.', name, label()));
        continue;
      }
      if (userOnly && WORKSPACE_SCOPES.has(scope)) {
        ignored.push(l10n.t('profoundCoder.{0} in {1} is ignored: it is read from your User settings only.', name, label()));
        continue;
      }
      result[scope] = v;
    }
    return result;
  };
  const apiKeys = usable('apiKey', raw.apiKey);
  const serverUrls = usable('serverUrl', raw.serverUrl);
  // The CLI config decides where CODER_API_KEY goes and where Save to CLI profile writes: a
  // workspace, trusted or not, cannot choose it.
  const cliPaths = usable('cliConfigPath', raw.cliConfigPath, true);

  const snapshot: SettingsSnapshot = { ignored };
  const keyScope = SCOPES.find(([scope]) => apiKeys[scope] !== undefined);
  if (keyScope) {
    const [scope, label] = keyScope;
    snapshot.apiKey = apiKeys[scope];
    snapshot.scope = label();
    const url = serverUrls[scope];
    if (url) snapshot.serverUrl = url;
  }
  const cliPath = SCOPES.map(([scope]) => cliPaths[scope]).find((v) => v !== undefined);
  if (cliPath) snapshot.cliConfigPath = cliPath;
  const cliProfile = settingText(raw.cliProfile);
  if (cliProfile) snapshot.cliProfile = cliProfile;
  return snapshot;
}

/** The server URL to offer in a new sign-in form: the most specific usable value. */
export function pickDefaultServerUrl(serverUrl: Inspected | undefined, trusted: boolean): string | undefined {
  for (const [scope] of SCOPES) {
    if (!trusted && WORKSPACE_SCOPES.has(scope)) continue;
    const v = settingText(serverUrl?.[scope]);
    if (v) return v;
  }
  return undefined;
}
