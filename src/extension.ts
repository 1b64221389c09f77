// Activation: builds the Core (src/container.ts), registers what VS Code shows (the commands, the
// Profile Manager view, the authentication provider, the status bar), returns the API (src/api.ts).
// Everything a person's action needs loads on that action (src/actions.ts). Nothing here touches
// the network; the one file read is the CoderFlow CLI config, by the credential service.
import vscode = require('vscode');
import { createApi, type CoderFlowApi } from './api';
import { createCore } from './container';
import { PROFILE_MANAGER_VIEW_ID } from './profileManager/viewId';
import type { ProfileManagerViewProvider } from './profileManager/viewProvider';
import { CoderFlowAuthenticationProvider, AUTH_PROVIDER_ID } from './vscode/authProvider';
import { registerCommands } from './vscode/commands/commandRegistration';
import { watchKeyExpiry } from './vscode/keyWatch';
import { affectsCredentialSettings } from './vscode/settings';
import { createStatusBar } from './vscode/statusBar';
import { watchTerminalSetting } from './vscode/terminalSwitch';
import { offerToMoveWorkspaceKey } from './vscode/workspaceKey';

export function activate(context: vscode.ExtensionContext): CoderFlowApi {
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const logLines: string[] = [];
  const core = createCore(context, testMode ? (line) => logLines.push(line) : undefined);
  const { log, credentials } = core;

  // The Profile Manager's host (dist/profileManager.js, with the page's message schemas) loads when
  // the view first opens.
  let view: ProfileManagerViewProvider | undefined;
  const profileManager = (): ProfileManagerViewProvider => {
    if (!view) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { ProfileManagerViewProvider: Provider } = require('./profileManager.js') as typeof import('./profileManager/viewProvider');
      view = new Provider(context.extensionUri, new (core.actions().ProfileManagerBackendImpl)(core.services()), (line) => log.info(line));
    }
    return view;
  };
  const authProvider = new CoderFlowAuthenticationProvider(
    core,
    () => core.actions().signIn(core.services(), undefined),
    (id) => core.actions().signOut(core.services(), id),
    (credential) => core.actions().explainSessionRemoval(credential),
  );
  context.subscriptions.push(
    { dispose: () => view?.dispose() },
    authProvider,
    vscode.window.registerWebviewViewProvider(PROFILE_MANAGER_VIEW_ID, {
      resolveWebviewView: (webviewView) => profileManager().resolveWebviewView(webviewView),
    }),
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, 'CoderFlow', authProvider, { supportsMultipleAccounts: false }),
    ...registerCommands(() => core.actions().commandHandlers(core.services(), { showProfileManager: async () => vscode.commands.executeCommand(`${PROFILE_MANAGER_VIEW_ID}.focus`) })),
    createStatusBar(core),
    watchKeyExpiry(core),
    watchTerminalSetting(core),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsCredentialSettings(e)) void credentials.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void credentials.refresh()),
    credentials.onDidChangeCredential((c) => log.addSecret(c?.apiKey)),
  );

  const ready = credentials.refresh().catch((e: unknown) => {
    log.error('Could not resolve the CoderFlow credential', e);
    return undefined;
  });
  context.subscriptions.push(offerToMoveWorkspaceKey(core, ready));
  return createApi(core, ready, testMode ? { authProvider, logLines } : undefined);
}

export function deactivate(): void {}
