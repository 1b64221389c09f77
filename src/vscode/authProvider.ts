import * as vscode from 'vscode';
import type { Credential, CredentialSource } from '../core/credentialChain';
import type { ProfileMeta } from '../profiles/profile';
import type { Core } from '../container';
import { sourceName } from '../shared/credentialSource';
import * as l10n from '@vscode/l10n';

export const AUTH_PROVIDER_ID = 'coderflow';

/** Where a credential that is not a Profile Manager profile lives, and how to stop using it. */
// Getters: each text is looked up in the l10n bundle when used, after activation loaded it.
const REMOVE_HINT: Record<Exclude<CredentialSource, 'profile'>, string> = {
  get 'cli-env'() {
    return l10n.t('Unset CODER_API_KEY in the environment VS Code was started from, then restart VS Code.');
  },
  get 'cli-profile'() {
    return l10n.t('Remove the key from that CLI profile (for example with the coder CLI), or choose another CLI profile.');
  },
  get 'cli-base'() {
    return l10n.t('Remove the base apiKey from the CLI config (for example with the coder CLI).');
  },
  get setting() {
    return l10n.t('Remove profoundCoder.apiKey from your settings.');
  },
};

/**
 * Lets other extensions borrow the sign-in: `vscode.authentication.getSession('coderflow', [],
 * { createIfNone: true })`, after VS Code has asked the person. The session is the credential in
 * use, whatever its source (a profile, the CLI config, the settings), labelled with that source;
 * signing out of a profile's session in the Accounts menu signs the profile out, and for any
 * other source says where that credential lives.
 */
export class CoderFlowAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private last: vscode.AuthenticationSession | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly core: Core,
    private readonly signInInteractively: () => Promise<ProfileMeta | undefined>,
    private readonly signOut: (profileId: string) => Promise<boolean>,
  ) {
    this.subscriptions = [
      // A profile's name or user can change while its key stays the same.
      core.store.onDidChange(() => this.announce()),
      core.credentials.onDidChangeCredential(() => this.announce()),
    ];
  }

  async getSessions(): Promise<vscode.AuthenticationSession[]> {
    await this.core.credentials.refresh();
    const session = this.activeSession();
    return session ? [session] : [];
  }

  async createSession(): Promise<vscode.AuthenticationSession> {
    const profile = await this.signInInteractively();
    if (profile) await this.core.credentials.refresh();
    const session = profile ? this.activeSession() : undefined;
    if (!session) throw new Error(l10n.t('Signing in to CoderFlow was cancelled.'));
    return session;
  }

  async removeSession(sessionId: string): Promise<void> {
    if (this.core.store.get(sessionId)) {
      await this.signOut(sessionId);
      return;
    }
    const credential = this.core.credentials.credential;
    const source = credential && sessionIdOf(credential, undefined) === sessionId ? credential.source : undefined;
    const hint = source && source !== 'profile' ? REMOVE_HINT[source] : undefined;
    void vscode.window.showInformationMessage(
      credential && hint
        ? l10n.t('CoderFlow cannot sign this session out: its key is not a Profile Manager profile but comes from {0}. {1}', credential.detail, hint)
        : l10n.t('CoderFlow cannot sign this session out: its key is not a Profile Manager profile.'),
    );
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }

  /** The session of the credential as last resolved; the credential service announces every change. */
  private activeSession(): vscode.AuthenticationSession | undefined {
    const { store, credentials } = this.core;
    const credential = credentials.credential;
    if (!credential) return undefined;
    const profile = credential.source === 'profile' ? store.selected() : undefined;
    const who = profile ? (profile.username ?? profile.name) : credential.detail;
    return {
      id: sessionIdOf(credential, profile),
      accessToken: credential.apiKey,
      account: {
        id: `${credential.serverUrl}#${profile ? (profile.username ?? profile.id) : credential.source}`,
        label: `${who} (${new URL(credential.serverUrl).host}) · ${sourceName(credential.source)}`,
      },
      scopes: [],
    };
  }

  private announce(): void {
    const next = this.activeSession();
    const before = this.last;
    this.last = next;
    if (before?.id === next?.id && before?.accessToken === next?.accessToken && before?.account.label === next?.account.label) return;
    const added = next && before?.id !== next.id ? [next] : [];
    const removed = before && before.id !== next?.id ? [before] : [];
    const changed = next && before?.id === next.id ? [next] : [];
    this.changed.fire({ added, removed, changed });
  }
}

/** A profile's session has the profile's id; any other the source and the server. */
function sessionIdOf(credential: Credential, profile: ProfileMeta | undefined): string {
  return profile ? profile.id : `${credential.source}:${credential.serverUrl}`;
}
