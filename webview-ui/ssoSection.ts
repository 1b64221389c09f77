// The Add profile form's SSO tab: the intro with its Sign in with SSO button, and the code's panel,
// a script of its own (dist/webview/sso.js) loaded when an SSO sign-in starts.
import './ssoSection.css';
import * as l10n from '@vscode/l10n';
import { around, h } from './dom';
import type { SsoPanel } from './ssoPanel';
import type { SsoPanelModule } from './ssoPanelScript';
import type { TabSpec } from './tabs';
import { l10nContents } from './l10n';
import { loadScript } from './scriptLoader';
import type { Answer, FieldProblem, Problem, ToPageOf } from '../src/shared/webviewProtocol';
import type { Request } from './vscodeApi';
import { messageOf } from '../src/shared/errorText';

export interface SsoSectionHost {
  request: Request;
  announce(text: string): void;
  /** The person cancelled on the code's panel. */
  cancel(): void;
  /** A problem for the form's own error line. */
  showError(problem: Problem): void;
}

export class SsoSection {
  readonly button: HTMLButtonElement;
  readonly tab: TabSpec<'sso'>;
  private readonly intro: HTMLDivElement;
  private readonly provider: HTMLSpanElement;
  /** The code's panel, once loaded, in the place of `place`. */
  private sso: SsoPanel | undefined;
  private readonly place = document.createComment('SSO code');

  constructor(private readonly host: SsoSectionHost) {
    this.button = h('button', { type: 'button', class: 'button' }, l10n.t('Sign in with SSO'));
    this.provider = h('span', {}, l10n.t('your organization’s sign-in page'));
    this.intro = h(
      'div',
      { class: 'sso-intro' },
      h('p', { class: 'hint' }, ...around(l10n.t('Sign in through {0} in your browser. VS Code shows a code to confirm there.'), this.provider)),
      h('div', { class: 'actions' }, this.button),
    );
    this.tab = { id: 'sso', label: l10n.t('SSO'), panel: h('div', { class: 'panel' }, this.intro, this.place) };
  }

  /** The code's panel is showing. */
  get isOpen(): boolean {
    return this.sso?.isOpen === true;
  }

  /** The server's name for its sign-in page, when it gives one. */
  setProvider(name: string | undefined): void {
    this.provider.textContent = name ?? l10n.t('your organization’s sign-in page');
  }

  /** The focus is where starting a sign-in leaves it: on the button, or nowhere. */
  hasStartFocus(): boolean {
    return document.activeElement === this.button || document.activeElement === document.body;
  }

  /**
   * Shows the code in place of the intro once the panel has loaded, unless `stillWanted` says the
   * sign-in ended meanwhile; the code takes the focus if `focusCode` and the person did not move it.
   */
  showCode(message: ToPageOf<'ssoCode'>, focusCode: boolean, stillWanted: () => boolean): void {
    this.intro.hidden = true;
    this.load().then(
      (sso) => {
        // Cancelled or finished while the panel loaded: nothing to show.
        if (!stillWanted()) return;
        sso.show(message);
        // Hiding the intro left the focus on the page unless the person moved it meanwhile.
        if (focusCode && this.hasStartFocus()) sso.focusCode();
      },
      (error: unknown) => {
        this.intro.hidden = false;
        this.host.showError({ message: messageOf(error) });
      },
    );
    this.host.announce(l10n.t('Verification code {0}. Check that the browser shows the same code.', message.userCode));
  }

  /** The browser opened for the code (at the host's own start, or on Open again): `error` when it did not. */
  onBrowserOpened(error: FieldProblem | undefined): void {
    // Say the code again with it, as this announcement replaces the code's.
    if (!error) this.host.announce(this.sso?.userCode ? l10n.t('Opened the browser. Check that it shows {0}.', this.sso.userCode) : l10n.t('Opened the browser.'));
    else this.host.showError(error);
  }

  async load(): Promise<SsoPanel> {
    const module = await loadScript<SsoPanelModule>('sso', 'coderflowSso', { failed: l10n.t('The SSO sign-in panel did not load.') });
    if (!this.sso) {
      module.useTranslations(l10nContents);
      this.sso = new module.SsoPanel({
        copy: (code) => void this.host.request('copyText', { text: code }).then((answer) => this.copied(answer)),
        open: (url) => void this.host.request('openExternal', { url }).then((answer) => answer.ok ? this.onBrowserOpened(undefined) : answer.error && this.onBrowserOpened(answer.error)),
        cancel: () => this.host.cancel(),
        announce: (text) => this.host.announce(text),
      });
      this.place.replaceWith(this.sso.element);
    }
    return this.sso;
  }

  /** Back to the intro; the focus, if it was on the panel, goes to the SSO button. */
  close(): void {
    const hadFocus = this.sso?.element.contains(document.activeElement) === true;
    this.sso?.hide();
    this.intro.hidden = false;
    if (hadFocus) this.button.focus();
  }

  private copied(answer: Answer<'copyText'>): void {
    if (answer.ok) this.host.announce(l10n.t('Code copied.'));
    else if (answer.error) this.host.announce(answer.error.message);
  }
}
