// First: configures the translations before any module draws text.
import './l10n';
import * as l10n from '@vscode/l10n';
// The style sheets join dist/webview/main.css in import order, which is their cascade order: the
// base first, each part's rules with the module that draws it, in the page's order (the key list's
// here, as its script loads later), and the overrides for reduced motion and forced colours last.
import './page.css';
import { Announcer } from './announcer';
import { ProfileList } from './profileList';
import './keysSection.css';
import { AddProfileForm } from './addProfileForm';
import type { KeysSection } from './keysSection';
import type { KeysSectionModule } from './keysSectionScript';
import { keysProfile } from './keysProfile';
import { l10nContents } from './l10n';
import { loadScript } from './scriptLoader';
import { h, icon } from './dom';
import { connectToHost } from './vscodeApi';
import { readPageState, type PageState } from './pageState';
import { describeMessageShape, parseToPage, type StateMessage, type ToPage } from '../src/shared/webviewProtocol';
import { messageOf } from '../src/shared/errorText';
import './motionAndContrast.css';

const host = connectToHost();
const announcer = new Announcer();
const announce = (text: string) => announcer.announce(text);

let lastState: StateMessage | undefined;
// A sign-in can finish before the host's new list arrives: focus follows once it is listed.
let focusWhenListed: string | undefined;
let painted = false;

const form: AddProfileForm = new AddProfileForm({
  request: host.request,
  notify: (message) => host.notify(message),
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
    request: host.request,
    announce,
    signInAgain: (profile) => form.prefill(profile.name, profile.serverUrl),
  },
  () => form.reveal(),
);

// The key list is a script of its own (dist/webview/keys.js), loaded once an extension profile is
// signed in and in use: until then there is no list to show. It takes the place of `keysPlace`.
const keysPlace = document.createComment('API keys');
let keys: KeysSection | undefined;
let keysLoading = false;
function showKeys(state: StateMessage): void {
  if (keys) return keys.render(state.profiles);
  if (keysLoading || !keysProfile(state.profiles)) return;
  keysLoading = true;
  loadScript<KeysSectionModule>('keys', 'coderflowKeys', { failed: l10n.t('The API key list did not load.') })
    .then((module) => {
      module.useTranslations(l10nContents);
      keys = new module.KeysSection({ request: host.request, announce });
      keysPlace.replaceWith(keys.element);
      if (lastState) keys.render(lastState.profiles);
    })
    .catch((error: unknown) => console.warn(`CoderFlow Profile Manager: ${messageOf(error)}`))
    .finally(() => (keysLoading = false));
}

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

document.getElementById('app')?.append(untrustedNotice, inUse, list.element, keysPlace, form.element, announcer.element);

function renderState(state: StateMessage): void {
  lastState = state;
  untrustedNotice.hidden = state.untrustedWorkspace !== true;
  const source = state.credentialSource;
  inUse.hidden = source === undefined;
  inUseText.textContent = source ? l10n.t('In use: {0}', `${source.detail}${source.serverUrl ? ` (${source.serverUrl})` : ''}`) : '';
  list.render(state.profiles);
  showKeys(state);
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
    case 'ssoCode':
      form.onSsoCode(message);
      return;
    case 'browserOpened':
      form.onBrowserOpened(message.error);
      return;
    case 'response':
      host.settle(message);
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
host.notify({ type: 'ready' });
