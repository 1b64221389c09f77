import * as vscode from 'vscode';
import type { ProfileMeta } from '../profiles/profile';
import type { Services } from './services';

export const AUTH_PROVIDER_ID = 'coderflow';

/**
 * Lets other extensions borrow the sign-in: `vscode.authentication.getSession('coderflow', [],
 * { createIfNone: true })`. The session is the profile in use, so it is also what the Accounts
 * menu shows; signing out there signs the profile out.
 */
export class CoderFlowAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private last: vscode.AuthenticationSession | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly services: Services,
    private readonly signInInteractively: () => Promise<ProfileMeta | undefined>,
    private readonly signOut: (profileId: string) => Promise<boolean>,
  ) {
    this.subscription = services.store.onDidChange(() => void this.announce());
  }

  async getSessions(): Promise<vscode.AuthenticationSession[]> {
    const session = await this.activeSession();
    return session ? [session] : [];
  }

  async createSession(): Promise<vscode.AuthenticationSession> {
    const profile = await this.signInInteractively();
    const session = profile ? await this.activeSession() : undefined;
    if (!session) throw new Error('Signing in to CoderFlow was cancelled.');
    return session;
  }

  async removeSession(sessionId: string): Promise<void> {
    await this.signOut(sessionId);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private async activeSession(): Promise<vscode.AuthenticationSession | undefined> {
    const { store } = this.services;
    const id = store.selectedId();
    const profile = id ? store.get(id) : undefined;
    if (!profile) return undefined;
    const key = await store.getKey(profile.id).catch(() => undefined);
    if (!key) return undefined;
    return {
      id: profile.id,
      accessToken: key,
      account: { id: `${profile.serverUrl}#${profile.username ?? profile.id}`, label: `${profile.username ?? profile.name} (${new URL(profile.serverUrl).host})` },
      scopes: [],
    };
  }

  private async announce(): Promise<void> {
    const next = await this.activeSession();
    const before = this.last;
    this.last = next;
    if (before?.id === next?.id && before?.accessToken === next?.accessToken && before?.account.label === next?.account.label) return;
    const added = next && before?.id !== next.id ? [next] : [];
    const removed = before && before.id !== next?.id ? [before] : [];
    const changed = next && before?.id === next.id ? [next] : [];
    this.changed.fire({ added, removed, changed });
  }
}
