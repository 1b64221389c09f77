import * as l10n from '@vscode/l10n';
import { h, icon, setBusy } from './dom';
import { loadDiagnostic, loadedDiagnostic } from './diagnosticLoader';
import { copyReport } from './serverTest';
import type { Request } from './vscodeApi';
import { expiryText, expiryWarningDue } from '../src/shared/keyDates';
import type { Answer, FieldProblem, ProfileStatus, ProfileView, TestResult } from '../src/shared/webviewProtocol';
import { sourceName } from '../src/shared/credentialSource';

type ProfileAction = 'useProfile' | 'testConnection' | 'signOut' | 'removeProfile' | 'saveToCli' | 'importFromCli' | 'signInAgain';
type ProfileOperation = Exclude<ProfileAction, 'testConnection' | 'signInAgain'>;

export interface ProfileListHost {
  request: Request;
  announce(text: string): void;
  /** A signed-out profile's way back in: the Add profile form, filled with its name and server. */
  signInAgain(profile: ProfileView): void;
}

// Functions, not tables: the page's translations are configured before they are first called.
const methodLabel = (method: ProfileView['method']): string | undefined =>
  ({ password: l10n.t('via password'), sso: l10n.t('via SSO'), apiKey: l10n.t('pasted key'), unknown: undefined })[method];

// Icons are named literally, `icon('name')`: the build keeps the codicon rules it finds named so.
const statusTexts = (): Record<ProfileStatus, { text: string; icon: () => HTMLElement; tone: 'ok' | 'warning' | 'error' }> => ({
  verified: { text: l10n.t('Connection verified.'), icon: () => icon('pass'), tone: 'ok' },
  invalidKey: { text: l10n.t('The server rejected the key. Sign in again or paste a new key.'), icon: () => icon('error'), tone: 'error' },
  forbidden: { text: l10n.t('The key works, but this account lacks permission. Ask an administrator.'), icon: () => icon('warning'), tone: 'warning' },
  unreachable: { text: l10n.t('The server could not be reached at the last check.'), icon: () => icon('warning'), tone: 'warning' },
  signedOut: { text: l10n.t('Signed out.'), icon: () => icon('circle-slash'), tone: 'warning' },
});

const busyText = (action: Exclude<ProfileAction, 'signInAgain'>, name: string): string =>
  ({
    useProfile: () => l10n.t('Switching to {0}…', name),
    testConnection: () => l10n.t('Testing the connection to {0}…', name),
    signOut: () => l10n.t('Signing out of {0}…', name),
    removeProfile: () => l10n.t('Removing {0}…', name),
    saveToCli: () => l10n.t('Saving to the CLI configuration: {0}…', name),
    importFromCli: () => l10n.t('Importing from the CLI configuration: {0}…', name),
  })[action]();

/** The extension's and the CLI's profiles, the active one marked, each with what can be done to it. */
export class ProfileList {
  readonly element: HTMLElement;
  readonly heading: HTMLHeadingElement;
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLDivElement;
  private readonly loading: HTMLParagraphElement;
  private profiles: ProfileView[] = [];
  private readonly busy = new Map<string, Exclude<ProfileAction, 'signInAgain'>>();
  private readonly tests = new Map<string, TestResult>();
  private readonly errors = new Map<string, FieldProblem>();
  /** What an operation did, when the host said more than its name ("Saved to CLI profile …"). */
  private readonly notices = new Map<string, string>();
  private loaded = false;

  constructor(
    private readonly host: ProfileListHost,
    addProfile: () => void,
  ) {
    this.heading = h('h2', { id: 'profiles-heading', tabindex: '-1' }, l10n.t('Profiles'));
    this.list = h('ul', { class: 'profiles', 'aria-labelledby': 'profiles-heading', hidden: true });
    this.loading = h('p', { class: 'hint' }, l10n.t('Loading profiles…'));
    const addButton = h('button', { type: 'button', class: 'button secondary' }, icon('add'), l10n.t('Add profile'));
    addButton.addEventListener('click', addProfile);
    this.empty = h(
      'div',
      { class: 'empty', hidden: true },
      icon('account', 'empty-icon'),
      h('p', { class: 'empty-title' }, l10n.t('No profiles yet')),
      h('p', { class: 'hint' }, l10n.t('Sign in to your CoderFlow server with your username and password, with SSO, or with an API key you already have.')),
      addButton,
    );
    this.element = h('section', { class: 'profiles-section', 'aria-labelledby': 'profiles-heading' }, this.heading, this.loading, this.list, this.empty);
  }

  get hasLoaded(): boolean {
    return this.loaded;
  }

  render(profiles: ProfileView[]): void {
    this.loaded = true;
    this.profiles = profiles;
    for (const map of [this.busy, this.tests, this.errors, this.notices]) {
      for (const id of map.keys()) if (!profiles.some((profile) => profile.id === id)) map.delete(id);
    }
    this.paint();
  }

  private onTestResult(message: TestResult): void {
    this.busy.delete(message.id);
    this.errors.delete(message.id);
    this.tests.set(message.id, message);
    this.paint();
    const name = this.nameOf(message.id);
    const view = loadedDiagnostic();
    const outcome = message.diagnostic && view ? view.diagnosticSummary(message.diagnostic) : `${message.message}${message.fix ? ` ${message.fix}` : ''}`;
    this.host.announce(`${name ? `${name}: ` : ''}${outcome}`);
  }

  /** `error` absent: the person declined a confirmation, nothing to report. */
  private failed(id: string, error: FieldProblem | undefined): void {
    this.busy.delete(id);
    this.notices.delete(id);
    if (error) {
      this.errors.set(id, error);
      this.host.announce(`${error.message}${error.fix ? ` ${error.fix}` : ''}`);
    }
    this.paint();
  }

  private finish(op: ProfileOperation, id: string, answer: Answer<ProfileOperation>): void {
    if (!answer.ok) return this.failed(id, answer.error);
    const name = this.nameOf(id) ?? l10n.t('the profile');
    this.busy.delete(id);
    this.errors.delete(id);
    this.tests.delete(id);
    if (answer.value.message) this.notices.set(id, answer.value.message);
    else this.notices.delete(id);
    this.host.announce(answer.value.message ?? successText(op, name));
    this.paint();
  }

  private testConnection(id: string): void {
    void this.host.request('testConnection', { id }).then((answer) => {
      if (!answer.ok) return this.failed(id, answer.error);
      const result = answer.value;
      // The steps' view loads on the first result; the outcome shows without it if it cannot.
      if (result.diagnostic) void loadDiagnostic().catch(() => undefined).then(() => this.onTestResult(result));
      else this.onTestResult(result);
    });
  }

  /** Moves focus to a profile's entry; false when it is not listed (yet). */
  focusProfile(id: string): boolean {
    const item = this.itemOf(id);
    if (!item) return false;
    item.focus();
    return true;
  }

  private paint(): void {
    const focus = this.focusedAction();
    this.loading.hidden = true;
    this.empty.hidden = this.profiles.length > 0;
    this.list.hidden = this.profiles.length === 0;
    this.list.replaceChildren(...this.profiles.map((profile, index) => this.item(profile, index)));
    if (focus) this.restoreFocus(focus);
  }

  private item(profile: ProfileView, index: number): HTMLLIElement {
    const prefix = `profile-${index}`;
    const busy = this.busy.get(profile.id);
    const signedOut = profile.status === 'signedOut';
    const head = h(
      'div',
      { class: 'profile-head' },
      profile.source === 'cli' ? icon('terminal', 'profile-icon') : icon('server', 'profile-icon'),
      h('span', { class: 'profile-name', id: `${prefix}-name` }, profile.name),
      profile.source === 'cli' && h('span', { class: 'badge', title: l10n.t('From the CoderFlow CLI configuration') }, l10n.t('CLI')),
    );
    const activeMark =
      profile.active &&
      h(
        'p',
        { class: 'active-mark' },
        icon('pass-filled'),
        h('span', {}, profile.activeSource ? l10n.t('Active · from {0}', sourceName(profile.activeSource)) : l10n.t('Active')),
      );
    const details = [
      profile.user ? l10n.t('Signed in as {0}', profile.user) : undefined,
      profile.maskedKey ? l10n.t('key {0}', profile.maskedKey) : undefined,
      methodLabel(profile.method),
    ].filter((part): part is string => part !== undefined);
    const expiry = profile.keyExpiresAt ? expiryText(profile.keyExpiresAt, Date.now()) : undefined;
    const expiring = profile.keyExpiresAt !== undefined && expiryWarningDue(profile.keyExpiresAt, Date.now());

    const item = h(
      'li',
      {
        class: `profile${profile.active ? ' active' : ''}`,
        'aria-current': profile.active ? 'true' : undefined,
        'aria-busy': busy ? 'true' : undefined,
        'data-id': profile.id,
        tabindex: '-1',
      },
      head,
      activeMark,
      h('p', { class: 'profile-detail server' }, profile.serverUrl),
      // Each part keeps to one line, so a narrow view wraps between them.
      details.length > 0 &&
        h('p', { class: 'profile-detail' }, ...details.flatMap((part, at) => [at > 0 ? ' · ' : undefined, h('span', { class: 'part' }, part)])),
      expiry &&
        h(
          'p',
          { class: `profile-status key-expiry${expiring ? ' warning' : ''}` },
          expiring ? icon('warning') : icon('clock'),
          h('span', {}, `${l10n.t('Key {0}.', expiry)}${expiryAdvice(profile.keyExpiresAt, expiring)}`),
        ),
      this.statusLine(profile),
      this.diagnostic(profile.id),
      this.noticeLine(profile.id),
      this.errorLine(profile.id),
      this.actions(profile, signedOut, busy),
    );
    return item;
  }

  private statusLine(profile: ProfileView): HTMLElement | undefined {
    const test = this.tests.get(profile.id);
    if (test) {
      const tone = test.ok ? 'ok' : test.status === 'invalidKey' ? 'error' : 'warning';
      return h(
        'p',
        { class: `profile-status ${tone}` },
        test.ok ? icon('pass') : tone === 'error' ? icon('error') : icon('warning'),
        h('span', {}, test.message, test.fix ? ` ${test.fix}` : ''),
      );
    }
    if (!profile.status) return undefined;
    const status = statusTexts()[profile.status];
    const when = profile.status === 'verified' && profile.lastVerifiedAt ? formatWhen(profile.lastVerifiedAt) : undefined;
    return h(
      'p',
      { class: `profile-status ${status.tone}` },
      status.icon(),
      h('span', {}, when ? l10n.t('Connection verified {0}.', when) : status.text),
    );
  }

  /** The last Test connection's steps, under the profile it tested (main.ts loads their view first). */
  private diagnostic(id: string): HTMLElement | undefined {
    const diagnostic = this.tests.get(id)?.diagnostic;
    const view = loadedDiagnostic();
    return diagnostic && view?.diagnosticSection(diagnostic, (reportId) => copyReport(this.host, reportId));
  }

  private noticeLine(id: string): HTMLElement | undefined {
    const notice = this.notices.get(id);
    if (!notice) return undefined;
    return h('p', { class: 'profile-status ok' }, icon('pass'), h('span', {}, notice));
  }

  private errorLine(id: string): HTMLElement | undefined {
    const error = this.errors.get(id);
    if (!error) return undefined;
    return h(
      'p',
      { class: 'profile-status error' },
      icon('error'),
      h('span', {}, error.message, error.fix ? ` ${error.fix}` : ''),
    );
  }

  private actions(profile: ProfileView, signedOut: boolean, busy: ProfileAction | undefined): HTMLElement {
    const actions: Array<[ProfileAction, string]> = [];
    if (profile.source === 'cli') {
      // The CLI owns its file: the Profile Manager uses and checks CLI profiles but leaves
      // signing out and removing them to `coder`.
      if (!profile.active) actions.push(['useProfile', l10n.t('Use')]);
      actions.push(['testConnection', l10n.t('Test connection')]);
      if (!signedOut) actions.push(['importFromCli', l10n.t('Import from CLI')]);
    } else if (signedOut) {
      actions.push(['signInAgain', l10n.t('Sign in again')], ['removeProfile', l10n.t('Remove')]);
    } else {
      if (!profile.active) actions.push(['useProfile', l10n.t('Use')]);
      actions.push(
        ['testConnection', l10n.t('Test connection')],
        ['signOut', l10n.t('Sign out')],
        ['removeProfile', l10n.t('Remove')],
        ['saveToCli', l10n.t('Save to CLI profile')],
      );
    }
    const row = h('div', { class: 'actions' });
    for (const [action, label] of actions) {
      const button = h(
        'button',
        { type: 'button', class: action === 'useProfile' ? 'button small' : 'button secondary small', 'data-action': action },
        busy === action ? icon('loading', 'codicon-modifier-spin') : undefined,
        label,
      );
      setBusy(button, busy !== undefined);
      button.addEventListener('click', () => this.run(profile, action));
      row.appendChild(button);
    }
    if (profile.source === 'cli') {
      row.appendChild(h('p', { class: 'hint cli-hint' }, l10n.t('Managed by the CoderFlow CLI ({0}).', 'coder profile …')));
    }
    return row;
  }

  private run(profile: ProfileView, action: ProfileAction): void {
    if (this.busy.has(profile.id)) return;
    if (action === 'signInAgain') {
      this.host.signInAgain(profile);
      return;
    }
    this.busy.set(profile.id, action);
    this.errors.delete(profile.id);
    this.notices.delete(profile.id);
    if (action === 'testConnection') this.tests.delete(profile.id);
    this.paint();
    this.host.announce(busyText(action, profile.name));
    if (action === 'testConnection') return this.testConnection(profile.id);
    void this.host.request(action, { id: profile.id }).then((answer) => this.finish(action, profile.id, answer));
  }

  private nameOf(id: string): string | undefined {
    return this.profiles.find((profile) => profile.id === id)?.name;
  }

  private itemOf(id: string): HTMLLIElement | undefined {
    return Array.from(this.list.children).find(
      (item): item is HTMLLIElement => item instanceof HTMLLIElement && item.dataset.id === id,
    );
  }

  private focusedAction(): { id: string; action: string | undefined; index: number } | undefined {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || !this.list.contains(active)) return undefined;
    const item = active.closest('li');
    if (!item?.dataset.id) return undefined;
    return { id: item.dataset.id, action: active.dataset.action, index: Array.from(this.list.children).indexOf(item) };
  }

  // Re-painting replaces the buttons; a person on one must stay where they were, or on the
  // nearest entry when theirs went away (a removed profile).
  private restoreFocus(focus: { id: string; action: string | undefined; index: number }): void {
    const item = this.itemOf(focus.id);
    if (item) {
      const button = focus.action ? item.querySelector<HTMLButtonElement>(`button[data-action="${focus.action}"]`) : null;
      (button ?? item).focus();
      return;
    }
    const neighbour = this.list.children[Math.min(focus.index, this.list.children.length - 1)];
    if (neighbour instanceof HTMLElement) neighbour.focus();
    else this.heading.focus();
  }
}

function successText(op: ProfileOperation, name: string): string {
  switch (op) {
    case 'useProfile':
      return l10n.t('Now using {0}.', name);
    case 'signOut':
      return l10n.t('Signed out of {0}.', name);
    case 'removeProfile':
      return l10n.t('Removed {0}.', name);
    default:
      return l10n.t('Done.');
  }
}

function formatWhen(iso: string): string | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return l10n.t('on {0}', date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
}

// An expired key cannot make its successor: only signing in again helps then.
function expiryAdvice(expiresAt: string | undefined, expiring: boolean): string {
  if (!expiring || expiresAt === undefined) return '';
  return ` ${Date.parse(expiresAt) <= Date.now() ? l10n.t('Sign in again to get a new key.') : l10n.t('Rotate it under API keys.')}`;
}
