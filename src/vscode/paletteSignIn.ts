// Signing in from the palette (and from VS Code's Accounts menu): the server, the method, its prompts.
import vscode = require('vscode');
import { toAuthError } from '../core/errors';
import type { DeviceCodePrompt } from '../core/flows/sso';
import type { ProfileMeta } from '../profiles/profile';
import type { SignInMethod } from '../shared/signInMethod';
import { availableFlows } from '../shared/availableFlows';
import type { ProbeResult } from '../services/signInService';
import { errorText } from '../shared/errorText';
import type { Services } from '../container';
import { ask, type AskOptions } from './prompts';
import { defaultServerUrl } from './settings';
import { ssoWithProgress } from './ssoProgress';
import * as l10n from '@vscode/l10n';

/**
 * Arguments for running a command without prompts (other extensions, tests, keybindings).
 * Without them each command asks step by step.
 */
export interface SignInArgs {
  serverUrl?: string;
  profileName?: string;
  username?: string;
  password?: string;
  apiKey?: string;
  /** SSO: called with the code to show, besides the notification. */
  onCode?: (prompt: DeviceCodePrompt) => void;
}

// Getters: each text is looked up in the l10n bundle when used, after activation loaded it.
const TITLE: Record<SignInMethod, string> = {
  get password() {
    return l10n.t('CoderFlow: Sign In with Username and Password');
  },
  get sso() {
    return l10n.t('CoderFlow: Sign In with SSO');
  },
  get apiKey() {
    return l10n.t('CoderFlow: Sign In with an Existing API Key');
  },
};

/** Signs in and resolves the new profile; undefined when the person closed a prompt. */
export async function signIn(services: Pick<Services, 'signIn' | 'store'>, method: SignInMethod | undefined, args: SignInArgs = {}): Promise<ProfileMeta | undefined> {
  const scripted = args.serverUrl !== undefined;
  if (scripted) return scriptedSignIn(services, method ?? inferMethod(args), args);

  let probe: ProbeResult | undefined;
  const serverUrl = await ask({
    title: method ? TITLE[method] : l10n.t('CoderFlow: Sign In'),
    prompt: l10n.t('The address of your CoderFlow server'),
    placeholder: 'https://coderflow.example.com',
    value: defaultServerUrl() ?? lastServerUrl(services) ?? '',
    step: 1,
    totalSteps: 2,
    accept: async (value, signal) => {
      probe = await services.signIn.probe(value, signal);
      if (!probe.reachable) return errorText(probe.error ?? l10n.t('The server did not answer.'));
      const offered = availableFlows(probe);
      if (method === 'sso' && !offered.includes('sso')) return l10n.t('This server does not offer SSO. Sign in with a username and password or an API key instead.');
      if (method === 'password' && !offered.includes('password')) return l10n.t('This server allows SSO only. Use CoderFlow: Sign In with SSO.');
      return undefined;
    },
  });
  if (serverUrl === undefined || !probe) return undefined;
  const chosen = method ?? (await pickMethod(probe));
  if (!chosen) return undefined;
  const to = { serverUrl: probe.serverUrl, ...(args.profileName ? { profileName: args.profileName } : {}) };
  switch (chosen) {
    case 'password':
      return passwordPrompts(services, to, args.username);
    case 'apiKey':
      return apiKeyPrompt(services, to);
    case 'sso':
      return ssoWithProgress(services, to, args.onCode);
  }
}

function inferMethod(args: SignInArgs): SignInMethod {
  if (args.apiKey !== undefined) return 'apiKey';
  if (args.username !== undefined) return 'password';
  return 'sso';
}

async function scriptedSignIn(services: Pick<Services, 'signIn' | 'store'>, method: SignInMethod, args: SignInArgs): Promise<ProfileMeta> {
  const to = { serverUrl: args.serverUrl ?? '', ...(args.profileName ? { profileName: args.profileName } : {}) };
  switch (method) {
    case 'password':
      return services.signIn.password(to, args.username ?? '', args.password ?? '');
    case 'apiKey':
      return services.signIn.apiKey(to, args.apiKey ?? '');
    case 'sso': {
      const profile = await ssoWithProgress(services, to, args.onCode);
      if (!profile) throw toAuthError(new DOMException('cancelled', 'AbortError'));
      return profile;
    }
  }
}

// The palette's choice for each method the server offers.
const PICK_ITEM: Record<SignInMethod, (probe: ProbeResult) => vscode.QuickPickItem> = {
  password: () => ({ label: l10n.t('$(person) Username and password'), detail: l10n.t('The server creates a key for this device.') }),
  sso: (probe) => ({ label: probe.providerName ? l10n.t('$(globe) Sign in with SSO ({0})', probe.providerName) : l10n.t('$(globe) Sign in with SSO'), detail: l10n.t('Approve in your browser with a one-time code.') }),
  apiKey: () => ({ label: l10n.t('$(key) Paste an existing API key'), detail: l10n.t('A personal key (pc_…) you already have.') }),
};

async function pickMethod(probe: ProbeResult): Promise<SignInMethod | undefined> {
  const items = availableFlows(probe).map((method) => ({ method, ...PICK_ITEM[method](probe) }));
  const picked = await vscode.window.showQuickPick(items, { title: l10n.t('CoderFlow: Sign In'), placeHolder: l10n.t('How do you want to sign in to {0}?', probe.serverUrl), ignoreFocusOut: true });
  return picked?.method;
}

async function passwordPrompts(services: Pick<Services, 'signIn' | 'store'>, to: { serverUrl: string; profileName?: string }, preset?: string): Promise<ProfileMeta | undefined> {
  const username = await ask({
    title: TITLE.password,
    prompt: l10n.t('Your username on {0}', to.serverUrl),
    value: preset ?? '',
    step: 2,
    totalSteps: 3,
    accept: async (v) => (v.trim() === '' ? l10n.t('Enter your username.') : undefined),
  });
  if (username === undefined) return undefined;
  return signInStep({ title: TITLE.password, prompt: l10n.t('Password for {0}', username.trim()), step: 3, totalSteps: 3 }, (password, signal) =>
    services.signIn.password(to, username, password, signal),
  );
}

function apiKeyPrompt(services: Pick<Services, 'signIn' | 'store'>, to: { serverUrl: string; profileName?: string }): Promise<ProfileMeta | undefined> {
  return signInStep(
    {
      title: TITLE.apiKey,
      prompt: l10n.t('Your personal CoderFlow API key (starts with pc_). It is checked with the server, then kept in secure storage.'),
      placeholder: 'pc_…',
      step: 2,
      totalSteps: 2,
    },
    (apiKey, signal) => services.signIn.apiKey(to, apiKey, signal),
  );
}

/**
 * The masked last step of a sign-in: Enter signs in with the value while the box shows progress,
 * and a refusal (a wrong password, a revoked key) stays in the box to be fixed. Says who is signed in.
 */
async function signInStep(box: Omit<AskOptions, 'accept' | 'password'>, signInWith: (value: string, signal: AbortSignal) => Promise<ProfileMeta>): Promise<ProfileMeta | undefined> {
  let profile: ProfileMeta | undefined;
  const value = await ask({
    ...box,
    password: true,
    accept: async (v, signal) => {
      try {
        profile = await signInWith(v, signal);
        return undefined;
      } catch (e) {
        return errorText(e);
      }
    },
  });
  if (value === undefined || !profile) return undefined;
  void vscode.window.showInformationMessage(l10n.t("Signed in to CoderFlow as {0} (profile '{1}').", String(profile.username), profile.name));
  return profile;
}

function lastServerUrl(services: Pick<Services, 'signIn' | 'store'>): string | undefined {
  return (services.store.selected() ?? services.store.list().at(-1))?.serverUrl;
}
