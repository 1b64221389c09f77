import * as l10n from '@vscode/l10n';
import { around, h, icon, isBusy, setBusy } from './dom';
import type { ToPageOf } from '../src/shared/webviewProtocol';

export interface SsoPanelActions {
  copy(code: string): void;
  open(url: string): void;
  cancel(): void;
  announce(text: string): void;
}

/**
 * The device-flow code, shown large and copyable, with the time left to enter it. The host opens
 * the browser as the code arrives (asking for SSO is the consent); the panel names the host it
 * opened, so the person can compare the code there, and offers Open again.
 */
export class SsoPanel {
  readonly element: HTMLDivElement;
  private readonly code: HTMLInputElement;
  private readonly copyButton: HTMLButtonElement;
  private readonly openButton: HTMLButtonElement;
  private readonly countdown: HTMLParagraphElement;
  private readonly waiting: HTMLParagraphElement;
  private readonly openedHost: HTMLElement;
  /** The address as text, for when the browser VS Code opens cannot reach it (a remote window). */
  private readonly address: HTMLElement;
  private deadline = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private warnedLastMinute = false;
  private current: ToPageOf<'ssoCode'> | undefined;

  constructor(private readonly actions: SsoPanelActions) {
    this.code = h('input', {
      id: 'sso-code',
      class: 'sso-code',
      readonly: true,
      spellcheck: 'false',
      autocomplete: 'off',
      'aria-describedby': 'sso-instructions',
    });
    this.copyButton = h('button', { type: 'button', class: 'button secondary' }, icon('copy'), l10n.t('Copy code'));
    this.openButton = h('button', { type: 'button', class: 'button' }, icon('link-external'), l10n.t('Open again'));
    this.openedHost = h('strong', { class: 'sso-host' });
    const cancelButton = h('button', { type: 'button', class: 'button secondary' }, l10n.t('Cancel'));
    this.countdown = h('p', { class: 'sso-countdown', role: 'timer', 'aria-live': 'off' });
    this.address = h('code', { class: 'sso-address' });
    this.waiting = h('p', { class: 'sso-waiting' }, icon('loading', 'codicon-modifier-spin'), l10n.t('Waiting for approval in the browser…'));
    this.element = h(
      'div',
      { class: 'sso-panel', role: 'group', 'aria-labelledby': 'sso-heading', hidden: true },
      h('h3', { id: 'sso-heading' }, l10n.t('Confirm the code in your browser')),
      h(
        'p',
        { id: 'sso-instructions', class: 'hint' },
        ...around(l10n.t('Your browser opens {0}. Sign in with your organization there, and check that it shows this code.'), this.openedHost),
      ),
      h('label', { for: 'sso-code', class: 'sso-code-label' }, l10n.t('Verification code')),
      this.code,
      h('div', { class: 'actions' }, this.openButton, this.copyButton, cancelButton),
      h('p', { class: 'hint' }, ...around(l10n.t('Or go to {0} in any browser and enter the code.'), this.address)),
      this.countdown,
      this.waiting,
    );
    this.copyButton.addEventListener('click', () => {
      if (this.current && !isBusy(this.copyButton)) this.actions.copy(this.current.userCode);
    });
    this.openButton.addEventListener('click', () => {
      if (this.current && !isBusy(this.openButton)) {
        this.actions.open(this.current.verificationUriComplete ?? this.current.verificationUri);
      }
    });
    cancelButton.addEventListener('click', () => this.actions.cancel());
  }

  /** The code shown, while the panel is open. */
  get userCode(): string | undefined {
    return this.current?.userCode;
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  show(message: ToPageOf<'ssoCode'>): void {
    this.current = message;
    this.code.value = message.userCode;
    this.address.textContent = message.verificationUri;
    this.openedHost.textContent = hostOf(message.verificationUriComplete ?? message.verificationUri);
    this.deadline = Date.now() + message.expiresInSeconds * 1000;
    this.warnedLastMinute = message.expiresInSeconds <= 60;
    setBusy(this.copyButton, false);
    setBusy(this.openButton, false);
    this.element.hidden = false;
    this.tick();
    if (this.timer === undefined) this.timer = setInterval(() => this.tick(), 1000);
  }

  hide(): void {
    this.element.hidden = true;
    this.current = undefined;
    this.code.value = '';
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  focusCode(): void {
    this.code.focus();
  }

  private tick(): void {
    const left = Math.max(0, Math.ceil((this.deadline - Date.now()) / 1000));
    if (left === 0) {
      this.countdown.textContent = l10n.t('The code has expired.');
      this.countdown.classList.add('expired');
      this.waiting.hidden = true;
      setBusy(this.copyButton, true);
      setBusy(this.openButton, true);
      if (this.timer !== undefined) clearInterval(this.timer);
      this.timer = undefined;
      this.actions.announce(l10n.t('The verification code has expired. Cancel and sign in again.'));
      return;
    }
    this.countdown.classList.remove('expired');
    this.countdown.classList.toggle('ending', left <= 60);
    this.waiting.hidden = false;
    this.countdown.textContent = l10n.t('Code expires in {0}', `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`);
    if (left <= 60 && !this.warnedLastMinute) {
      this.warnedLastMinute = true;
      this.actions.announce(l10n.t('The verification code expires in one minute.'));
    }
  }
}

function hostOf(address: string): string {
  try {
    return new URL(address).host;
  } catch {
    return address;
  }
}
