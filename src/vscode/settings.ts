import vscode = require('vscode');
import type { CertificatePins, TlsOptions } from '../core/http/tls';
import type { SettingsSnapshot } from '../services/credentialService';
import { pickDefaultServerUrl, pickSettings, settingText } from '../services/settingsPolicy';
import type { ProxyInputs } from '../services/connectionCheck/proxyChoice';
import * as l10n from '@vscode/l10n';

const SECTION = 'profoundCoder';

function configuration(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION, vscode.workspace.workspaceFolders?.[0]?.uri);
}

/** The settings as the credential chain may use them: see pickSettings for the rules. */
export function readSettings(): SettingsSnapshot {
  const config = configuration();
  return pickSettings(
    {
      apiKey: config.inspect('apiKey'),
      serverUrl: config.inspect('serverUrl'),
      cliConfigPath: config.inspect('cliConfigPath'),
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
  for (const [scope, target] of [
    ['workspaceFolderValue', vscode.ConfigurationTarget.WorkspaceFolder],
    ['workspaceValue', vscode.ConfigurationTarget.Workspace],
  ] as const) {
    const apiKey = settingText(config.inspect<string>('apiKey')?.[scope]);
    if (apiKey) {
      const serverUrl = settingText(config.inspect<string>('serverUrl')?.[scope]);
      return { apiKey, ...(serverUrl ? { serverUrl } : {}), target };
    }
  }
  return undefined;
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
