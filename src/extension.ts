import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { Method } from './core/http/fetchWithTimeout';
import { AuthError } from './core/errors';
import type { Credential } from './core/credentialChain';
import { ProfileStore } from './profiles/store';
import { CredentialService } from './services/credentialService';
import { publicCredential, type PublicCredential } from './services/publicCredential';
import { SignInService } from './services/signInService';
import { CoderFlowAuthenticationProvider, AUTH_PROVIDER_ID } from './vscode/authProvider';
import { ProfileManagerBackendImpl } from './profileManager/backend';
import { registerCommands, signIn, signOut } from './vscode/commands/commands';
import type { KeyActions } from './vscode/keyManagement/keyActions';
import { contextKeysFor, type ContextKeys } from './vscode/contextKeys';
import { createLog } from './vscode/log';
import type { ProfileManagerViewProvider } from './profileManager/viewProvider';
import { onDidShowInputBox } from './vscode/prompts';
import { CertificatePinStore } from './vscode/certificateTrust';
import { clientFactory, HealthTracker, type Services } from './container';
import { affectsCredentialSettings, readSettings } from './vscode/settings';
import { createStatusBar } from './vscode/statusBar';
import { TerminalKeyInjector } from './vscode/terminal';
import { offerToMoveWorkspaceKey } from './vscode/workspaceKey';
import * as l10n from '@vscode/l10n';

const PROFILE_MANAGER_VIEW = 'profoundCoder.profileManager';

/** What other extensions get from `vscode.extensions.getExtension('profoundlogic.coderflow-vscode').exports`. */
export interface CoderFlowApi {
  /**
   * The credential in use (server URL, where it came from, user, key id, masked key), or undefined
   * when not signed in. Never the key: an extension that needs it asks VS Code for the session,
   * `vscode.authentication.getSession('coderflow', [])`, and VS Code asks the person first.
   */
  getCredential(): Promise<PublicCredential | undefined>;
  readonly onDidChangeCredential: vscode.Event<PublicCredential | undefined>;
  /**
   * Calls a CoderFlow endpoint (a path relative to the server URL, e.g. "/auth/me") with the
   * credential in use, through the shared client, acting as the person without revealing the key.
   * Rejects with an AuthError ({ kind, message, fix }).
   */
  request(path: string, init?: { method?: Method; body?: unknown; signal?: AbortSignal }): Promise<unknown>;
  /** Only when the extension runs under test (ExtensionMode.Test): what the tests inspect. */
  readonly testing?: TestingHooks;
}

export interface TestingHooks {
  secrets: vscode.SecretStorage;
  globalState: vscode.Memento;
  workspaceState: vscode.Memento;
  store: ProfileStore;
  /** The `coderflow` authentication provider as VS Code calls it. */
  authProvider: vscode.AuthenticationProvider;
  /** Every log line as written (after redaction). */
  logLines: string[];
  /** What new integrated terminals get (CODER_API_KEY with profoundCoder.terminal.injectApiKey on). */
  environmentVariableCollection: vscode.GlobalEnvironmentVariableCollection;
  /** The context keys the walkthrough completes on, as last set (VS Code cannot read them back). */
  contextKeys: ContextKeys;
  /** Each input box the palette's sign-in shows: tests type into it and accept or close it with VS Code's commands. */
  onDidShowInputBox: vscode.Event<vscode.InputBox>;
  /** The certificates trusted per server under profoundCoder.tls.insecure; tests answer its question with `ask`. */
  certificatePins: CertificatePinStore;
  /** The clients every part of the extension uses, with the TLS settings and pins as they are now. */
  makeClient: Services['makeClient'];
  /** The credential in use with its key, which the public API never gives. */
  credential(): Promise<Credential | undefined>;
  /** The key lifecycle's actions, with the confirmations that the commands always ask (`confirmed`, `replace`). */
  keyActions: KeyActions;
  /** Signs a profile out, revoking its key or not, without asking. */
  signOut(profileId: string, revoke: boolean): Promise<boolean>;
}

// Wiring only: builds the objects, registers them, returns the public API. Nothing here touches
// the network; the one file read is the CoderFlow CLI config, by the credential service.
export function activate(context: vscode.ExtensionContext): CoderFlowApi {
  // First: every user-facing text goes through @vscode/l10n's t, which has no bundle until given
  // VS Code's for the display language (none for English, whose texts are in the sources).
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const logLines: string[] = [];
  const log = createLog(context, testMode ? (line) => logLines.push(line) : undefined);
  const store = new ProfileStore(context.globalState, context.secrets, context.workspaceState, { log: (line) => log.warn(line) });
  const certificatePins = new CertificatePinStore(context.globalState);
  const makeClient = clientFactory(log, certificatePins);
  const credentials = new CredentialService({
    store,
    settings: readSettings,
    env: process.env,
    homedir: homedir(),
    log: (line) => log.info(line),
  });
  const health = new HealthTracker();
  let keyActions: KeyActions | undefined;
  const services: Services = {
    context,
    log,
    store,
    credentials,
    health,
    makeClient,
    certificatePins,
    signIn: new SignInService(store, makeClient, (line) => log.info(line)),
    currentClient() {
      const credential = credentials.credential;
      return credential ? { credential, client: makeClient(credential.serverUrl, credential.apiKey) } : undefined;
    },
    // Key management, rotation and the CLI sharing load on the first key action (or when the key in
    // use may be near its expiry, src/vscode/keyWatch.ts), from a bundle of their own next to this one.
    keyActions() {
      if (!keyActions) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { KeyActions: Actions } = require('./keys.js') as typeof import('./vscode/keyManagement/keyActions');
        keyActions = new Actions(services, terminal);
      }
      return keyActions;
    },
  };
  // CODER_API_KEY of new terminals follows the credential from activation on.
  const terminal = new TerminalKeyInjector(services);

  // The Profile Manager's host (with the page's message schemas) loads when the view first opens:
  // building those schemas is a few milliseconds every window would pay at startup otherwise.
  let view: ProfileManagerViewProvider | undefined;
  const profileManager = (): ProfileManagerViewProvider => {
    if (!view) {
      // A bundle of its own next to this one (scripts/build.mjs).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { ProfileManagerViewProvider: Provider } = require('./profileManager.js') as typeof import('./profileManager/viewProvider');
      view = new Provider(context.extensionUri, new ProfileManagerBackendImpl(services), (line) => log.info(line));
    }
    return view;
  };
  const authProvider = new CoderFlowAuthenticationProvider(
    services,
    () => signIn(services, undefined),
    (id) => signOut(services, id),
  );
  context.subscriptions.push(
    store,
    credentials,
    terminal,
    { dispose: () => view?.dispose() },
    authProvider,
    vscode.window.registerWebviewViewProvider(PROFILE_MANAGER_VIEW, {
      resolveWebviewView: (webviewView) => profileManager().resolveWebviewView(webviewView),
    }),
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, 'CoderFlow', authProvider, { supportsMultipleAccounts: false }),
    ...registerCommands(services, { showProfileManager: async () => vscode.commands.executeCommand(`${PROFILE_MANAGER_VIEW}.focus`) }),
    createStatusBar(services),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (affectsCredentialSettings(e)) void credentials.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void credentials.refresh()),
    credentials.onDidChangeCredential((c) => log.addSecret(c?.apiKey)),
  );

  // The walkthrough's steps complete on these (package.json, contributes.walkthroughs).
  contextKeysFor(services);
  const ready = credentials.refresh().catch((e: unknown) => {
    log.error('Could not resolve the CoderFlow credential', e);
    return undefined;
  });
  context.subscriptions.push(offerToMoveWorkspaceKey(services, ready));

  const profileOf = (credential: Credential | undefined) => (credential?.source === 'profile' ? store.selected() : undefined);
  const publicChanged = new vscode.EventEmitter<PublicCredential | undefined>();
  context.subscriptions.push(publicChanged, credentials.onDidChangeCredential((c) => publicChanged.fire(publicCredential(c, profileOf(c)))));
  const currentCredential = async () => {
    await ready;
    return (await credentials.refresh()).credential;
  };

  return {
    async getCredential() {
      const credential = await currentCredential();
      return publicCredential(credential, profileOf(credential));
    },
    onDidChangeCredential: publicChanged.event,
    async request(path, init) {
      await ready;
      const current = services.currentClient();
      if (!current) throw new AuthError('bad-input', l10n.t('Not signed in to CoderFlow.'), { fix: l10n.t('Sign in from the CoderFlow Profile Manager.') });
      try {
        const answer = await current.client.request(path, init);
        health.observe(undefined);
        return answer;
      } catch (e) {
        health.observe(e);
        throw e;
      }
    },
    ...(testMode
      ? { testing: { secrets: context.secrets, globalState: context.globalState, workspaceState: context.workspaceState, store, authProvider, logLines, environmentVariableCollection: context.environmentVariableCollection, onDidShowInputBox, certificatePins, makeClient, credential: currentCredential, get keyActions() { return services.keyActions(); }, contextKeys: contextKeysFor(services), signOut: (profileId: string, revoke: boolean) => signOut(services, profileId, revoke) } }
      : {}),
  };
}

export function deactivate(): void {}
