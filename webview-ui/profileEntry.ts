// One entry of the profile list: the profile's name, server and status lines, the last Test
// connection's steps, and the buttons for what can be done to it.
import * as l10n from '@vscode/l10n';
import { h, icon, setBusy } from './dom';
import { loadedDiagnostic } from './diagnosticLoader';
import { expiryText, expiryWarningDue } from '../src/shared/keyDates';
import type { FieldProblem, ProfileStatus, ProfileView, TestResult } from '../src/shared/webviewProtocol';
import { sourceName } from '../src/shared/credentialSource';

export type ProfileAction = 'useProfile' | 'testConnection' | 'signOut' | 'removeProfile' | 'saveToCli' | 'importFromCli' | 'signInAgain';

/** What the list knows about a profile beyond the host's view of it. */
export interface EntryState {
  /** The action running on it. */
  busy?: Exclude<ProfileAction, 'signInAgain'>;
  /** The last Test connection's result. */
  test?: TestResult;
  error?: FieldProblem;
  /** What an operation did, when the host said more than its name ("Saved to CLI profile …"). */
  notice?: string;
}

export interface EntryActions {
  run(action: ProfileAction): void;
  copyReport(reportId: string): void;
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

/** The list item for `profile`, the `index`th listed; its ids start with `profile-<index>`. */
export function profileEntry(profile: ProfileView, index: number, state: EntryState, actions: EntryActions): HTMLLIElement {
  const prefix = `profile-${index}`;
  const busy = state.busy;
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

  return h(
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
    statusLine(profile, state.test),
    diagnostic(state.test, actions),
    noticeLine(state.notice),
    errorLine(state.error),
    actionRow(profile, signedOut, busy, actions),
  );
}

function statusLine(profile: ProfileView, test: TestResult | undefined): HTMLElement | undefined {
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

/** The last Test connection's steps, under the profile it tested (the list loads their view first). */
function diagnostic(test: TestResult | undefined, actions: EntryActions): HTMLElement | undefined {
  const diagnostic = test?.diagnostic;
  const view = loadedDiagnostic();
  return diagnostic && view?.diagnosticSection(diagnostic, (reportId) => actions.copyReport(reportId));
}

function noticeLine(notice: string | undefined): HTMLElement | undefined {
  if (!notice) return undefined;
  return h('p', { class: 'profile-status ok' }, icon('pass'), h('span', {}, notice));
}

function errorLine(error: FieldProblem | undefined): HTMLElement | undefined {
  if (!error) return undefined;
  return h(
    'p',
    { class: 'profile-status error' },
    icon('error'),
    h('span', {}, error.message, error.fix ? ` ${error.fix}` : ''),
  );
}

function actionRow(profile: ProfileView, signedOut: boolean, busy: ProfileAction | undefined, handlers: EntryActions): HTMLElement {
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
    button.addEventListener('click', () => handlers.run(action));
    row.appendChild(button);
  }
  if (profile.source === 'cli') {
    row.appendChild(h('p', { class: 'hint cli-hint' }, l10n.t('Managed by the CoderFlow CLI ({0}).', 'coder profile …')));
  }
  return row;
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
