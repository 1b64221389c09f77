import * as vscode from 'vscode';
import { toAuthError } from '../../core/errors';
import type { DeviceCodePrompt } from '../../core/flows/sso';
import type { ProfileMeta } from '../../profiles/profile';
import type { SignInMethod } from '../../shared/signInMethod';
import { sourceName } from '../../shared/credentialSource';
import type { ProbeResult } from '../../services/signInService';
import { registerKeyCommands } from './keyCommands';
import { ask } from '../prompts';
import { errorText } from '../../shared/errorText';
import type { Services } from '../../container';
import { defaultServerUrl, hiddenRestrictedSettings } from '../settings';
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

export interface CommandHost {
  showProfileManager(): Promise<void>;
}

export function registerCommands(services: Services, host: CommandHost): vscode.Disposable[] {
  const register = (id: string, run: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, run);
  return [
    register('profoundCoder.openProfileManager', () => host.showProfileManager()),
    register('profoundCoder.signIn', (args?: SignInArgs & { method?: SignInMethod }) => signIn(services, args?.method, args)),
    register('profoundCoder.signInWithSso', (args?: SignInArgs) => signIn(services, 'sso', args)),
    register('profoundCoder.signInWithApiKey', (args?: SignInArgs) => signIn(services, 'apiKey', args)),
    register('profoundCoder.switchProfile', (args?: { profileId?: string; scope?: 'global' | 'workspace' }) => switchProfile(services, args?.profileId, args?.scope)),
    // Whether to revoke is always asked: no argument lets another extension skip that question.
    register('profoundCoder.signOut', (args?: { profileId?: string }) => signOut(services, args?.profileId)),
    register('profoundCoder.showCredentialSource', (args?: { quiet?: boolean }) => showCredentialSource(services, args?.quiet === true)),
    register('profoundCoder.testConnection', (args?: { profileId?: string; serverUrl?: string; quiet?: boolean }) => connectionTests().testConnectionCommand(services, args ?? {})),
    ...registerKeyCommands(services),
  ];
}

// ---------------------------------------------------------------------------------------------
// Sign in
// ---------------------------------------------------------------------------------------------

/** Signs in and resolves the new profile; undefined when the person closed a prompt. */
export async function signIn(services: Services, method: SignInMethod | undefined, args: SignInArgs = {}): Promise<ProfileMeta | undefined> {
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
      if (method === 'sso' && !probe.ssoEnabled) return l10n.t('This server does not offer SSO. Sign in with a username and password or an API key instead.');
      if (method === 'password' && !probe.passwordLoginEnabled) return l10n.t('This server allows SSO only. Use CoderFlow: Sign In with SSO.');
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

async function scriptedSignIn(services: Services, method: SignInMethod, args: SignInArgs): Promise<ProfileMeta> {
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

async function pickMethod(probe: ProbeResult): Promise<SignInMethod | undefined> {
  const items: Array<vscode.QuickPickItem & { method: SignInMethod }> = [];
  if (probe.passwordLoginEnabled) items.push({ method: 'password', label: l10n.t('$(person) Username and password'), detail: l10n.t('The server creates a key for this device.') });
  if (probe.ssoEnabled) items.push({ method: 'sso', label: probe.providerName ? l10n.t('$(globe) Sign in with SSO ({0})', probe.providerName) : l10n.t('$(globe) Sign in with SSO'), detail: l10n.t('Approve in your browser with a one-time code.') });
  items.push({ method: 'apiKey', label: l10n.t('$(key) Paste an existing API key'), detail: l10n.t('A personal key (pc_…) you already have.') });
  const picked = await vscode.window.showQuickPick(items, { title: l10n.t('CoderFlow: Sign In'), placeHolder: l10n.t('How do you want to sign in to {0}?', probe.serverUrl), ignoreFocusOut: true });
  return picked?.method;
}

async function passwordPrompts(services: Services, to: { serverUrl: string; profileName?: string }, preset?: string): Promise<ProfileMeta | undefined> {
  const username = await ask({
    title: TITLE.password,
    prompt: l10n.t('Your username on {0}', to.serverUrl),
    value: preset ?? '',
    step: 2,
    totalSteps: 3,
    accept: async (v) => (v.trim() === '' ? l10n.t('Enter your username.') : undefined),
  });
  if (username === undefined) return undefined;
  let profile: ProfileMeta | undefined;
  const password = await ask({
    title: TITLE.password,
    prompt: l10n.t('Password for {0}', username.trim()),
    password: true,
    step: 3,
    totalSteps: 3,
    accept: async (v, signal) => {
      try {
        profile = await services.signIn.password(to, username, v, signal);
        return undefined;
      } catch (e) {
        return errorText(e);
      }
    },
  });
  if (password === undefined || !profile) return undefined;
  void vscode.window.showInformationMessage(l10n.t("Signed in to CoderFlow as {0} (profile '{1}').", String(profile.username), profile.name));
  return profile;
}

async function apiKeyPrompt(services: Services, to: { serverUrl: string; profileName?: string }): Promise<ProfileMeta | undefined> {
  let profile: ProfileMeta | undefined;
  const key = await ask({
    title: TITLE.apiKey,
    prompt: l10n.t('Your personal CoderFlow API key (starts with pc_). It is checked with the server, then kept in secure storage.'),
    placeholder: 'pc_…',
    password: true,
    step: 2,
    totalSteps: 2,
    accept: async (v, signal) => {
      try {
        profile = await services.signIn.apiKey(to, v, signal);
        return undefined;
      } catch (e) {
        return errorText(e);
      }
    },
  });
  if (key === undefined || !profile) return undefined;
  void vscode.window.showInformationMessage(l10n.t("Signed in to CoderFlow as {0} (profile '{1}').", String(profile.username), profile.name));
  return profile;
}

/**
 * SSO with the code in a progress notification that Cancel aborts. Asking for SSO is the consent
 * to open the browser, so it opens as soon as the code is there, after the notification has named
 * the host it opens; a second notification offers Open again and Copy code until the sign-in ends.
 */
async function ssoWithProgress(
  services: Services,
  to: { serverUrl: string; profileName?: string },
  onCode?: (prompt: DeviceCodePrompt) => void,
): Promise<ProfileMeta | undefined> {
  const running = { done: false };
  try {
    const profile = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: l10n.t('CoderFlow SSO'), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        try {
          progress.report({ message: l10n.t('Asking the server for a code…') });
          return await services.signIn.sso(
            to,
            (prompt) => {
              const waiting = l10n.t('Your code: {0}. Check that {1} shows the same code, then approve.', prompt.userCode, prompt.browserHost);
              progress.report({ message: l10n.t('Opening {0} in your browser. {1}', prompt.browserHost, waiting) });
              onCode?.(prompt);
              void openBrowser(prompt).then(() => progress.report({ message: waiting }));
              void offerCodeActions(prompt, running);
            },
            controller.signal,
            (error, waitSeconds) => progress.report({ message: l10n.t('{0} Trying again in {1} s.', error.message, waitSeconds) }),
          );
        } finally {
          running.done = true;
          cancel.dispose();
        }
      },
    );
    void vscode.window.showInformationMessage(l10n.t("Signed in to CoderFlow with SSO as {0} (profile '{1}').", String(profile.username), profile.name));
    return profile;
  } catch (e) {
    const error = toAuthError(e);
    if (error.kind === 'cancelled') return undefined;
    if (onCode) throw error;
    void vscode.window.showErrorMessage(l10n.t('CoderFlow SSO: {0}', errorText(error)));
    return undefined;
  }
}

/** Opens the checked verification address; says where to go when no browser opened. */
async function openBrowser(prompt: DeviceCodePrompt): Promise<void> {
  const opened = await vscode.env.openExternal(vscode.Uri.parse(prompt.browserUri, true)).then(undefined, () => false);
  if (!opened) void vscode.window.showWarningMessage(l10n.t('CoderFlow SSO: the browser did not open. Go to {0} and enter the code {1}.', prompt.verificationUri, prompt.userCode));
}

/** Open again / Copy code, offered again after each use until the sign-in ends. */
async function offerCodeActions(prompt: DeviceCodePrompt, running: { done: boolean }): Promise<void> {
  const openAgain = l10n.t('Open again');
  const copy = l10n.t('Copy code');
  while (!running.done) {
    const choice = await vscode.window.showInformationMessage(
      l10n.t('Your CoderFlow sign-in code is {0}. Approve it at {1}.', prompt.userCode, prompt.browserHost),
      openAgain,
      copy,
    );
    if (!choice || running.done) return;
    if (choice === openAgain) await openBrowser(prompt);
    else await vscode.env.clipboard.writeText(prompt.userCode).then(undefined, () => void vscode.window.showWarningMessage(l10n.t('CoderFlow SSO: the code could not be copied. Enter {0} by hand.', prompt.userCode)));
  }
}

function lastServerUrl(services: Services): string | undefined {
  return (services.store.selected() ?? services.store.list().at(-1))?.serverUrl;
}

// ---------------------------------------------------------------------------------------------
// Profiles
// ---------------------------------------------------------------------------------------------

async function switchProfile(services: Services, profileId?: string, scope: 'global' | 'workspace' = 'global'): Promise<ProfileMeta | undefined> {
  const { store } = services;
  if (profileId) {
    const profile = store.get(profileId);
    if (!profile) throw new Error(l10n.t('There is no CoderFlow profile with id {0}.', profileId));
    await store.select(profile.id, scope);
    await services.credentials.refresh();
    return profile;
  }
  const selected = store.selectedId();
  const workspaceOnly: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('root-folder'), tooltip: l10n.t('Use in this workspace only') };
  const items: Array<vscode.QuickPickItem & { id?: string }> = store.list().map((p) => ({
    id: p.id,
    label: `${p.id === selected ? '$(check) ' : ''}${p.name}`,
    description: p.username ? `${p.username} · ${p.serverUrl}` : p.serverUrl,
    detail: p.keyHint ? undefined : l10n.t('Signed out'),
    ...(vscode.workspace.workspaceFolders?.length ? { buttons: [workspaceOnly] } : {}),
  }));
  items.push({ label: l10n.t('$(sign-in) Sign in to another server…') });
  const picked = await new Promise<{ item: (typeof items)[number]; scope: 'global' | 'workspace' } | undefined>((resolve) => {
    const pick = vscode.window.createQuickPick<(typeof items)[number]>();
    pick.title = l10n.t('CoderFlow: Switch Profile');
    pick.placeholder = l10n.t('Profile to use in every window (the folder button: in this workspace only)');
    pick.items = items;
    let answer: { item: (typeof items)[number]; scope: 'global' | 'workspace' } | undefined;
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0];
      answer = item ? { item, scope: 'global' } : undefined;
      pick.hide();
    });
    pick.onDidTriggerItemButton((e) => {
      answer = { item: e.item, scope: 'workspace' };
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(answer);
    });
    pick.show();
  });
  if (!picked) return undefined;
  if (!picked.item.id) return signIn(services, undefined);
  return switchProfile(services, picked.item.id, picked.scope);
}

/**
 * Forgets the profile's key and, when the person agrees (the default for keys this extension
 * made), revokes it on the server. Resolves false when the person declined.
 */
export async function signOut(services: Services, profileId?: string, revoke?: boolean): Promise<boolean> {
  const { store } = services;
  const profile = profileId !== undefined ? store.get(profileId) : store.selected();
  if (!profile) {
    void vscode.window.showInformationMessage(l10n.t('No CoderFlow profile is signed in. Keys from the CLI configuration or the settings are managed there.'));
    return false;
  }
  if (!profile.keyHint) {
    void vscode.window.showInformationMessage(l10n.t("CoderFlow profile '{0}' is signed out already.", profile.name));
    return false;
  }
  let revokeKey = revoke;
  if (revokeKey === undefined) {
    const revokeLabel = l10n.t('Sign Out and Revoke Key');
    const keepLabel = l10n.t('Sign Out, Keep Key on Server');
    const buttons = profile.createdByExtension ? [revokeLabel, keepLabel] : [keepLabel, revokeLabel];
    const choice = await vscode.window.showWarningMessage(
      l10n.t("Sign out of CoderFlow profile '{0}'?", profile.name),
      {
        modal: true,
        detail: profile.createdByExtension
          ? l10n.t('The key "{0}" was made for this device when you signed in; revoking it means it can no longer be used anywhere.', profile.keyName ?? 'VS Code')
          : l10n.t('This key was pasted in; it may be used elsewhere too (the CLI, scripts).'),
      },
      ...buttons,
    );
    if (!choice) return false;
    revokeKey = choice === revokeLabel;
  }
  if (revokeKey) await revokeProfileKey(services, profile);
  await store.signOut(profile.id);
  services.log.info(`Signed out of profile '${profile.name}'${revokeKey ? ' and revoked its key' : ''}.`);
  await services.credentials.refresh();
  return true;
}

/** Best effort: the local sign-out goes ahead even when the server cannot be reached. */
export async function revokeProfileKey(services: Services, profile: ProfileMeta): Promise<void> {
  const key = await services.store.getKey(profile.id);
  if (!key) {
    // Revoking needs the key itself; a window without it (signed in elsewhere) must not pretend.
    if (profile.keyHint) {
      void vscode.window.showWarningMessage(
        l10n.t("CoderFlow: this window does not hold the key of '{0}' (it was signed in in another window), so nothing was revoked on the server. Revoke it with CoderFlow: Manage API Keys where that profile is signed in.", profile.name),
      );
    }
    return;
  }
  try {
    const client = services.makeClient(profile.serverUrl, key);
    const keyId = profile.keyId ?? (await findOwnKeyId(client, profile));
    if (!keyId) throw new Error(l10n.t('the server did not list a key this profile could be matched with'));
    await client.deleteKey(keyId);
  } catch (e) {
    void vscode.window.showWarningMessage(
      l10n.t("CoderFlow: the key of '{0}' could not be revoked on the server and may still be live: {1} Revoke it later with CoderFlow: Manage API Keys.", profile.name, errorText(toAuthError(e))),
    );
  }
}

async function findOwnKeyId(client: ReturnType<Services['makeClient']>, profile: ProfileMeta): Promise<string | undefined> {
  if (!profile.keyName) return undefined;
  const matches = (await client.listKeys()).filter((k) => k.name === profile.keyName);
  return matches.length === 1 ? matches[0]?.id : undefined;
}

// ---------------------------------------------------------------------------------------------
// Where the credential comes from, and does it work
// ---------------------------------------------------------------------------------------------

async function showCredentialSource(services: Services, quiet: boolean) {
  const state = await services.credentials.refresh();
  const ignoredSettings = [...state.ignoredSettings, ...(await hiddenRestrictedSettings())];
  const lines = state.considered.map((c, i) => `${i + 1}. ${sourceName(c.source)}: ${c.used ? 'USED' : 'skipped'}: ${c.reason}`);
  services.log.info(`Credential sources:\n${[...lines, ...ignoredSettings].join('\n')}`);
  if (!quiet) {
    const items: vscode.QuickPickItem[] = state.considered.map((c) => ({
      label: `${c.used ? '$(pass-filled)' : '$(circle-large-outline)'} ${sourceName(c.source)}`,
      description: c.used ? l10n.t('in use') : l10n.t('skipped'),
      detail: c.reason,
    }));
    for (const note of ignoredSettings) items.push({ label: l10n.t('$(workspace-untrusted) Ignored setting'), detail: note });
    if (state.secretStorageError) items.push({ label: l10n.t('$(error) Secure storage'), detail: state.secretStorageError });
    void vscode.window.showQuickPick(items, {
      title: state.credential ? l10n.t('CoderFlow credential: {0}', state.credential.detail) : l10n.t('CoderFlow: not signed in'),
      placeHolder: l10n.t('Sources in order of priority; the first one with a usable key is used.'),
      matchOnDetail: true,
    });
  }
  return { credential: state.credential ? { source: state.credential.source, detail: state.credential.detail, serverUrl: state.credential.serverUrl } : undefined, considered: state.considered, ignoredSettings };
}

/** The Test connection bundle (dist/connectionTest.js, built by scripts/build.mjs), loaded on the first test. */
export function connectionTests(): typeof import('../connectionTest') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./connectionTest.js') as typeof import('../connectionTest');
}
