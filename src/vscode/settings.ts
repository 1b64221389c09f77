import vscode = require('vscode');
import type { CertificatePins, TlsOptions } from '../core/http/tls';
import type { SettingsSnapshot } from '../services/credentialService';
import { pickDefaultServerUrl, pickSettings, settingText, type Inspected } from '../services/settingsPolicy';
import type { ProxyInputs } from '../services/connectionCheck/proxyChoice';
import * as l10n from '@vscode/l10n';

const SECTION = 'profoundCoder';

/**
 * Folder settings of their own exist only in a multi-root workspace (one with a workspace file);
 * in a single-folder window the folder's settings are the workspace's. VS Code merges and keeps a
 * copy of the whole configuration for each folder it is asked about, so ask only when it matters;
 * otherwise for any resource (`null`: without a scope VS Code logs a warning for each read of a
 * resource-scoped setting).
 */
function configuration(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, vscode.workspace.workspaceFile ? (vscode.workspace.workspaceFolders?.[0]?.uri ?? null) : null);
}

/**
 * A setting's value in every scope, or undefined when its value where it applies is empty, as it
 * is in most windows: then no scope is asked, since the first inspect() of a window makes VS Code
 * keep parsed copies of every settings scope. An empty value in a narrower scope hides a wider
 * one's, as VS Code applies settings.
 */
function inspectIfSet(config: vscode.WorkspaceConfiguration, name: string): Inspected | undefined {
  return settingText(config.get(name)) === undefined ? undefined : config.inspect(name);
}

/** The settings as the credential chain may use them: see pickSettings for the rules. */
export function readSettings(): SettingsSnapshot {
  const config = configuration();
  const apiKey = inspectIfSet(config, 'apiKey');
  return pickSettings(
    {
      // profoundCoder.serverUrl is read only as the server of a key from the same scope.
      ...(apiKey ? { apiKey, serverUrl: config.inspect('serverUrl') } : {}),
      cliConfigPath: inspectIfSet(config, 'cliConfigPath'),
      cliProfile: config.get('cliProfile'),
    },
    vscode.workspace.isTrusted,
  );
}

export function defaultServerUrl(): string | undefined {
  return pickDefaultServerUrl(configuration().inspect('serverUrl'), vscode.workspace.isTrusted);
}

/** A key in the workspace's (or a folder's) own settings file, which may be committed to source control, with the server URL of the same scope. */
export interface WorkspaceApiKey {
  apiKey: string;
  serverUrl?: string;
  target: vscode.ConfigurationTarget;
}

/** The key of the narrowest workspace scope that sets one. */
export function workspaceApiKey(): WorkspaceApiKey | undefined {
  const config = configuration();
  const apiKeys = inspectIfSet(config, 'apiKey');
  if (!apiKeys) return undefined;
  const serverUrls = config.inspect('serverUrl');
  for (const [scope, target] of [
    ['workspaceFolderValue', vscode.ConfigurationTarget.WorkspaceFolder],
    ['workspaceValue', vscode.ConfigurationTarget.Workspace],
  ] as const) {
    const apiKey = settingText(apiKeys[scope]);
    if (apiKey) {
      const serverUrl = settingText(serverUrls?.[scope]);
      return { apiKey, ...(serverUrl ? { serverUrl } : {}), target };
    }
  }
  return undefined;
}

/** Removes that key from the settings file it was found in (the same scope `workspaceApiKey` read). */
export function removeWorkspaceApiKey(found: WorkspaceApiKey): Thenable<void> {
  return configuration().update('apiKey', undefined, found.target);
}

/** The TLS settings (application scope: no workspace can change them); `pins` apply only while tls.insecure is on. */
export function tlsOptions(pins: CertificatePins): TlsOptions {
  const config = vscode.workspace.getConfiguration(SECTION);
  const caFile = settingText(config.get<string>('tls.caFile'));
  return { ...(caFile ? { caFile } : {}), ...(config.get<boolean>('tls.insecure') === true ? { pins } : {}) };
}

export function affectsCredentialSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}

const RESTRICTED = ['apiKey', 'serverUrl', 'cliConfigPath'] as const;

/**
 * In Restricted Mode VS Code itself hides a workspace's values of the restricted settings, even
 * from `inspect()`. To tell the person that their repository's settings are being ignored, look
 * at the folders' .vscode/settings.json text for those names. Read on demand (Show Credential
 * Source, the Profile Manager), never at activation.
 */
export async function hiddenRestrictedSettings(): Promise<string[]> {
  if (vscode.workspace.isTrusted) return [];
  const notes: string[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json')));
    } catch {
      continue;
    }
    for (const name of RESTRICTED) {
      if (new RegExp(`"${SECTION}\\.${name}"\\s*:`).test(text)) {
        notes.push(l10n.t("{0}.{1} in the settings of '{2}' is ignored: this workspace is not trusted.", SECTION, name, folder.name));
      }
    }
  }
  return notes;
}

/** VS Code's proxy settings as chooseProxy (src/services/connectionCheck/proxyChoice.ts) reads them, with the environment. */
export function proxySettings(): ProxyInputs {
  const http = vscode.workspace.getConfiguration('http');
  return { proxySupport: http.get<string>('proxySupport'), proxySetting: http.get<string>('proxy'), noProxySetting: http.get<string[]>('noProxy'), env: process.env };
}
