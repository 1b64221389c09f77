import * as vscode from 'vscode';
import { decideTerminalKey, TERMINAL_KEY_VARIABLE, type TerminalKeyDecision } from '../session/keysTerminal';
import type { Services } from './services';

export const INJECT_SETTING = 'terminal.injectApiKey';

/**
 * With `profoundCoder.terminal.injectApiKey` on, new integrated terminals get the key in use as
 * CODER_API_KEY, so `coder` there acts as the same user; it follows profile switches and sign-out,
 * and is cleared when the setting is turned off. The collection is not persistent: VS Code would
 * otherwise keep the key in its own storage, outside SecretStorage, across restarts.
 */
export class TerminalKeyInjector implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private last: string | undefined;
  private readonly told = new Set<string>();

  constructor(
    private readonly services: Services,
    private readonly collection: vscode.GlobalEnvironmentVariableCollection = services.context.environmentVariableCollection,
  ) {
    collection.persistent = false;
    this.subscriptions.push(
      services.credentials.onDidChangeCredential(() => this.update()),
      services.store.onDidChange(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`profoundCoder.${INJECT_SETTING}`)) this.update();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()),
    );
    this.update();
  }

  /** Puts the variable in or takes it out, as the setting, the credential and the CLI config say now. */
  update(): TerminalKeyDecision {
    const { credentials, store } = this.services;
    const state = credentials.current();
    const selected = store.selectedId();
    const profileName = state.credential?.source === 'profile' && selected ? store.get(selected)?.name : undefined;
    const decision = decideTerminalKey({
      enabled: vscode.workspace.getConfiguration('profoundCoder').get<boolean>(INJECT_SETTING) === true,
      workspaceTrusted: vscode.workspace.isTrusted,
      credential: state.credential,
      cli: state.cliState,
      ...(profileName ? { profileName } : {}),
    });
    if (decision.inject) {
      this.collection.replace(TERMINAL_KEY_VARIABLE, decision.apiKey);
      this.collection.description = decision.description;
    } else {
      this.collection.clear();
      this.collection.description = undefined;
    }
    // The log says what changed, once; the key itself is redacted by the log.
    const summary = decision.inject ? `New terminals get ${TERMINAL_KEY_VARIABLE}: ${decision.description}.` : `New terminals get no ${TERMINAL_KEY_VARIABLE}: ${decision.reason}`;
    if (summary !== this.last) {
      this.last = summary;
      this.services.log.info(summary);
      if (!decision.inject && decision.notify && !this.told.has(decision.reason)) {
        this.told.add(decision.reason);
        void vscode.window.showWarningMessage(`CoderFlow did not give new terminals ${TERMINAL_KEY_VARIABLE}. ${decision.reason}`);
      }
    }
    return decision;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collection.clear();
  }
}
