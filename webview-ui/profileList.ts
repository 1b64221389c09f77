// The profile list section: its entries (profileEntry.ts), the empty state, and the actions run on them.
import './profileList.css';
import * as l10n from '@vscode/l10n';
import { h, icon } from './dom';
import { loadDiagnostic, loadedDiagnostic } from './diagnosticLoader';
import { profileEntry, type ProfileAction } from './profileEntry';
import { copyReport } from './serverTest';
import type { Request } from './vscodeApi';
import type { Answer, FieldProblem, ProfileView, TestResult } from '../src/shared/webviewProtocol';

type ProfileOperation = Exclude<ProfileAction, 'testConnection' | 'signInAgain'>;

export interface ProfileListHost {
  request: Request;
  announce(text: string): void;
  /** A signed-out profile's way back in: the Add profile form, filled with its name and server. */
  signInAgain(profile: ProfileView): void;
}

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
    this.list.replaceChildren(
      ...this.profiles.map((profile, index) =>
        profileEntry(
          profile,
          index,
          { busy: this.busy.get(profile.id), test: this.tests.get(profile.id), error: this.errors.get(profile.id), notice: this.notices.get(profile.id) },
          { run: (action) => this.run(profile, action), copyReport: (reportId) => copyReport(this.host, reportId) },
        ),
      ),
    );
    if (focus) this.restoreFocus(focus);
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

