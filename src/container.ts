import type * as vscode from 'vscode';
import { CoderFlowClient } from './core/http/client';
import type { Credential } from './core/credentialChain';
import type { CertificatePins } from './core/http/tls';
import type { ProfileStore } from './profiles/store';
import type { CredentialService } from './services/credentialService';
import type { SignInService } from './services/signInService';
import { Emitter } from './shared/event';
import type { KeyActions } from './vscode/keyManagement/keyActions';
import type { Log } from './vscode/log';
import { tlsOptions } from './vscode/settings';

/** What the server last said about the credential in use. */
export type CredentialHealth = 'unknown' | 'ok' | 'invalid-api-key' | 'forbidden' | 'unreachable';

/** The objects every part of the vscode layer shares, built once in activate(). */
export interface Services {
  context: vscode.ExtensionContext;
  log: Log;
  store: ProfileStore;
  credentials: CredentialService;
  signIn: SignInService;
  health: HealthTracker;
  makeClient: (serverUrl: string, apiKey?: string) => CoderFlowClient;
  /** The certificates the person trusted per server (profoundCoder.tls.insecure), which every client uses. */
  certificatePins: CertificatePins;
  /** A client for the credential in use, or undefined when not signed in. */
  currentClient(): { client: CoderFlowClient; credential: Credential } | undefined;
  /**
   * The one KeyActions of an activation, loaded (dist/keys.js) and made on first use: the
   * commands, sign-in and the Profile Manager share it, and with it what was already warned about.
   */
  keyActions(): KeyActions;
}

/** Clients with the TLS settings as they are now; `pins` holds the certificates the person trusted per server. */
export function clientFactory(log: Log, pins: CertificatePins) {
  return (serverUrl: string, apiKey?: string): CoderFlowClient => {
    if (apiKey) log.addSecret(apiKey);
    return new CoderFlowClient({ serverUrl, ...(apiKey ? { apiKey } : {}), tls: tlsOptions(pins), userAgent: 'coderflow-vscode' });
  };
}

export class HealthTracker {
  private value: CredentialHealth = 'unknown';
  private readonly changed = new Emitter<CredentialHealth>();
  readonly onDidChange = this.changed.event;

  get current(): CredentialHealth {
    return this.value;
  }

  set(next: CredentialHealth): void {
    if (next === this.value) return;
    this.value = next;
    this.changed.fire(next);
  }

  /** Reads the outcome of a request made with the credential in use. */
  observe(error: unknown): void {
    const kind = (error as { kind?: string } | undefined)?.kind;
    if (error === undefined) this.set('ok');
    else if (kind === 'invalid-api-key') this.set('invalid-api-key');
    else if (kind === 'forbidden') this.set('forbidden');
    else if (kind === 'network' || kind === 'timeout' || kind === 'tls') this.set('unreachable');
  }
}
