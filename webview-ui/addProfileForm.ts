// The Add profile form: profile name and server, the sign-in method tabs, and the sign-in it runs.
import './addProfileForm.css';
import * as l10n from '@vscode/l10n';
import { h, icon, replaceChildren } from './dom';
import { Field } from './field';
import { AddProfileHeading } from './addProfileHeading';
import { ServerUrlField } from './serverUrlField';
import { SignInTabs, type FormOperation } from './signInTabs';
import type { Answer, FieldProblem, FormField, PageNotification, ProbeResultView, Problem, ToPageOf } from '../src/shared/webviewProtocol';
import type { SignInMethod } from '../src/shared/signInMethod';
import type { Request } from './vscodeApi';

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

export class AddProfileForm {
  readonly element: HTMLElement;
  private readonly heading: AddProfileHeading;
  private readonly profileName: Field;
  private readonly serverUrl: ServerUrlField;
  private readonly methods: SignInTabs;
  private readonly fields: Record<FormField, Field>;
  private readonly formError: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private pending: Pending | undefined;

  constructor(private readonly host: AddProfileFormHost) {
    const announce = (text: string) => host.announce(text);
    this.profileName = new Field('profileName', l10n.t('Profile name'), { type: 'text', autocomplete: 'off', placeholder: l10n.t('e.g. production') });
    this.serverUrl = new ServerUrlField({ request: host.request, announce, persist: () => host.persist(), probed: (probe) => this.methods.offer(probe) });
    this.methods = new SignInTabs(
      { request: host.request, announce, cancel: () => this.cancelSso(), showError: (problem) => this.showFormError(problem) },
      () => {
        this.clearFormError();
        this.host.persist();
      },
    );
    const { password, sso, apiKey } = this.methods;
    this.fields = { profileName: this.profileName, serverUrl: this.serverUrl.field, username: password.username, password: password.password, apiKey: apiKey.apiKey };

    this.formError = h('div', { id: 'form-error', class: 'form-error', role: 'alert', hidden: true });
    const form = h(
      'form',
      { class: 'add-profile', 'aria-labelledby': 'add-heading', novalidate: true },
      this.profileName.element,
      this.serverUrl.field.element,
      this.serverUrl.serverTest.element,
      ...this.methods.elements,
      this.formError,
    );
    this.body = h('div', { id: 'add-body' }, form);
    this.heading = new AddProfileHeading(this.body, () => this.inUse());
    this.element = h('section', { class: 'add-section', 'aria-labelledby': 'add-heading' }, this.heading.element, this.body);

    form.addEventListener('submit', (event) => event.preventDefault());
    // Enter in a field runs the selected tab's action; the buttons are not submit buttons, so
    // the browser's implicit submission never picks a button hidden in another tab.
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && event.target instanceof HTMLInputElement && !event.target.readOnly) {
        event.preventDefault();
        if (event.target === this.serverUrl.field.input) this.serverUrl.check();
        this.submit(this.methods.tabs.current);
      }
    });
    password.signInButton.addEventListener('click', () => this.submit('password'));
    sso.button.addEventListener('click', () => {
      // The code's panel loads while the server makes the code.
      void sso.load().catch(() => undefined);
      this.submit('sso');
    });
    apiKey.saveButton.addEventListener('click', () => this.submit('apiKey'));
    for (const button of [password.cancelButton, apiKey.cancelButton]) button.addEventListener('click', () => this.cancelCheck());
    for (const field of [this.profileName, password.username]) {
      field.input.addEventListener('input', () => this.host.persist());
    }
  }

  snapshot(): FormSnapshot {
    const probe = this.serverUrl.lastProbe;
    return {
      profileName: this.profileName.value,
      serverUrl: this.serverUrl.field.value,
      username: this.fields.username.value,
      tab: this.methods.tabs.current,
      ...(probe ? { probe } : {}),
    };
  }

  restore(snapshot: FormSnapshot): void {
    this.profileName.value = snapshot.profileName;
    this.fields.username.value = snapshot.username;
    this.serverUrl.restore(snapshot.serverUrl, snapshot.probe);
    this.methods.tabs.select(snapshot.tab);
  }

  /** Brings the form forward, its first empty field focused. */
  reveal(): void {
    this.heading.unfold();
    this.element.scrollIntoView({ block: 'start' });
    const firstEmpty = [this.profileName, this.serverUrl.field].find((field) => field.value.trim() === '');
    (firstEmpty ?? this.profileName).input.focus();
  }

  /** Starts a new sign-in for an existing profile's name and server. */
  prefill(profileName: string, serverUrl: string): void {
    if (this.pending) return;
    this.heading.unfold();
    this.profileName.value = profileName;
    this.serverUrl.prefill(serverUrl);
    this.clearAllErrors();
    this.serverUrl.check();
    this.host.persist();
    this.element.scrollIntoView({ block: 'start' });
    this.methods.tabs.select(this.methods.tabs.current, { focus: true });
  }

  /** The host's suggestion for Server URL (see ServerUrlField.suggest). */
  suggestServerUrl(url: string | undefined): void {
    this.serverUrl.suggest(url, this.pending !== undefined);
  }

  setFoldable(foldable: boolean): void {
    this.heading.setFoldable(foldable);
  }

  onSsoCode(message: ToPageOf<'ssoCode'>): void {
    // Also arrives unasked after the page reloads while a sign-in runs: the host knows it is running.
    if (this.pending?.op !== 'startSso') {
      const pending: Pending = { op: 'startSso', profileName: this.profileName.value.trim() };
      this.pending = pending;
      this.renderBusy();
      void this.host.request('resumeSso', {}).then((answer) => this.finishSignIn(pending, answer));
    }
    const focusWasOnStart = this.methods.sso.hasStartFocus();
    this.heading.unfold();
    this.methods.tabs.setAvailable('sso', true);
    this.methods.tabs.select('sso');
    this.methods.sso.showCode(message, focusWasOnStart, () => this.pending?.op === 'startSso');
  }

  onBrowserOpened(error: FieldProblem | undefined): void {
    this.methods.sso.onBrowserOpened(error);
  }

  private finishSignIn(pending: Pending, answer: Answer<FormOperation | 'resumeSso'>): void {
    // An answer the page no longer waits for (cancelled, or replaced by a newer sign-in).
    if (this.pending !== pending) return;
    this.pending = undefined;
    this.renderBusy();
    if (pending.op === 'startSso') this.methods.sso.close();
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
    if (this.methods.tabs.current !== method) this.methods.tabs.select(method);
    this.clearFormError();
    const profileName = this.profileName.value.trim();
    const serverUrl = this.serverUrl.field.value.trim();
    const problems: Array<[FormField, string]> = [];
    if (profileName === '') problems.push(['profileName', l10n.t('Enter a name for this profile.')]);
    const serverUrlProblem = this.serverUrl.problem();
    if (serverUrlProblem) problems.push(['serverUrl', serverUrlProblem]);
    problems.push(...this.methods.problems(method));
    if (problems.length > 0) {
      for (const [field, message] of problems) this.fields[field].showError({ message });
      this.fields[problems[0][0]].input.focus();
      return;
    }

    const { op, answer, progress } = this.methods.start(method, this.host.request, { profileName, serverUrl });
    const pending: Pending = { op, profileName };
    this.pending = pending;
    void answer.then((result) => this.finishSignIn(pending, result));
    this.host.announce(progress);
    this.renderBusy();
  }

  private cancelCheck(): void {
    const op = this.pending?.op;
    if (op !== 'signInPassword' && op !== 'saveApiKey') return;
    this.host.notify({ type: 'cancelSignIn' });
    this.pending = undefined;
    this.renderBusy();
    this.host.announce(l10n.t('Sign-in cancelled. Nothing was saved.'));
    this.methods.startButton(op).focus();
  }

  private cancelSso(): void {
    this.host.notify({ type: 'cancelSso' });
    this.pending = undefined;
    this.renderBusy();
    this.methods.sso.close();
    this.host.announce(l10n.t('SSO sign-in cancelled.'));
    this.methods.sso.button.focus();
  }

  /** Something the person typed or started is in the form. */
  private inUse(): boolean {
    const { profileName, username, password, apiKey } = this.fields;
    return (
      this.pending !== undefined ||
      this.methods.sso.isOpen ||
      this.body.contains(document.activeElement) ||
      [profileName, username, password, apiKey].some((field) => field.value.trim() !== '') ||
      this.serverUrl.holdsOwnUrl()
    );
  }

  private showProblem(problem: FieldProblem): void {
    if (!problem.field) {
      this.showFormError(problem);
      return;
    }
    const field = this.fields[problem.field];
    if (problem.field === 'username' || problem.field === 'password') this.methods.tabs.select('password');
    if (problem.field === 'apiKey') this.methods.tabs.select('apiKey');
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
    this.serverUrl.forget();
    this.methods.apiKey.showWarning();
    this.methods.offerDefault();
    // The next profile starts where this one did: the suggested server, the form folded.
    this.heading.fold();
    this.serverUrl.refill();
    this.host.persist();
  }

  private renderBusy(): void {
    const busy = this.pending !== undefined;
    this.methods.renderBusy(this.pending?.op);
    // What is being signed into must not change under a running sign-in.
    this.profileName.input.readOnly = busy;
    this.serverUrl.field.input.readOnly = busy;
    this.element.setAttribute('aria-busy', String(busy));
  }
}
