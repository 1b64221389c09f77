import vscode = require('vscode');
import type { CredentialService, CredentialState } from '../services/credentialService';

/**
 * The context keys the walkthrough's steps complete on (`onContext:` in package.json's
 * contributes.walkthroughs), each set by the event it names.
 */
export const CONTEXT_KEYS = {
  /** A credential resolved, from any source (profile, CLI config, settings). */
  signedIn: 'coderflow.signedIn',
  /** A CoderFlow CLI configuration file was read. */
  cliConfigFound: 'coderflow.cliConfigFound',
  /** The Profile Manager showed the key list of a profile since the last sign-in. */
  keyListShown: 'coderflow.keyListShown',
} as const;

export type ContextKeyName = keyof typeof CONTEXT_KEYS;

/**
 * Sets the context keys through `setContext`, each only when its value changes. VS Code offers no
 * way to read a context key back, so what VS Code accepted is kept here too, for the tests.
 */
export class ContextKeys implements vscode.Disposable {
  private readonly wanted = new Map<ContextKeyName, boolean>();
  private readonly applied = new Map<ContextKeyName, boolean>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(credentials: CredentialService) {
    const follow = (state: CredentialState) => {
      this.set('signedIn', state.credential !== undefined);
      this.set('cliConfigFound', state.cliState?.state === 'ok');
      // The keys shown belonged to a sign-in that is gone. (A walkthrough step, once complete,
      // stays complete: this only keeps the key true to its name.)
      if (state.credential === undefined) this.set('keyListShown', false);
    };
    this.subscriptions.push(credentials.onDidRefresh(follow));
    // The first resolution may have finished before this object existed.
    if (credentials.current().cliState) follow(credentials.current());
  }

  set(name: ContextKeyName, value: boolean): void {
    if (this.wanted.get(name) === value) return;
    this.wanted.set(name, value);
    void vscode.commands.executeCommand('setContext', CONTEXT_KEYS[name], value).then(
      () => {
        // A later change may have been applied first; the last one asked for stands.
        if (this.wanted.get(name) === value) this.applied.set(name, value);
      },
      () => this.wanted.delete(name),
    );
  }

  /** The value VS Code last accepted through setContext; undefined before the first. */
  get(name: ContextKeyName): boolean | undefined {
    return this.applied.get(name);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
