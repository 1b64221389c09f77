import * as vscode from 'vscode';
import type { TlsOptions } from '../auth/client';
import type { SettingsSnapshot } from '../session/credentials';

const SECTION = 'profoundCoder';

type Scope = 'workspaceFolderValue' | 'workspaceValue' | 'globalValue';
const SCOPES: ReadonlyArray<[Scope, string]> = [
  ['workspaceFolderValue', 'Workspace Folder settings'],
  ['workspaceValue', 'Workspace settings'],
  ['globalValue', 'User settings'],
];
const WORKSPACE_SCOPES = new Set<Scope>(['workspaceFolderValue', 'workspaceValue']);

function value(text: unknown): string | undefined {
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
}

/**
 * The settings as the credential chain may use them. In an untrusted workspace the workspace's
 * values of the restricted settings are dropped (and said so). A key from profoundCoder.apiKey is
 * paired only with the profoundCoder.serverUrl of the same scope, so a repository's
 * .vscode/settings.json cannot point a key from the user's settings at another server.
 */
export function readSettings(): SettingsSnapshot {
  const config = vscode.workspace.getConfiguration(SECTION, vscode.workspace.workspaceFolders?.[0]?.uri);
  const trusted = vscode.workspace.isTrusted;
  const ignored: string[] = [];
  const inspectRestricted = (name: string) => {
    const inspected = config.inspect<string>(name);
    const result: Partial<Record<Scope, string>> = {};
    for (const [scope, label] of SCOPES) {
      const v = value(inspected?.[scope]);
      if (v === undefined) continue;
      if (!trusted && WORKSPACE_SCOPES.has(scope)) {
        ignored.push(`profoundCoder.${name} in ${label} is ignored: this workspace is not trusted.`);
        continue;
      }
      result[scope] = v;
    }
    return result;
  };

  const apiKeys = inspectRestricted('apiKey');
  const serverUrls = inspectRestricted('serverUrl');
  const cliPaths = inspectRestricted('cliConfigPath');
  const keyScope = SCOPES.find(([scope]) => apiKeys[scope] !== undefined);
  const snapshot: SettingsSnapshot = { ignored };
  if (keyScope) {
    const [scope, label] = keyScope;
    snapshot.apiKey = apiKeys[scope];
    snapshot.scope = label;
    const url = serverUrls[scope];
    if (url) snapshot.serverUrl = url;
  }
  const cliPath = SCOPES.map(([scope]) => cliPaths[scope]).find((v) => v !== undefined);
  if (cliPath) snapshot.cliConfigPath = cliPath;
  const cliProfile = value(config.get<string>('cliProfile'));
  if (cliProfile) snapshot.cliProfile = cliProfile;
  return snapshot;
}

/** The server URL to offer in a new sign-in form: the most specific usable profoundCoder.serverUrl. */
export function defaultServerUrl(): string | undefined {
  const config = vscode.workspace.getConfiguration(SECTION, vscode.workspace.workspaceFolders?.[0]?.uri);
  const inspected = config.inspect<string>('serverUrl');
  for (const [scope] of SCOPES) {
    if (!vscode.workspace.isTrusted && WORKSPACE_SCOPES.has(scope)) continue;
    const v = value(inspected?.[scope]);
    if (v) return v;
  }
  return undefined;
}

/** A key in the workspace's own settings file, which may be committed to source control. */
export function workspaceApiKey(): { apiKey: string; serverUrl?: string; target: vscode.ConfigurationTarget } | undefined {
  const config = vscode.workspace.getConfiguration(SECTION, vscode.workspace.workspaceFolders?.[0]?.uri);
  for (const [scope, target] of [
    ['workspaceFolderValue', vscode.ConfigurationTarget.WorkspaceFolder],
    ['workspaceValue', vscode.ConfigurationTarget.Workspace],
  ] as const) {
    const apiKey = value(config.inspect<string>('apiKey')?.[scope]);
    if (apiKey) {
      const serverUrl = value(config.inspect<string>('serverUrl')?.[scope]);
      return { apiKey, ...(serverUrl ? { serverUrl } : {}), target };
    }
  }
  return undefined;
}

export function tlsOptions(): TlsOptions {
  const config = vscode.workspace.getConfiguration(SECTION);
  const caFile = value(config.get<string>('tls.caFile'));
  return { ...(caFile ? { caFile } : {}), insecure: config.get<boolean>('tls.insecure') === true };
}

export function affectsCredentialSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}
