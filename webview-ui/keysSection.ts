import * as l10n from '@vscode/l10n';
import { h, icon, setBusy } from './dom';
import { expiryText, expiryWarningDue } from '../src/shared/keyDates';
import { keysProfile } from './keysProfile';
import type { Answer, ApiKeyView, FieldProblem, KeyList, ProfileView } from '../src/shared/webviewProtocol';
import type { Request } from './vscodeApi';

type KeyOperation = 'revokeKey' | 'revokeStaleKeys' | 'rotateKey';

export interface KeysSectionHost {
  request: Request;
  announce(text: string): void;
}

/**
 * Manage API keys, for the extension profile in use: the user's keys with when each was made and
 * last used, which one this device holds, which are stale or expiring; Revoke, Revoke stale keys
 * and Rotate key. Confirmations are the host's (VS Code's own dialogs).
 */
export class KeysSection {
  readonly element: HTMLElement;
  private readonly intro: HTMLParagraphElement;
  private readonly rotateButton: HTMLButtonElement;
  private readonly revokeStaleButton: HTMLButtonElement;
  private readonly status: HTMLParagraphElement;
  private readonly list: HTMLUListElement;
  private profile: ProfileView | undefined;
  /** Which profile and key the list was asked for: a new key (rotated, signed in again) asks again. */
  private requested: string | undefined;
  private keys: ApiKeyView[] | undefined;
  private listError: FieldProblem | undefined;
  private busy: { op: KeyOperation; keyId?: string } | undefined;
  private outcome: { tone: 'ok' | 'error'; text: string } | undefined;

  constructor(private readonly host: KeysSectionHost) {
    const heading = h('h2', { id: 'keys-heading' }, l10n.t('API keys'));
    this.intro = h('p', { class: 'hint' });
    this.rotateButton = h('button', { type: 'button', class: 'button secondary small', 'data-action': 'rotateKey' }, l10n.t('Rotate key'));
    this.revokeStaleButton = h('button', { type: 'button', class: 'button secondary small', 'data-action': 'revokeStaleKeys', hidden: true }, l10n.t('Revoke stale keys'));
    this.rotateButton.addEventListener('click', () => this.run('rotateKey'));
    this.revokeStaleButton.addEventListener('click', () => this.run('revokeStaleKeys'));
    this.status = h('p', { class: 'hint keys-status' });
    this.list = h('ul', { class: 'keys', 'aria-labelledby': 'keys-heading', hidden: true });
    this.element = h(
      'section',
      { class: 'keys-section', 'aria-labelledby': 'keys-heading', hidden: true },
      heading,
      this.intro,
      h('div', { class: 'actions' }, this.rotateButton, this.revokeStaleButton),
      this.status,
      this.list,
    );
  }

  /** Follows the profile in use: shown for a signed-in extension profile, hidden otherwise. */
  render(profiles: readonly ProfileView[]): void {
    const profile = keysProfile(profiles);
    this.profile = profile;
    this.element.hidden = profile === undefined;
    if (!profile) {
      this.requested = undefined;
      this.keys = undefined;
      this.busy = undefined;
      this.outcome = undefined;
      return;
    }
    const wanted = `${profile.id} ${profile.maskedKey ?? ''}`;
    if (wanted !== this.requested) {
      // Another profile, or the same with a new key: what was shown belongs to the old one.
      if (this.requested?.split(' ')[0] !== profile.id) this.outcome = undefined;
      this.requested = wanted;
      this.keys = undefined;
      this.listError = undefined;
      this.fetchKeys(profile.id);
    }
    this.paint();
  }

  // Keeps what is shown until the answer comes: a list asked for again after an operation
  // replaces the old one in place, so focus can stay where it was.
  private fetchKeys(profileId: string): void {
    void this.host.request('listKeys', { profileId }).then((answer) => {
      if (answer.ok) this.onKeys(answer.value);
    });
  }

  private onKeys(list: KeyList): void {
    if (list.profileId !== this.profile?.id) return;
    this.keys = list.keys;
    this.listError = list.error;
    this.paint();
  }

  /** A key operation's answer; the list is asked for again, as the operation may have changed it. */
  private finish(profileId: string, answer: Answer<KeyOperation>): void {
    this.busy = undefined;
    if (!answer.ok && answer.error) {
      const text = `${answer.error.message}${answer.error.fix ? ` ${answer.error.fix}` : ''}`;
      this.outcome = { tone: 'error', text };
      this.host.announce(text);
    } else if (answer.ok && answer.value.message) {
      this.outcome = { tone: 'ok', text: answer.value.message };
      this.host.announce(answer.value.message);
    }
    this.paint();
    this.fetchKeys(profileId);
  }

  private run(op: KeyOperation, key?: ApiKeyView): void {
    const profile = this.profile;
    if (!profile || this.busy) return;
    this.busy = { op, ...(key ? { keyId: key.id } : {}) };
    this.outcome = undefined;
    this.paint();
    switch (op) {
      case 'rotateKey':
        this.host.announce(l10n.t('Rotating the key of {0}…', profile.name));
        void this.host.request('rotateKey', { id: profile.id }).then((answer) => this.finish(profile.id, answer));
        return;
      case 'revokeStaleKeys':
        this.host.announce(l10n.t('Revoking the stale keys…'));
        void this.host.request('revokeStaleKeys', { profileId: profile.id }).then((answer) => this.finish(profile.id, answer));
        return;
      case 'revokeKey':
        if (!key) return;
        this.host.announce(l10n.t('Revoking {0}…', key.name));
        void this.host.request('revokeKey', { profileId: profile.id, keyId: key.id }).then((answer) => this.finish(profile.id, answer));
        return;
    }
  }

  private paint(): void {
    const profile = this.profile;
    if (!profile) return;
    const focused = this.focusedControl();
    this.intro.textContent = profile.user
      ? l10n.t('The keys of {0} on {1}, listed with the key of {2}.', profile.user, profile.serverUrl, profile.name)
      : l10n.t('The keys of your user on {0}, listed with the key of {1}.', profile.serverUrl, profile.name);
    const keys = this.keys;
    const staleCount = keys?.filter((k) => k.stale && !k.thisDevice).length ?? 0;
    this.revokeStaleButton.hidden = staleCount === 0;
    this.revokeStaleButton.title =
      staleCount === 1 ? l10n.t('Revoke the key not used for 90 days or more') : l10n.t('Revoke the {0} keys not used for 90 days or more', staleCount);
    for (const [button, op] of [[this.rotateButton, 'rotateKey'], [this.revokeStaleButton, 'revokeStaleKeys']] as const) {
      setBusy(button, this.busy !== undefined);
      button.classList.toggle('running', this.busy?.op === op);
    }

    this.status.replaceChildren();
    this.status.className = 'keys-status';
    if (this.outcome) {
      this.status.className = `profile-status keys-status ${this.outcome.tone}`;
      this.status.append(this.outcome.tone === 'ok' ? icon('pass') : icon('error'), h('span', {}, this.outcome.text));
    } else if (this.listError) {
      this.status.className = 'profile-status keys-status error';
      this.status.append(icon('error'), h('span', {}, this.listError.message, this.listError.fix ? ` ${this.listError.fix}` : ''));
    } else if (!keys) {
      this.status.className = 'hint keys-status';
      this.status.textContent = l10n.t('Loading keys…');
    } else if (keys.length === 0) {
      this.status.className = 'hint keys-status';
      this.status.textContent = l10n.t('No keys listed.');
    }
    this.status.hidden = this.status.childNodes.length === 0;

    this.list.hidden = !keys || keys.length === 0;
    this.list.replaceChildren(...(keys ?? []).map((key, index) => this.item(key, index)));
    if (focused) this.restoreFocus(focused);
  }

  private item(key: ApiKeyView, index: number): HTMLLIElement {
    const now = Date.now();
    const nameId = `key-${index}-name`;
    const expiry = expiryText(key.expiresAt, now);
    const expiring = key.expiresAt ? expiryWarningDue(key.expiresAt, now) : false;
    const revoke = h('button', { type: 'button', class: 'button secondary small', 'data-action': 'revokeKey', 'aria-describedby': nameId }, l10n.t('Revoke'));
    const revoking = this.busy?.op === 'revokeKey' && this.busy.keyId === key.id;
    setBusy(revoke, this.busy !== undefined);
    revoke.classList.toggle('running', revoking);
    revoke.addEventListener('click', () => this.run('revokeKey', key));
    const parts = [
      l10n.t('Created {0}', formatDay(key.createdAt)),
      key.lastUsedAt ? l10n.t('last used {0}', formatDay(key.lastUsedAt)) : l10n.t('never used'),
    ];
    return h(
      'li',
      { class: `key${key.thisDevice ? ' this-device' : ''}`, 'data-id': key.id, 'aria-busy': revoking ? 'true' : undefined },
      h(
        'div',
        { class: 'key-head' },
        key.thisDevice ? icon('device-desktop', 'key-icon') : icon('key', 'key-icon'),
        h('span', { class: 'key-name', id: nameId }, key.name),
        key.thisDevice && h('span', { class: 'badge' }, l10n.t('This device')),
        key.stale && h('span', { class: 'badge stale', title: l10n.t('Not used for 90 days or more') }, l10n.t('Stale')),
      ),
      h('p', { class: 'profile-detail' }, ...parts.flatMap((part, at) => [at > 0 ? ' · ' : undefined, h('span', { class: 'part' }, part)])),
      expiry && h('p', { class: `profile-status key-expiry${expiring ? ' warning' : ''}` }, expiring ? icon('warning') : icon('clock'), h('span', {}, l10n.t('Key {0}.', expiry))),
      h('div', { class: 'actions' }, revoke),
    );
  }

  private focusedControl(): { keyId?: string; action?: string; index: number } | undefined {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || !this.element.contains(active)) return undefined;
    const item = active.closest('li');
    return {
      ...(item?.dataset.id ? { keyId: item.dataset.id } : {}),
      ...(active.dataset.action ? { action: active.dataset.action } : {}),
      index: item ? Array.from(this.list.children).indexOf(item) : -1,
    };
  }

  // Repainting replaces the key entries: focus stays on the same control, or on the next key
  // when the one it was on is gone (revoked), or on Rotate key when none is left.
  private restoreFocus(focus: { keyId?: string; action?: string; index: number }): void {
    if (focus.keyId === undefined) {
      const button = focus.action === 'revokeStaleKeys' && !this.revokeStaleButton.hidden ? this.revokeStaleButton : this.rotateButton;
      button.focus();
      return;
    }
    const items = Array.from(this.list.children) as HTMLElement[];
    const same = items.find((item) => item.dataset.id === focus.keyId);
    const target = same ?? items[Math.min(focus.index, items.length - 1)];
    const button = target?.querySelector<HTMLButtonElement>('button[data-action="revokeKey"]');
    (button ?? this.rotateButton).focus();
  }
}

function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString(undefined, { dateStyle: 'medium' });
}
