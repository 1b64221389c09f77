import * as vscode from 'vscode';
import { toAuthError } from '../auth/errors';
import type { DeviceCodePrompt } from '../auth/flows/sso';
import type { ProfileMeta } from '../profiles/profile';
import type { ProbeResult } from '../session/signIn';
import { registerKeyCommands } from './keyCommands';
import { ask, describe } from './prompts';
import type { Services } from './services';
import { defaultServerUrl, hiddenRestrictedSettings } from './settings';

type Method = 'password' | 'sso' | 'apiKey';

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

const TITLE: Record<Method, string> = {
  password: 'CoderFlow: Sign In with Username and Password',
  sso: 'CoderFlow: Sign In with SSO',
  apiKey: 'CoderFlow: Sign In with an Existing API Key',
};

export interface CommandHost {
  showProfileManager(): Promise<void>;
}

export function registerCommands(services: Services, host: CommandHost): vscode.Disposable[] {
  const register = (id: string, run: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, run);
  return [
    register('profoundCoder.openProfileManager', () => host.showProfileManager()),
    register('profoundCoder.signIn', (args?: SignInArgs & { method?: Method }) => signIn(services, args?.method, args)),
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
export async function signIn(services: Services, method: Method | undefined, args: SignInArgs = {}): Promise<ProfileMeta | undefined> {
  const scripted = args.serverUrl !== undefined;
  if (scripted) return scriptedSignIn(services, method ?? inferMethod(args), args);

  let probe: ProbeResult | undefined;
  const serverUrl = await ask({
    title: method ? TITLE[method] : 'CoderFlow: Sign In',
    prompt: 'The address of your CoderFlow server',
    placeholder: 'https://coderflow.example.com',
    value: defaultServerUrl() ?? lastServerUrl(services) ?? '',
    step: 1,
    totalSteps: 2,
    accept: async (value, signal) => {
      probe = await services.signIn.probe(value, signal);
      if (!probe.reachable) return describe(probe.error ?? 'The server did not answer.');
      if (method === 'sso' && !probe.ssoEnabled) return 'This server does not offer SSO. Sign in with a username and password or an API key instead.';
      if (method === 'password' && !probe.passwordLoginEnabled) return 'This server allows SSO only. Use CoderFlow: Sign In with SSO.';
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

function inferMethod(args: SignInArgs): Method {
  if (args.apiKey !== undefined) return 'apiKey';
  if (args.username !== undefined) return 'password';
  return 'sso';
}

async function scriptedSignIn(services: Services, method: Method, args: SignInArgs): Promise<ProfileMeta> {
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

async function pickMethod(probe: ProbeResult): Promise<Method | undefined> {
  const items: Array<vscode.QuickPickItem & { method: Method }> = [];
  if (probe.passwordLoginEnabled) items.push({ method: 'password', label: '$(person) Username and password', detail: 'The server creates a key for this device.' });
  if (probe.ssoEnabled) items.push({ method: 'sso', label: `$(globe) Sign in with SSO${probe.providerName ? ` (${probe.providerName})` : ''}`, detail: 'Approve in your browser with a one-time code.' });
  items.push({ method: 'apiKey', label: '$(key) Paste an existing API key', detail: 'A personal key (pc_…) you already have.' });
  const picked = await vscode.window.showQuickPick(items, { title: 'CoderFlow: Sign In', placeHolder: `How do you want to sign in to ${probe.serverUrl}?`, ignoreFocusOut: true });
  return picked?.method;
}

async function passwordPrompts(services: Services, to: { serverUrl: string; profileName?: string }, preset?: string): Promise<ProfileMeta | undefined> {
  const username = await ask({
    title: TITLE.password,
    prompt: `Your username on ${to.serverUrl}`,
    value: preset ?? '',
    step: 2,
    totalSteps: 3,
    accept: async (v) => (v.trim() === '' ? 'Enter your username.' : undefined),
  });
  if (username === undefined) return undefined;
  let profile: ProfileMeta | undefined;
  const password = await ask({
    title: TITLE.password,
    prompt: `Password for ${username.trim()}`,
    password: true,
    step: 3,
    totalSteps: 3,
    accept: async (v, signal) => {
      try {
        profile = await services.signIn.password(to, username, v, signal);
        return undefined;
      } catch (e) {
        return describe(e);
      }
    },
  });
  if (password === undefined || !profile) return undefined;
  void vscode.window.showInformationMessage(`Signed in to CoderFlow as ${profile.username} (profile '${profile.name}').`);
  return profile;
}

async function apiKeyPrompt(services: Services, to: { serverUrl: string; profileName?: string }): Promise<ProfileMeta | undefined> {
  let profile: ProfileMeta | undefined;
  const key = await ask({
    title: TITLE.apiKey,
    prompt: 'Your personal CoderFlow API key (starts with pc_). It is checked with the server, then kept in secure storage.',
    placeholder: 'pc_…',
    password: true,
    step: 2,
    totalSteps: 2,
    accept: async (v, signal) => {
      try {
        profile = await services.signIn.apiKey(to, v, signal);
        return undefined;
      } catch (e) {
        return describe(e);
      }
    },
  });
  if (key === undefined || !profile) return undefined;
  void vscode.window.showInformationMessage(`Signed in to CoderFlow as ${profile.username} (profile '${profile.name}').`);
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
      { location: vscode.ProgressLocation.Notification, title: 'CoderFlow SSO', cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        try {
          progress.report({ message: 'Asking the server for a code…' });
          return await services.signIn.sso(
            to,
            (prompt) => {
              const waiting = `Your code: ${prompt.userCode}. Check that ${prompt.browserHost} shows the same code, then approve.`;
              progress.report({ message: `Opening ${prompt.browserHost} in your browser. ${waiting}` });
              onCode?.(prompt);
              void openBrowser(prompt).then(() => progress.report({ message: waiting }));
              void offerCodeActions(prompt, running);
            },
            controller.signal,
            (error, waitSeconds) => progress.report({ message: `${error.message} Trying again in ${waitSeconds} s.` }),
          );
        } finally {
          running.done = true;
          cancel.dispose();
        }
      },
    );
    void vscode.window.showInformationMessage(`Signed in to CoderFlow with SSO as ${profile.username} (profile '${profile.name}').`);
    return profile;
  } catch (e) {
    const error = toAuthError(e);
    if (error.kind === 'cancelled') return undefined;
    if (onCode) throw error;
    void vscode.window.showErrorMessage(`CoderFlow SSO: ${describe(error)}`);
    return undefined;
  }
}

/** Opens the checked verification address; says where to go when no browser opened. */
async function openBrowser(prompt: DeviceCodePrompt): Promise<void> {
  const opened = await vscode.env.openExternal(vscode.Uri.parse(prompt.browserUri, true)).then(undefined, () => false);
  if (!opened) void vscode.window.showWarningMessage(`CoderFlow SSO: the browser did not open. Go to ${prompt.verificationUri} and enter the code ${prompt.userCode}.`);
}

/** Open again / Copy code, offered again after each use until the sign-in ends. */
async function offerCodeActions(prompt: DeviceCodePrompt, running: { done: boolean }): Promise<void> {
  const openAgain = 'Open again';
  const copy = 'Copy code';
  while (!running.done) {
    const choice = await vscode.window.showInformationMessage(
      `Your CoderFlow sign-in code is ${prompt.userCode}. Approve it at ${prompt.browserHost}.`,
      openAgain,
      copy,
    );
    if (!choice || running.done) return;
    if (choice === openAgain) await openBrowser(prompt);
    else await vscode.env.clipboard.writeText(prompt.userCode).then(undefined, () => void vscode.window.showWarningMessage(`CoderFlow SSO: the code could not be copied. Enter ${prompt.userCode} by hand.`));
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
    if (!profile) throw new Error(`There is no CoderFlow profile with id ${profileId}.`);
    await store.select(profile.id, scope);
    await services.credentials.refresh();
    return profile;
  }
  const selected = store.selectedId();
  const workspaceOnly: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('root-folder'), tooltip: 'Use in this workspace only' };
  const items: Array<vscode.QuickPickItem & { id?: string }> = store.list().map((p) => ({
    id: p.id,
    label: `${p.id === selected ? '$(check) ' : ''}${p.name}`,
    description: p.username ? `${p.username} · ${p.serverUrl}` : p.serverUrl,
    detail: p.keyHint ? undefined : 'Signed out',
    ...(vscode.workspace.workspaceFolders?.length ? { buttons: [workspaceOnly] } : {}),
  }));
  items.push({ label: '$(sign-in) Sign in to another server…' });
  const picked = await new Promise<{ item: (typeof items)[number]; scope: 'global' | 'workspace' } | undefined>((resolve) => {
    const pick = vscode.window.createQuickPick<(typeof items)[number]>();
    pick.title = 'CoderFlow: Switch Profile';
    pick.placeholder = 'Profile to use in every window (the folder button: in this workspace only)';
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
    void vscode.window.showInformationMessage('No CoderFlow profile is signed in. Keys from the CLI configuration or the settings are managed there.');
    return false;
  }
  let revokeKey = revoke;
  if (revokeKey === undefined) {
    const revokeLabel = 'Sign Out and Revoke Key';
    const keepLabel = 'Sign Out, Keep Key on Server';
    const buttons = profile.createdByExtension ? [revokeLabel, keepLabel] : [keepLabel, revokeLabel];
    const choice = await vscode.window.showWarningMessage(
      `Sign out of CoderFlow profile '${profile.name}'?`,
      {
        modal: true,
        detail: profile.createdByExtension
          ? `The key "${profile.keyName ?? 'VS Code'}" was made for this device when you signed in; revoking it means it can no longer be used anywhere.`
          : 'This key was pasted in; it may be used elsewhere too (the CLI, scripts).',
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
        `CoderFlow: this window does not hold the key of '${profile.name}' (it was signed in in another window), so nothing was revoked on the server. Revoke it with CoderFlow: Manage API Keys where that profile is signed in.`,
      );
    }
    return;
  }
  try {
    const client = services.makeClient(profile.serverUrl, key);
    const keyId = profile.keyId ?? (await findOwnKeyId(client, profile));
    if (!keyId) throw new Error('the server did not list a key this profile could be matched with');
    await client.deleteKey(keyId);
  } catch (e) {
    void vscode.window.showWarningMessage(
      `CoderFlow: the key of '${profile.name}' could not be revoked on the server and may still be live: ${describe(toAuthError(e))} Revoke it later with CoderFlow: Manage API Keys.`,
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

const SOURCE_TITLE = {
  profile: 'Profile Manager profile',
  'cli-env': 'CODER_API_KEY environment variable',
  'cli-profile': 'CoderFlow CLI profile',
  'cli-base': 'CoderFlow CLI config (base)',
  setting: 'profoundCoder.apiKey setting',
} as const;

async function showCredentialSource(services: Services, quiet: boolean) {
  const state = await services.credentials.refresh();
  const ignoredSettings = [...state.ignoredSettings, ...(await hiddenRestrictedSettings())];
  const lines = state.considered.map((c, i) => `${i + 1}. ${SOURCE_TITLE[c.source]}: ${c.used ? 'USED' : 'skipped'}: ${c.reason}`);
  services.log.info(`Credential sources:\n${[...lines, ...ignoredSettings].join('\n')}`);
  if (!quiet) {
    const items: vscode.QuickPickItem[] = state.considered.map((c) => ({
      label: `${c.used ? '$(pass-filled)' : '$(circle-large-outline)'} ${SOURCE_TITLE[c.source]}`,
      description: c.used ? 'in use' : 'skipped',
      detail: c.reason,
    }));
    for (const note of ignoredSettings) items.push({ label: '$(workspace-untrusted) Ignored setting', detail: note });
    if (state.secretStorageError) items.push({ label: '$(error) Secure storage', detail: state.secretStorageError });
    void vscode.window.showQuickPick(items, {
      title: state.credential ? `CoderFlow credential: ${state.credential.detail}` : 'CoderFlow: not signed in',
      placeHolder: 'Sources in order of priority; the first one with a usable key is used.',
      matchOnDetail: true,
    });
  }
  return { credential: state.credential ? { source: state.credential.source, detail: state.credential.detail, serverUrl: state.credential.serverUrl } : undefined, considered: state.considered, ignoredSettings };
}

/** The Test connection bundle (dist/connectionTest.js, built by scripts/build.mjs), loaded on the first test. */
export function connectionTests(): typeof import('./connectionTest') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./connectionTest.js') as typeof import('./connectionTest');
}
