import vscode = require('vscode');
import type { Credential } from '../core/credentialChain';
import type { ProfileMeta } from '../profiles/profile';
import type { Core } from '../container';
import { sourceName } from '../shared/credentialSource';
import * as l10n from '@vscode/l10n';

export const AUTH_PROVIDER_ID = 'coderflow';

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
    /** Says why a session that is not a profile's cannot be signed out here, and where its key lives. */
    private readonly explainRemoval: (credential: Credential | undefined) => void,
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
    this.explainRemoval(credential && sessionIdOf(credential, undefined) === sessionId ? credential : undefined);
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
