// The Add profile form's Username & password tab: its two fields and its Sign in and Cancel buttons.
import * as l10n from '@vscode/l10n';
import { h } from './dom';
import { Field } from './field';
import type { TabSpec } from './tabs';
import type { Answer, FormField } from '../src/shared/webviewProtocol';
import type { Request } from './vscodeApi';

export class PasswordSection {
  readonly username: Field;
  readonly password: Field;
  readonly signInButton: HTMLButtonElement;
  /** Shown while the server checks the password: aborts that check on the host. */
  readonly cancelButton: HTMLButtonElement;
  readonly tab: TabSpec<'password'>;

  constructor() {
    this.username = new Field('username', l10n.t('Username'), { type: 'text', autocomplete: 'username' });
    this.password = new Field('password', l10n.t('Password'), { type: 'password', autocomplete: 'current-password' });
    this.signInButton = h('button', { type: 'button', class: 'button' }, l10n.t('Sign in'));
    this.cancelButton = h('button', { type: 'button', class: 'button secondary', hidden: true }, l10n.t('Cancel'));
    const panel = h('div', { class: 'panel' }, this.username.element, this.password.element, h('div', { class: 'actions' }, this.signInButton, this.cancelButton));
    this.tab = { id: 'password', label: l10n.t('Username & password'), panel };
  }

  /** What is missing before a sign-in can start. */
  problems(): Array<[FormField, string]> {
    const problems: Array<[FormField, string]> = [];
    if (this.username.value.trim() === '') problems.push(['username', l10n.t('Enter your username.')]);
    if (this.password.value === '') problems.push(['password', l10n.t('Enter your password.')]);
    return problems;
  }

  signIn(request: Request, base: { profileName: string; serverUrl: string }): Promise<Answer<'signInPassword'>> {
    return request('signInPassword', { ...base, username: this.username.value.trim(), password: this.password.value });
  }
}
