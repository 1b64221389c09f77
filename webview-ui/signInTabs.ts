// The Add profile form's sign-in methods: one tab each (username & password, SSO, API key), which
// of them the server offers, what each needs filled in, and how each one starts.
import * as l10n from '@vscode/l10n';
import { setBusy } from './dom';
import { Tabs } from './tabs';
import { PasswordSection } from './passwordSection';
import { SsoSection, type SsoSectionHost } from './ssoSection';
import { ApiKeySection } from './apiKeySection';
import type { Answer, FormField, ProbeResultView } from '../src/shared/webviewProtocol';
import type { SignInMethod } from '../src/shared/signInMethod';
import type { Request } from './vscodeApi';
import { availableFlows } from '../src/shared/availableFlows';

/** What each method asks the host for. */
const operations = { password: 'signInPassword', sso: 'startSso', apiKey: 'saveApiKey' } as const;
export type FormOperation = (typeof operations)[SignInMethod];

export class SignInTabs {
  readonly password: PasswordSection;
  readonly sso: SsoSection;
  readonly apiKey: ApiKeySection;
  readonly tabs: Tabs<SignInMethod>;
  /** The tab list and the panels, in the form's order. */
  readonly elements: HTMLElement[];
  private readonly startButtons: Record<FormOperation, HTMLButtonElement>;

  /** `onSelect`: the person chose another tab. */
  constructor(ssoHost: SsoSectionHost, onSelect: () => void) {
    this.password = new PasswordSection();
    this.sso = new SsoSection(ssoHost);
    this.apiKey = new ApiKeySection();
    this.tabs = new Tabs<SignInMethod>(l10n.t('Sign-in method'), [this.password.tab, this.sso.tab, this.apiKey.tab], onSelect);
    this.offerDefault();
    this.elements = [this.tabs.list, this.password.tab.panel, this.sso.tab.panel, this.apiKey.tab.panel];
    this.startButtons = { signInPassword: this.password.signInButton, startSso: this.sso.button, saveApiKey: this.apiKey.saveButton };
  }

  /** Before the server answered: what availableFlows offers for a server that has not. */
  offerDefault(): void {
    const flows = availableFlows({ reachable: false, ssoEnabled: false, passwordLoginEnabled: false });
    this.tabs.setAvailable('password', flows.includes('password'));
    this.tabs.setAvailable('sso', flows.includes('sso'));
  }

  /**
   * The methods the server offers; SSO stays while its code is showing. The API key tab is always
   * offered. The order of the calls decides which tab a withdrawn selected one falls back to.
   */
  offer(probe: ProbeResultView): void {
    const flows = availableFlows(probe);
    if (!probe.reachable) {
      this.tabs.setAvailable('password', flows.includes('password'));
      if (!this.sso.isOpen) this.tabs.setAvailable('sso', flows.includes('sso'));
      return;
    }
    this.sso.setProvider(probe.providerName);
    this.tabs.setAvailable('sso', flows.includes('sso') || this.sso.isOpen);
    this.tabs.setAvailable('password', flows.includes('password'));
  }

  /** What is missing in the method's own fields. */
  problems(method: SignInMethod): Array<[FormField, string]> {
    if (method === 'password') return this.password.problems();
    if (method === 'apiKey') return this.apiKey.problems();
    return [];
  }

  /** Sends the method's request; `progress` is what to read out meanwhile. */
  start(method: SignInMethod, request: Request, base: { profileName: string; serverUrl: string }): { op: FormOperation; answer: Promise<Answer<FormOperation>>; progress: string } {
    const op = operations[method];
    switch (method) {
      case 'password':
        return { op, answer: this.password.signIn(request, base), progress: l10n.t('Signing in…') };
      case 'sso':
        return { op, answer: request('startSso', base), progress: l10n.t('Starting SSO sign-in…') };
      case 'apiKey':
        return { op, answer: this.apiKey.save(request, base), progress: l10n.t('Checking the key with the server…') };
    }
  }

  startButton(op: FormOperation): HTMLButtonElement {
    return this.startButtons[op];
  }

  /** While a sign-in runs every start button is busy, its own marked running, and its Cancel shown where it has one. */
  renderBusy(running: FormOperation | undefined): void {
    for (const [op, button] of Object.entries(this.startButtons)) {
      setBusy(button, running !== undefined);
      button.classList.toggle('running', op === running);
    }
    this.password.cancelButton.hidden = running !== 'signInPassword';
    this.apiKey.cancelButton.hidden = running !== 'saveApiKey';
  }
}
