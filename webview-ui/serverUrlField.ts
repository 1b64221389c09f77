// The Add profile form's Server URL: the field, the server's answer under it (the probe), the URL
// the host suggests, and Test connection for it.
import * as l10n from '@vscode/l10n';
import { h, icon } from './dom';
import { Field } from './field';
import { ServerTest } from './serverTest';
import type { ProbeResultView } from '../src/shared/webviewProtocol';
import type { Request } from './vscodeApi';
import { availableFlows } from '../src/shared/availableFlows';

export interface ServerUrlHost {
  request: Request;
  announce(text: string): void;
  /** The field changed in a way worth keeping across hiding and reloading the view. */
  persist(): void;
  /** The server answered (or did not): what it offers decides the form's sign-in tabs. */
  probed(probe: ProbeResultView): void;
}

export class ServerUrlField {
  readonly field: Field;
  /** Test connection for the Server URL, before signing in. */
  readonly serverTest: ServerTest;
  private readonly status: HTMLParagraphElement;
  private probe: ProbeResultView | undefined;
  private probing: string | undefined;
  /** The running probe was started by the page itself, not by the person: its answer is not read out. */
  private probingQuietly = false;
  /** The server URL the host suggests (src/shared/webviewProtocol.ts, `suggestedServerUrl`). */
  private suggestion: string | undefined;
  /** What the form put into Server URL from the suggestion; a field still holding it was not typed into. */
  private suggested: string | undefined;
  /** The person typed into Server URL (or chose its value) since the form was last emptied. */
  private typed = false;

  constructor(private readonly host: ServerUrlHost) {
    this.field = new Field('serverUrl', l10n.t('Server URL'), {
      type: 'url',
      inputmode: 'url',
      autocomplete: 'url',
      placeholder: 'https://coderflow.example.com',
    });
    this.status = h('p', { id: 'serverUrl-status', class: 'field-status', hidden: true });
    this.field.addNote(this.status);
    this.serverTest = new ServerTest(host, () => {
      const url = this.field.value.trim();
      return isHttpUrl(url) ? url : { problem: urlProblem() };
    });
    const input = this.field.input;
    input.addEventListener('blur', () => this.check());
    input.addEventListener('input', () => {
      this.typed = true;
      this.status.hidden = true;
      this.serverTest.clear();
      this.field.refreshDescription();
      this.host.persist();
    });
  }

  /** The last answer, kept across reloads with the form. */
  get lastProbe(): ProbeResultView | undefined {
    return this.probe;
  }

  /** What stops a sign-in to the URL in the field, if anything. */
  problem(): string | undefined {
    const serverUrl = this.field.value.trim();
    if (serverUrl === '') return l10n.t('Enter the server URL.');
    return isHttpUrl(serverUrl) ? undefined : urlProblem();
  }

  /** The field holds a URL the person gave, not the host's suggestion. */
  holdsOwnUrl(): boolean {
    const serverUrl = this.field.value.trim();
    return serverUrl !== '' && serverUrl !== this.suggested;
  }

  /** A URL from before a reload, with the server's answer for it if that was about the same URL. */
  restore(serverUrl: string, probe: ProbeResultView | undefined): void {
    this.field.value = serverUrl;
    this.typed = serverUrl.trim() !== '';
    if (probe && probe.serverUrl === serverUrl.trim()) this.applyProbe(probe, false);
  }

  /** A URL the person chose (an existing profile's server), as if typed. */
  prefill(serverUrl: string): void {
    this.field.value = serverUrl;
    this.typed = true;
  }

  /**
   * The host's suggestion. It fills the field only when the field is empty or still holds the
   * previous suggestion, never over what the person typed nor under a running sign-in (`locked`),
   * and the server is checked at once, so the sign-in methods it offers (SSO) show without typing.
   */
  suggest(url: string | undefined, locked: boolean): void {
    this.suggestion = url;
    const current = this.field.value.trim();
    if (url !== undefined && current === url) {
      // Kept from before a reload, or typed as it is: nothing to replace, but check it once.
      this.suggested = url;
      if (this.probe?.serverUrl !== url) this.check(false);
      return;
    }
    if (locked || this.typed || (current !== '' && current !== this.suggested)) return;
    if (current === '' && url === undefined) return;
    this.fillSuggestion();
  }

  /** The form was emptied: the answer goes, and the field counts as not typed into. */
  forget(): void {
    this.probe = undefined;
    this.probing = undefined;
    this.status.hidden = true;
    this.field.refreshDescription();
    this.typed = false;
  }

  /** After the form was emptied: the next profile starts on the suggested server, if there is one. */
  refill(): void {
    if (this.suggestion) this.fillSuggestion();
  }

  /** Asks the server what it offers. `announce: false` when the page checks on its own (a suggested URL): nothing is read out then. */
  check(announce = true): void {
    const serverUrl = this.field.value.trim();
    if (serverUrl === '' || serverUrl === this.probing) return;
    // Typing hid the last answer; the same URL again needs no new check, only that answer back.
    if (serverUrl === this.probe?.serverUrl) return this.applyProbe(this.probe, false);
    if (!isHttpUrl(serverUrl)) {
      this.field.showError({ message: urlProblem() });
      return;
    }
    this.probing = serverUrl;
    this.probingQuietly = !announce;
    this.setStatus('loading', l10n.t('Checking the server…'));
    if (announce) this.host.announce(l10n.t('Checking the server…'));
    void this.host.request('probeServer', { serverUrl }).then((answer) => {
      if (answer.ok) this.onProbeResult(answer.value);
    });
  }

  private onProbeResult(message: ProbeResultView): void {
    // An answer about a URL the field no longer holds is out of date.
    if (message.serverUrl !== this.field.value.trim()) return;
    this.probing = undefined;
    this.applyProbe(message, !this.probingQuietly);
    this.host.persist();
  }

  private fillSuggestion(): void {
    this.field.value = this.suggestion ?? '';
    this.suggested = this.suggestion;
    this.field.clearError();
    this.status.hidden = true;
    this.field.refreshDescription();
    this.check(false);
    this.host.persist();
  }

  private applyProbe(probe: ProbeResultView, announce: boolean): void {
    this.probe = probe;
    if (!probe.reachable) {
      this.status.hidden = true;
      this.field.showError(probe.error ?? { message: l10n.t('The server did not answer.'), fix: l10n.t('Check the URL and your network, then try again.') });
      this.host.probed(probe);
      if (announce) this.host.announce(probe.error?.message ?? l10n.t('The server did not answer.'));
      return;
    }
    this.field.clearError();
    const text = reachableText(probe);
    this.setStatus('pass', text);
    this.host.probed(probe);
    if (announce) this.host.announce(text);
  }

  private setStatus(kind: 'loading' | 'pass', text: string): void {
    this.status.replaceChildren(
      kind === 'loading' ? icon('loading', 'codicon-modifier-spin') : icon('pass'),
      h('span', {}, text),
    );
    this.status.hidden = false;
    this.field.refreshDescription();
  }
}

const urlProblem = (): string =>
  l10n.t('Enter a URL that starts with {0} or {1}, for example {2}.', 'https://', 'http://', 'https://coderflow.example.com');

// Whole sentences, one per combination: word order and the list's conjunction are the translation's.
function reachableText(probe: ProbeResultView): string {
  const flows = availableFlows(probe);
  const password = flows.includes('password');
  const sso = probe.providerName ? l10n.t('SSO ({0})', probe.providerName) : l10n.t('SSO');
  if (password && flows.includes('sso')) return l10n.t('Server reachable. Sign in with username and password, {0} or an API key.', sso);
  if (password) return l10n.t('Server reachable. Sign in with username and password or an API key.');
  if (flows.includes('sso')) return l10n.t('Server reachable. Sign in with {0} or an API key.', sso);
  return l10n.t('Server reachable. Sign in with an API key.');
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}
