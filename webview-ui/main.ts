// First: configures the translations before any module draws text.
import './l10n';
import * as l10n from '@vscode/l10n';
import './main.css';
import { Announcer } from './announcer';
import { AddProfileForm } from './addProfileForm';
import { ProfileList } from './profileList';
import { onReportCopied } from './serverTest';
import { loadDiagnostic } from './diagnosticLoader';
import { KeysSection } from './keysSection';
import { h, icon } from './dom';
import { connectToHost } from './vscodeApi';
import { readPageState, type PageState } from './pageState';
import { describeMessageShape, parseToPage, type StateMessage, type ToPage } from '../src/webviewProtocol';

const host = connectToHost();
const announcer = new Announcer();
const announce = (text: string) => announcer.announce(text);

let lastState: StateMessage | undefined;
// A sign-in can finish before the host's new list arrives: focus follows once it is listed.
let focusWhenListed: string | undefined;
let painted = false;

const form: AddProfileForm = new AddProfileForm({
  post: (message) => host.post(message),
  announce,
  persist,
  signedIn: (profileId) => {
    if (profileId && list.focusProfile(profileId)) return;
    focusWhenListed = profileId;
    if (!profileId) list.heading.focus();
  },
});

const list: ProfileList = new ProfileList(
  {
    post: (message) => host.post(message),
    announce,
    signInAgain: (profile) => form.prefill(profile.name, profile.serverUrl),
  },
  () => form.reveal(undefined),
);

const keys = new KeysSection({ post: (message) => host.post(message), announce });

const untrustedNotice = h(
  'p',
  { class: 'notice', hidden: true },
  icon('workspace-untrusted'),
  h(
    'span',
    {},
    l10n.t(
      'This workspace is not trusted: CoderFlow ignores its {0}, {1} and {2} settings.',
      'profoundCoder.apiKey',
      'profoundCoder.serverUrl',
      'profoundCoder.cliConfigPath',
    ),
  ),
);
const inUseText = h('span', {});
const inUse = h('p', { class: 'in-use', hidden: true }, icon('key'), inUseText);

document.getElementById('app')?.append(untrustedNotice, inUse, list.element, keys.element, form.element, announcer.element);

function renderState(state: StateMessage): void {
  lastState = state;
  untrustedNotice.hidden = state.untrustedWorkspace !== true;
  const source = state.credentialSource;
  inUse.hidden = source === undefined;
  inUseText.textContent = source ? l10n.t('In use: {0}', `${source.detail}${source.serverUrl ? ` (${source.serverUrl})` : ''}`) : '';
  list.render(state.profiles);
  keys.render(state.profiles);
  if (focusWhenListed && list.focusProfile(focusWhenListed)) focusWhenListed = undefined;
  form.suggestServerUrl(state.suggestedServerUrl);
  // After the focus moved to a new profile: a form the focus is still in stays open.
  form.setFoldable(state.profiles.length > 0);
  if (!painted) {
    painted = true;
    requestAnimationFrame(() => performance.mark('profile-list-painted'));
  }
}

function persist(): void {
  const state: PageState = { form: form.snapshot(), ...(lastState ? { profiles: lastState } : {}) };
  host.setState(state);
}

function receive(message: ToPage): void {
  switch (message.type) {
    case 'state':
      renderState(message);
      persist();
      return;
    case 'probeResult':
      form.onProbeResult(message);
      return;
    case 'ssoCode':
      form.onSsoCode(message);
      return;
    case 'operationResult':
      if (message.op === 'copyReport') return onReportCopied(message, announce);
      if (!form.onOperationResult(message) && !list.onOperationResult(message)) keys.onOperationResult(message);
      return;
    case 'serverTestResult':
      form.serverTest.onResult(message);
      return;
    case 'testResult':
      // The steps' view loads on the first result; the outcome shows without it if it cannot.
      if (message.diagnostic) void loadDiagnostic().catch(() => undefined).then(() => list.onTestResult(message));
      else list.onTestResult(message);
      return;
    case 'keys':
      keys.onKeys(message);
      return;
    case 'showAddProfile':
      form.reveal(message.method);
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseToPage(event.data);
  if (!message) {
    console.warn(`CoderFlow Profile Manager: ignored a message that does not parse (${describeMessageShape(event.data)}).`);
    return;
  }
  receive(message);
});

const saved = readPageState(host.getState());
if (saved) {
  form.restore(saved.form);
  if (saved.profiles) renderState(saved.profiles);
}
host.post({ type: 'ready' });
