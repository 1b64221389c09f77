// What other extensions get from `vscode.extensions.getExtension('profoundlogic.coderflow-vscode').exports`,
// and, under test, what the tests inspect.
import vscode = require('vscode');
import type { Method } from './core/http/fetchWithTimeout';
import type { Credential } from './core/credentialChain';
import type { Core, Services } from './container';
import type { ProfileStore } from './profiles/store';
import { publicCredential, type PublicCredential } from './services/publicCredential';
import type { CertificatePinStore } from './vscode/certificateTrust';
import type { ContextKeys } from './vscode/contextKeys';
import type { KeyActions } from './vscode/keyManagement/keyActions';

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
  readonly onDidShowInputBox: vscode.Event<vscode.InputBox>;
  /** The certificates trusted per server under profoundCoder.tls.insecure; tests answer its question with `ask`. */
  readonly certificatePins: CertificatePinStore;
  /** The clients every part of the extension uses, with the TLS settings and pins as they are now. */
  readonly makeClient: Services['makeClient'];
  /** The credential in use with its key, which the public API never gives. */
  credential(): Promise<Credential | undefined>;
  /** The key lifecycle's actions, with the confirmations that the commands always ask (`confirmed`, `replace`). */
  readonly keyActions: KeyActions;
  /** Signs a profile out, revoking its key or not, without asking. */
  signOut(profileId: string, revoke: boolean): Promise<boolean>;
}

/** The API over the Core; `ready` settles when activation's first credential resolution has. */
export function createApi(core: Core, ready: Promise<unknown>, test?: { authProvider: vscode.AuthenticationProvider; logLines: string[] }): CoderFlowApi {
  const { context, store, credentials } = core;
  const profileOf = (credential: Credential | undefined) => (credential?.source === 'profile' ? store.selected() : undefined);
  const publicChanged = new vscode.EventEmitter<PublicCredential | undefined>();
  context.subscriptions.push(publicChanged, credentials.onDidChangeCredential((c) => publicChanged.fire(publicCredential(c, profileOf(c)))));
  const currentCredential = async () => {
    await ready;
    return (await credentials.refresh()).credential;
  };
  const api: CoderFlowApi = {
    async getCredential() {
      const credential = await currentCredential();
      return publicCredential(credential, profileOf(credential));
    },
    onDidChangeCredential: publicChanged.event,
    // The client loads with the first request (dist/actions.js).
    request: async (path, init) => core.actions().requestAsPerson(core, ready, path, init),
  };
  if (!test) return api;
  let testing: TestingHooks | undefined;
  return Object.defineProperty(api, 'testing', {
    // Made (dist/actions.js, src/testingHooks.ts) when a test first asks for it.
    get: () => (testing ??= core.actions().testingHooks(core, currentCredential, test)),
    enumerable: true,
  });
}
