import { Emitter } from '../shared/event';

/** What the server last said about the credential in use. */
export type CredentialHealth = 'unknown' | 'ok' | 'invalid-api-key' | 'forbidden' | 'unreachable';

/** The health of the credential in use, as the requests made with it found it (the status bar shows it). */
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
