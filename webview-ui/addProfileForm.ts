import * as l10n from '@vscode/l10n';
import { around, h, icon, isBusy, replaceChildren, setBusy } from './dom';
import { Field } from './field';
import { Tabs } from './tabs';
import type { SsoPanel } from './ssoPanel';
import type { SsoPanelModule } from './ssoPanelScript';
import { l10nContents } from './l10n';
import { loadScript } from './scriptLoader';
import { keyShape, keyShapeWarning } from './keyShape';
import { ServerTest } from './serverTest';
import type { Answer, FieldProblem, FormField, PageNotification, ProbeResultView, Problem, SignInMethod, ToPageOf } from '../src/shared/webviewProtocol';
import type { Request } from './vscodeApi';
import { messageOf } from '../src/shared/errorText';

type FormOperation = 'signInPassword' | 'startSso' | 'saveApiKey';
/** The sign-in the form waits for; its answer counts only while it is still this one. */
type Pending = { op: FormOperation; profileName: string };

export interface AddProfileFormHost {
  request: Request;
  notify(message: PageNotification): void;
  announce(text: string): void;
  /** The form changed in a way worth keeping across hiding and reloading the view. */
  persist(): void;
  signedIn(profileId: string | undefined, profileName: string): void;
}

/** What the form keeps across reloads: never the password, never the key. */
export interface FormSnapshot {
  profileName: string;
  serverUrl: string;
  username: string;
  tab: SignInMethod;
  probe?: ProbeResultView;
}

const fieldLabels = (): Record<FormField, string> => ({
  profileName: l10n.t('Profile name'),
  serverUrl: l10n.t('Server URL'),
  username: l10n.t('Username'),
  password: l10n.t('Password'),
  apiKey: l10n.t('API key'),
});

export class AddProfileForm {
  readonly element: HTMLElement;
  readonly heading: HTMLHeadingElement;
  private readonly fields: Record<FormField, Field>;
  private readonly tabs: Tabs<SignInMethod>;
  private readonly serverStatus: HTMLParagraphElement;
  private readonly keyWarning: HTMLParagraphElement;
  private readonly formError: HTMLDivElement;
  private readonly ssoIntro: HTMLDivElement;
  private readonly ssoProvider: HTMLSpanElement;
  private readonly signInButton: HTMLButtonElement;
  private readonly ssoButton: HTMLButtonElement;
  private readonly saveKeyButton: HTMLButtonElement;
  /** Shown while the server checks a password or a key: aborts that check on the host. */
  private readonly cancelCheckButtons: Record<'signInPassword' | 'saveApiKey', HTMLButtonElement>;
  /** The code's panel: a script of its own (dist/webview/sso.js), loaded when an SSO sign-in starts, in the place of `ssoPlace`. */
  private sso: SsoPanel | undefined;
  private readonly ssoPlace = document.createComment('SSO code');
  /** Test connection for the Server URL, before signing in. */
  readonly serverTest: ServerTest;
  private readonly foldToggle: HTMLButtonElement;
  private readonly headingText: HTMLSpanElement;
  private readonly body: HTMLDivElement;
  private probe: ProbeResultView | undefined;
  private probing: string | undefined;
  /** The running probe was started by the page itself, not by the person: its answer is not read out. */
  private probingQuietly = false;
  private pending: Pending | undefined;
  /** The server URL the host suggests (src/shared/webviewProtocol.ts, `suggestedServerUrl`). */
  private suggestion: string | undefined;
  /** What the form put into Server URL from the suggestion; a field still holding it was not typed into. */
  private suggested: string | undefined;
  /** The person typed into Server URL (or chose its value) since the form was last emptied. */
  private serverUrlTyped = false;
  /** Profiles are listed: the form folds behind its Add profile button unless opened. */
  private foldable = false;
  private expanded = false;

  constructor(private readonly host: AddProfileFormHost) {
    const labels = fieldLabels();
    this.fields = {
      profileName: new Field('profileName', labels.profileName, { type: 'text', autocomplete: 'off', placeholder: l10n.t('e.g. production') }),
      serverUrl: new Field('serverUrl', labels.serverUrl, {
        type: 'url',
        inputmode: 'url',
        autocomplete: 'url',
        placeholder: 'https://coderflow.example.com',
      }),
      username: new Field('username', labels.username, { type: 'text', autocomplete: 'username' }),
      password: new Field('password', labels.password, { type: 'password', autocomplete: 'current-password' }),
      apiKey: new Field('apiKey', labels.apiKey, { type: 'password', autocomplete: 'off', placeholder: 'pc_…' }),
    };

    this.serverStatus = h('p', { id: 'serverUrl-status', class: 'field-status', hidden: true });
    this.fields.serverUrl.addNote(this.serverStatus);
    this.serverTest = new ServerTest(this.host, () => {
      const url = this.fields.serverUrl.value.trim();
      return isHttpUrl(url) ? url : { problem: l10n.t('Enter a URL that starts with {0} or {1}, for example {2}.', 'https://', 'http://', 'https://coderflow.example.com') };
    });
    this.keyWarning = h('p', { id: 'apiKey-warning', class: 'field-warning', hidden: true });
    this.fields.apiKey.addNote(this.keyWarning);
    this.fields.apiKey.addNote(
      h('p', { id: 'apiKey-hint', class: 'hint' }, l10n.t('A personal API key from CoderFlow or {0}. It is kept in VS Code’s secret storage and not shown again.', 'coder login')),
    );

    this.signInButton = h('button', { type: 'button', class: 'button' }, l10n.t('Sign in'));
    this.ssoButton = h('button', { type: 'button', class: 'button' }, l10n.t('Sign in with SSO'));
    this.saveKeyButton = h('button', { type: 'button', class: 'button' }, l10n.t('Save key'));
    this.cancelCheckButtons = {
      signInPassword: h('button', { type: 'button', class: 'button secondary', hidden: true }, l10n.t('Cancel')),
      saveApiKey: h('button', { type: 'button', class: 'button secondary', hidden: true }, l10n.t('Cancel')),
    };

    this.ssoProvider = h('span', {}, l10n.t('your organization’s sign-in page'));
    this.ssoIntro = h(
      'div',
      { class: 'sso-intro' },
      h('p', { class: 'hint' }, ...around(l10n.t('Sign in through {0} in your browser. VS Code shows a code to confirm there.'), this.ssoProvider)),
      h('div', { class: 'actions' }, this.ssoButton),
    );

    const passwordPanel = h('div', { class: 'panel' }, this.fields.username.element, this.fields.password.element, h('div', { class: 'actions' }, this.signInButton, this.cancelCheckButtons.signInPassword));
    const ssoPanel = h('div', { class: 'panel' }, this.ssoIntro, this.ssoPlace);
    const apiKeyPanel = h('div', { class: 'panel' }, this.fields.apiKey.element, h('div', { class: 'actions' }, this.saveKeyButton, this.cancelCheckButtons.saveApiKey));
    this.tabs = new Tabs<SignInMethod>(
      l10n.t('Sign-in method'),
      [
        { id: 'password', label: l10n.t('Username & password'), panel: passwordPanel },
        { id: 'sso', label: l10n.t('SSO'), panel: ssoPanel },
        { id: 'apiKey', label: labels.apiKey, panel: apiKeyPanel },
      ],
      () => {
        this.clearFormError();
        this.host.persist();
      },
    );
    // SSO is offered only once the server said it has it.
    this.tabs.setAvailable('sso', false);

    this.formError = h('div', { id: 'form-error', class: 'form-error', role: 'alert', hidden: true });
    // Without profiles the heading is plain text; with profiles it holds the button that unfolds
    // the form (the WAI-ARIA Authoring Practices' disclosure pattern), so the region and the form
    // keep the name "Add profile" either way.
    this.headingText = h('span', {}, l10n.t('Add profile'));
    this.foldToggle = h(
      'button',
      { type: 'button', class: 'button secondary fold-toggle', 'aria-expanded': 'true', 'aria-controls': 'add-body', hidden: true },
      icon('chevron-right', 'fold-icon'),
      l10n.t('Add profile'),
    );
    this.foldToggle.addEventListener('click', () => {
      this.expanded = !this.expanded;
      this.renderFold();
    });
    this.heading = h('h2', { id: 'add-heading', tabindex: '-1' }, this.headingText, this.foldToggle);
    const form = h(
      'form',
      { class: 'add-profile', 'aria-labelledby': 'add-heading', novalidate: true },
      this.fields.profileName.element,
      this.fields.serverUrl.element,
      this.serverTest.element,
      this.tabs.list,
      passwordPanel,
      ssoPanel,
      apiKeyPanel,
      this.formError,
    );
    this.body = h('div', { id: 'add-body' }, form);
    this.element = h('section', { class: 'add-section', 'aria-labelledby': 'add-heading' }, this.heading, this.body);

    form.addEventListener('submit', (event) => event.preventDefault());
    // Enter in a field runs the selected tab's action; the buttons are not submit buttons, so
    // the browser's implicit submission never picks a button hidden in another tab.
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && event.target instanceof HTMLInputElement && !event.target.readOnly) {
        event.preventDefault();
        if (event.target === this.fields.serverUrl.input) this.probeServer();
        this.submit(this.tabs.current);
      }
    });
    this.signInButton.addEventListener('click', () => this.submit('password'));
    this.ssoButton.addEventListener('click', () => {
      // The code's panel loads while the server makes the code.
      void this.loadSso().catch(() => undefined);
      this.submit('sso');
    });
    this.saveKeyButton.addEventListener('click', () => this.submit('apiKey'));
    for (const button of Object.values(this.cancelCheckButtons)) button.addEventListener('click', () => this.cancelCheck());

    const serverUrl = this.fields.serverUrl.input;
    serverUrl.addEventListener('blur', () => this.probeServer());
    serverUrl.addEventListener('input', () => {
      this.serverUrlTyped = true;
      this.serverStatus.hidden = true;
      this.serverTest.clear();
      this.fields.serverUrl.refreshDescription();
      this.host.persist();
    });
    for (const field of [this.fields.profileName, this.fields.username]) {
      field.input.addEventListener('input', () => this.host.persist());
    }
    this.fields.apiKey.input.addEventListener('input', () => this.showKeyWarning());
  }

  snapshot(): FormSnapshot {
    return {
      profileName: this.fields.profileName.value,
      serverUrl: this.fields.serverUrl.value,
      username: this.fields.username.value,
      tab: this.tabs.current,
      ...(this.probe ? { probe: this.probe } : {}),
    };
  }

  restore(snapshot: FormSnapshot): void {
    this.fields.profileName.value = snapshot.profileName;
    this.fields.serverUrl.value = snapshot.serverUrl;
    this.serverUrlTyped = snapshot.serverUrl.trim() !== '';
    this.fields.username.value = snapshot.username;
    if (snapshot.probe && snapshot.probe.serverUrl === snapshot.serverUrl.trim()) this.applyProbe(snapshot.probe, false);
    this.tabs.select(snapshot.tab);
  }

  /** Brings the form forward, its first empty field focused. */
  reveal(): void {
    this.unfold();
    this.element.scrollIntoView({ block: 'start' });
    const firstEmpty = [this.fields.profileName, this.fields.serverUrl].find((field) => field.value.trim() === '');
    (firstEmpty ?? this.fields.profileName).input.focus();
  }

  /** Starts a new sign-in for an existing profile's name and server. */
  prefill(profileName: string, serverUrl: string): void {
    if (this.pending) return;
    this.unfold();
    this.fields.profileName.value = profileName;
    this.fields.serverUrl.value = serverUrl;
    this.serverUrlTyped = true;
    this.clearAllErrors();
    this.probeServer();
    this.host.persist();
    this.element.scrollIntoView({ block: 'start' });
    this.tabs.select(this.tabs.current, { focus: true });
  }

  /**
   * The host's suggestion for Server URL. It fills the field only when the field is empty or still
   * holds the previous suggestion, never over what the person typed, and the server is checked at
   * once, so the sign-in methods it offers (SSO) show without typing.
   */
  suggestServerUrl(url: string | undefined): void {
    this.suggestion = url;
    const current = this.fields.serverUrl.value.trim();
    if (url !== undefined && current === url) {
      // Kept from before a reload, or typed as it is: nothing to replace, but check it once.
      this.suggested = url;
      if (this.probe?.serverUrl !== url) this.probeServer(false);
      return;
    }
    if (this.pending || this.serverUrlTyped || (current !== '' && current !== this.suggested)) return;
    if (current === '' && url === undefined) return;
    this.fillSuggestion();
  }

  /** With at least one profile listed the form folds behind Add profile, unless it is in use. */
  setFoldable(foldable: boolean): void {
    if (foldable === this.foldable) return;
    this.foldable = foldable;
    // Profiles can appear while the person is filling the form (another window signed in).
    if (foldable) this.expanded = this.inUse();
    this.renderFold();
  }

  private onProbeResult(message: ProbeResultView): void {
    // An answer about a URL the field no longer holds is out of date.
    if (message.serverUrl !== this.fields.serverUrl.value.trim()) return;
    this.probing = undefined;
    this.applyProbe(message, !this.probingQuietly);
    this.host.persist();
  }

  onSsoCode(message: ToPageOf<'ssoCode'>): void {
    // Also arrives unasked after the page reloads while a sign-in runs: the host knows it is running.
    if (this.pending?.op !== 'startSso') {
      const pending: Pending = { op: 'startSso', profileName: this.fields.profileName.value.trim() };
      this.pending = pending;
      this.renderBusy();
      void this.host.request('resumeSso', {}).then((answer) => this.finishSignIn(pending, answer));
    }
    const focusWasOnStart = document.activeElement === this.ssoButton || document.activeElement === document.body;
    this.unfold();
    this.tabs.setAvailable('sso', true);
    this.tabs.select('sso');
    this.ssoIntro.hidden = true;
    this.loadSso().then(
      (sso) => {
        // Cancelled or finished while the panel loaded: nothing to show.
        if (this.pending?.op !== 'startSso') return;
        sso.show(message);
        // Hiding the intro left the focus on the page unless the person moved it meanwhile.
        if (focusWasOnStart && (document.activeElement === document.body || document.activeElement === this.ssoButton)) sso.focusCode();
      },
      (error: unknown) => {
        this.ssoIntro.hidden = false;
        this.showFormError({ message: messageOf(error) });
      },
    );
    this.host.announce(l10n.t('Verification code {0}. Check that the browser shows the same code.', message.userCode));
  }

  private copied(answer: Answer<'copyText'>): void {
    if (answer.ok) this.host.announce(l10n.t('Code copied.'));
    else if (answer.error) this.host.announce(answer.error.message);
  }

  /** The browser opened for the code (at the host's own start, or on Open again): `error` when it did not. */
  onBrowserOpened(error: FieldProblem | undefined): void {
    // Say the code again with it, as this announcement replaces the code's.
    if (!error) this.host.announce(this.sso?.userCode ? l10n.t('Opened the browser. Check that it shows {0}.', this.sso.userCode) : l10n.t('Opened the browser.'));
    else this.showFormError(error);
  }

  private finishSignIn(pending: Pending, answer: Answer<FormOperation | 'resumeSso'>): void {
    // An answer the page no longer waits for (cancelled, or replaced by a newer sign-in).
    if (this.pending !== pending) return;
    this.pending = undefined;
    this.renderBusy();
    if (pending.op === 'startSso') this.closeSso();
    if (answer.ok) {
      this.reset();
      this.host.announce(l10n.t('Signed in. Profile {0} is saved.', pending.profileName));
      this.host.signedIn(answer.value.profileId, pending.profileName);
      return;
    }
    if (pending.op === 'signInPassword') this.fields.password.value = '';
    if (answer.error) this.showProblem(answer.error);
    else this.host.announce(l10n.t('Sign-in cancelled.'));
    this.host.persist();
  }

  private submit(method: SignInMethod): void {
    if (this.pending) return;
    if (this.tabs.current !== method) this.tabs.select(method);
    this.clearFormError();
    const profileName = this.fields.profileName.value.trim();
    const serverUrl = this.fields.serverUrl.value.trim();
    const problems: Array<[FormField, string]> = [];
    if (profileName === '') problems.push(['profileName', l10n.t('Enter a name for this profile.')]);
    if (serverUrl === '') problems.push(['serverUrl', l10n.t('Enter the server URL.')]);
    else if (!isHttpUrl(serverUrl)) {
      problems.push(['serverUrl', l10n.t('Enter a URL that starts with {0} or {1}, for example {2}.', 'https://', 'http://', 'https://coderflow.example.com')]);
    }
    if (method === 'password') {
      if (this.fields.username.value.trim() === '') problems.push(['username', l10n.t('Enter your username.')]);
      if (this.fields.password.value === '') problems.push(['password', l10n.t('Enter your password.')]);
    }
    if (method === 'apiKey' && this.fields.apiKey.value.trim() === '') problems.push(['apiKey', l10n.t('Paste your API key.')]);
    if (problems.length > 0) {
      for (const [field, message] of problems) this.fields[field].showError({ message });
      this.fields[problems[0][0]].input.focus();
      return;
    }

    const base = { profileName, serverUrl };
    const pending: Pending = { op: { password: 'signInPassword' as const, sso: 'startSso' as const, apiKey: 'saveApiKey' as const }[method], profileName };
    this.pending = pending;
    const finish = (answer: Answer<FormOperation>) => this.finishSignIn(pending, answer);
    switch (method) {
      case 'password':
        void this.host.request('signInPassword', { ...base, username: this.fields.username.value.trim(), password: this.fields.password.value }).then(finish);
        this.host.announce(l10n.t('Signing in…'));
        break;
      case 'sso':
        void this.host.request('startSso', base).then(finish);
        this.host.announce(l10n.t('Starting SSO sign-in…'));
        break;
      case 'apiKey':
        void this.host.request('saveApiKey', { ...base, apiKey: this.fields.apiKey.value.trim() }).then(finish);
        this.host.announce(l10n.t('Checking the key with the server…'));
        break;
    }
    this.renderBusy();
  }

  private cancelCheck(): void {
    const op = this.pending?.op;
    if (op !== 'signInPassword' && op !== 'saveApiKey') return;
    this.host.notify({ type: 'cancelSignIn' });
    this.pending = undefined;
    this.renderBusy();
    this.host.announce(l10n.t('Sign-in cancelled. Nothing was saved.'));
    (op === 'signInPassword' ? this.signInButton : this.saveKeyButton).focus();
  }

  private cancelSso(): void {
    this.host.notify({ type: 'cancelSso' });
    this.pending = undefined;
    this.renderBusy();
    this.closeSso();
    this.host.announce(l10n.t('SSO sign-in cancelled.'));
    this.ssoButton.focus();
  }

  private async loadSso(): Promise<SsoPanel> {
    const module = await loadScript<SsoPanelModule>('sso', 'coderflowSso', { failed: l10n.t('The SSO sign-in panel did not load.') });
    if (!this.sso) {
      module.useTranslations(l10nContents);
      this.sso = new module.SsoPanel({
        copy: (code) => void this.host.request('copyText', { text: code }).then((answer) => this.copied(answer)),
        open: (url) => void this.host.request('openExternal', { url }).then((answer) => answer.ok ? this.onBrowserOpened(undefined) : answer.error && this.onBrowserOpened(answer.error)),
        cancel: () => this.cancelSso(),
        announce: (text) => this.host.announce(text),
      });
      this.ssoPlace.replaceWith(this.sso.element);
    }
    return this.sso;
  }

  private closeSso(): void {
    const hadFocus = this.sso?.element.contains(document.activeElement) === true;
    this.sso?.hide();
    this.ssoIntro.hidden = false;
    if (hadFocus) this.ssoButton.focus();
  }

  /** `announce: false` when the page checks on its own (a suggested URL): nothing is read out then. */
  private probeServer(announce = true): void {
    const serverUrl = this.fields.serverUrl.value.trim();
    if (serverUrl === '' || serverUrl === this.probing) return;
    // Typing hid the last answer; the same URL again needs no new check, only that answer back.
    if (serverUrl === this.probe?.serverUrl) return this.applyProbe(this.probe, false);
    if (!isHttpUrl(serverUrl)) {
      this.fields.serverUrl.showError({
        message: l10n.t('Enter a URL that starts with {0} or {1}, for example {2}.', 'https://', 'http://', 'https://coderflow.example.com'),
      });
      return;
    }
    this.probing = serverUrl;
    this.probingQuietly = !announce;
    this.setServerStatus('loading', l10n.t('Checking the server…'));
    if (announce) this.host.announce(l10n.t('Checking the server…'));
    void this.host.request('probeServer', { serverUrl }).then((answer) => {
      if (answer.ok) this.onProbeResult(answer.value);
    });
  }

  private fillSuggestion(): void {
    this.fields.serverUrl.value = this.suggestion ?? '';
    this.suggested = this.suggestion;
    this.fields.serverUrl.clearError();
    this.serverStatus.hidden = true;
    this.fields.serverUrl.refreshDescription();
    this.probeServer(false);
    this.host.persist();
  }

  /** Something the person typed or started is in the form. */
  private inUse(): boolean {
    const serverUrl = this.fields.serverUrl.value.trim();
    return (
      this.pending !== undefined ||
      this.sso?.isOpen === true ||
      this.body.contains(document.activeElement) ||
      [this.fields.profileName, this.fields.username, this.fields.password, this.fields.apiKey].some((field) => field.value.trim() !== '') ||
      (serverUrl !== '' && serverUrl !== this.suggested)
    );
  }

  private unfold(): void {
    this.expanded = true;
    this.renderFold();
  }

  private renderFold(): void {
    const folded = this.foldable && !this.expanded;
    const hadFocus = this.body.contains(document.activeElement);
    this.headingText.hidden = this.foldable;
    this.foldToggle.hidden = !this.foldable;
    this.foldToggle.setAttribute('aria-expanded', String(!folded));
    this.body.hidden = folded;
    // Focus inside what is now hidden would fall back to the page's top.
    if (folded && hadFocus) this.foldToggle.focus();
  }

  private applyProbe(probe: ProbeResultView, announce: boolean): void {
    this.probe = probe;
    if (!probe.reachable) {
      this.serverStatus.hidden = true;
      this.fields.serverUrl.showError(probe.error ?? { message: l10n.t('The server did not answer.'), fix: l10n.t('Check the URL and your network, then try again.') });
      this.tabs.setAvailable('password', true);
      if (this.sso?.isOpen !== true) this.tabs.setAvailable('sso', false);
      if (announce) this.host.announce(probe.error?.message ?? l10n.t('The server did not answer.'));
      return;
    }
    this.fields.serverUrl.clearError();
    const text = reachableText(probe);
    this.setServerStatus('pass', text);
    this.ssoProvider.textContent = probe.providerName ?? l10n.t('your organization’s sign-in page');
    this.tabs.setAvailable('sso', probe.ssoEnabled || this.sso?.isOpen === true);
    this.tabs.setAvailable('password', probe.passwordLoginEnabled);
    if (announce) this.host.announce(text);
  }

  private setServerStatus(kind: 'loading' | 'pass', text: string): void {
    this.serverStatus.replaceChildren(
      kind === 'loading' ? icon('loading', 'codicon-modifier-spin') : icon('pass'),
      h('span', {}, text),
    );
    this.serverStatus.hidden = false;
    this.fields.serverUrl.refreshDescription();
  }

  private showKeyWarning(): void {
    const warning = keyShapeWarning(keyShape(this.fields.apiKey.value));
    this.keyWarning.replaceChildren(...(warning ? [icon('warning'), h('span', {}, warning)] : []));
    this.keyWarning.hidden = warning === undefined;
    this.fields.apiKey.refreshDescription();
  }

  private showProblem(problem: FieldProblem): void {
    if (!problem.field) {
      this.showFormError(problem);
      return;
    }
    const field = this.fields[problem.field];
    if (problem.field === 'username' || problem.field === 'password') this.tabs.select('password');
    if (problem.field === 'apiKey') this.tabs.select('apiKey');
    field.showError(problem);
    field.input.focus();
  }

  private showFormError(problem: Problem): void {
    replaceChildren(
      this.formError,
      icon('error'),
      h('span', { class: 'message' }, problem.message),
      problem.fix ? h('span', { class: 'fix' }, problem.fix) : undefined,
    );
    this.formError.hidden = false;
  }

  private clearFormError(): void {
    this.formError.hidden = true;
    this.formError.replaceChildren();
  }

  private clearAllErrors(): void {
    for (const field of Object.values(this.fields)) field.clearError();
    this.clearFormError();
  }

  private reset(): void {
    for (const field of Object.values(this.fields)) field.value = '';
    this.clearAllErrors();
    this.probe = undefined;
    this.probing = undefined;
    this.serverStatus.hidden = true;
    this.fields.serverUrl.refreshDescription();
    this.showKeyWarning();
    this.tabs.setAvailable('password', true);
    this.tabs.setAvailable('sso', false);
    // The next profile starts where this one did: the suggested server, the form folded.
    this.serverUrlTyped = false;
    this.expanded = false;
    this.renderFold();
    if (this.suggestion) this.fillSuggestion();
    this.host.persist();
  }

  private renderBusy(): void {
    const busy = this.pending !== undefined;
    for (const button of [this.signInButton, this.ssoButton, this.saveKeyButton]) setBusy(button, busy);
    // What is being signed into must not change under a running sign-in.
    this.fields.profileName.input.readOnly = busy;
    this.fields.serverUrl.input.readOnly = busy;
    this.element.setAttribute('aria-busy', String(busy));
    const running = this.pending && { signInPassword: this.signInButton, startSso: this.ssoButton, saveApiKey: this.saveKeyButton }[this.pending.op];
    for (const button of [this.signInButton, this.ssoButton, this.saveKeyButton]) {
      button.classList.toggle('running', button === running);
    }
    for (const [op, button] of Object.entries(this.cancelCheckButtons)) button.hidden = this.pending?.op !== op;
  }

  get isBusy(): boolean {
    return isBusy(this.signInButton);
  }
}

// Whole sentences, one per combination: word order and the list's conjunction are the translation's.
function reachableText(probe: ProbeResultView): string {
  const sso = probe.providerName ? l10n.t('SSO ({0})', probe.providerName) : l10n.t('SSO');
  if (probe.passwordLoginEnabled && probe.ssoEnabled) return l10n.t('Server reachable. Sign in with username and password, {0} or an API key.', sso);
  if (probe.passwordLoginEnabled) return l10n.t('Server reachable. Sign in with username and password or an API key.');
  if (probe.ssoEnabled) return l10n.t('Server reachable. Sign in with {0} or an API key.', sso);
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
