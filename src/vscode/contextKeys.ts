import * as vscode from 'vscode';
import type { CredentialState } from '../services/credentialService';
import type { Services } from '../container';

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

  constructor(services: Pick<Services, 'credentials'>) {
    const follow = (state: CredentialState) => {
      this.set('signedIn', state.credential !== undefined);
      this.set('cliConfigFound', state.cliState?.state === 'ok');
      // The keys shown belonged to a sign-in that is gone. (A walkthrough step, once complete,
      // stays complete: this only keeps the key true to its name.)
      if (state.credential === undefined) this.set('keyListShown', false);
    };
    this.subscriptions.push(services.credentials.onDidRefresh(follow));
    // The first resolution may have finished before this object existed.
    if (services.credentials.current().cliState) follow(services.credentials.current());
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

const instances = new WeakMap<Services, ContextKeys>();

/** The one ContextKeys of an activation, made on first use. */
export function contextKeysFor(services: Services): ContextKeys {
  let keys = instances.get(services);
  if (!keys) {
    keys = new ContextKeys(services);
    instances.set(services, keys);
    services.context.subscriptions.push(keys);
  }
  return keys;
}
