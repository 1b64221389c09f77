// Sharing a key with the CoderFlow CLI, both ways: a profile's server and key saved into a CLI
// profile (PROTOCOL.md §6 write rules, through writeCliProfileKey), and a CLI profile's key made
// into an extension profile once the server confirmed it. No `vscode` here.
import { readCliConfig, replaceCliKey, writeCliProfileKey } from '../auth/cliConfig';
import { normalizeServerUrl } from '../auth/client';
import { AuthError } from '../auth/errors';
import type { CliConfig } from '../auth/protocol';
import type { ProfileMeta } from '../profiles/profile';
import type { ProfileStore } from '../profiles/store';
import type { KeyHolder } from './keyHolders';
import type { SignInService } from './signIn';

const MAX_CLI_PROFILE_NAME = 100;

/** A CLI profile name as `coder profile create <name>` would take it; the trimmed name, or a reason. */
export function checkCliProfileName(name: string): { ok: true; name: string } | { ok: false; message: string } {
  const trimmed = name.trim();
  if (trimmed === '') return { ok: false, message: 'Enter a CLI profile name.' };
  if (trimmed.length > MAX_CLI_PROFILE_NAME) return { ok: false, message: `A CLI profile name has at most ${MAX_CLI_PROFILE_NAME} characters.` };
  // `--profile=<name>` on the CLI's command line: a name with spaces would need quoting every time.
  if (/\s/.test(trimmed)) return { ok: false, message: 'A CLI profile name has no spaces (for example production or staging-2).' };
  return { ok: true, name: trimmed };
}

/** The CLI profile name offered when saving a profile: its own name, with spaces made dashes. */
export function suggestCliProfileName(profileName: string): string {
  return profileName.trim().replace(/\s+/g, '-');
}

/** What saving into CLI profile `name` would do to what is there. */
export type CliSaveEffect =
  | { kind: 'new' }
  | { kind: 'same' }
  /** The CLI profile has another key (or server): saving replaces them, and that key is not kept anywhere by CoderFlow. */
  | { kind: 'replaces'; server?: string; hasKey: boolean };

export function cliSaveEffect(config: CliConfig | undefined, name: string, values: { serverUrl: string; apiKey: string }): CliSaveEffect {
  const profiles = config?.profiles ?? {};
  const existing = Object.prototype.hasOwnProperty.call(profiles, name) ? profiles[name] : undefined;
  if (!existing) return { kind: 'new' };
  const server = existing.server?.trim() || undefined;
  const key = existing.apiKey?.trim() || undefined;
  if ((key === undefined || key === values.apiKey) && (server === undefined || sameServer(server, values.serverUrl))) {
    return key === undefined && server === undefined ? { kind: 'new' } : { kind: 'same' };
  }
  return { kind: 'replaces', ...(server ? { server } : {}), hasKey: key !== undefined };
}

/**
 * Writes the profile's server and key into CLI profile `cliProfile` of the file. Everything else
 * in the file stays as it was; a file that does not parse is refused with where it breaks
 * ("line 3, column 5") and left untouched (writeCliProfileKey's rules).
 */
export async function saveToCliProfile(file: string, cliProfile: string, values: { serverUrl: string; apiKey: string }): Promise<void> {
  const checked = checkCliProfileName(cliProfile);
  if (!checked.ok) throw new AuthError('bad-input', checked.message, { field: 'profileName' });
  await writeCliProfileKey(file, checked.name, { server: values.serverUrl, apiKey: values.apiKey });
}

/**
 * The CLI config as a holder of keys: every CLI profile (and the base config) whose key is the
 * old one, found by value in the file as it is when the key is handed over.
 */
export function cliConfigHolder(file: string): KeyHolder {
  return {
    name: `the CoderFlow CLI config ${file}`,
    async replace(from, to) {
      const places = await replaceCliKey(file, from, to);
      return [...(places.base ? [`the base key of ${file}`] : []), ...places.profiles.map((name) => `CLI profile '${name}' in ${file}`)];
    },
  };
}

/** The server and key a CLI profile gives the CLI: its own key, its server or else the base server (§6). */
export function cliProfileCredential(config: CliConfig, name: string, file: string): { serverUrl: string; apiKey: string } {
  const profiles = config.profiles ?? {};
  const profile = Object.prototype.hasOwnProperty.call(profiles, name) ? profiles[name] : undefined;
  if (!profile) throw new AuthError('bad-input', `There is no CLI profile '${name}' in ${file}.`);
  const apiKey = profile.apiKey?.trim();
  if (!apiKey) {
    throw new AuthError('bad-input', `The CLI profile '${name}' has no API key to import.`, { fix: `Run coder login --profile=${name}, or sign in here instead.` });
  }
  const serverUrl = profile.server?.trim() || config.server?.trim();
  if (!serverUrl) {
    throw new AuthError('bad-input', `Neither the CLI profile '${name}' nor the base of ${file} names a server.`, {
      fix: `Run coder profile create ${name} --server=<url>, or sign in here instead.`,
    });
  }
  return { serverUrl, apiKey };
}

export interface ImportDeps {
  store: ProfileStore;
  signIn: SignInService;
}

/**
 * Makes CLI profile `cliProfile` of the file into an extension profile named `profileName`: the
 * file is read again (it may have changed since it was listed), and the key is stored only after
 * `GET /auth/me` confirmed it (SignInService.apiKey). An existing extension profile of that name
 * is never replaced: signing it in again would retire its own key.
 */
export async function importCliProfile(deps: ImportDeps, file: string, cliProfile: string, profileName: string): Promise<ProfileMeta> {
  const name = profileName.trim();
  const taken = checkImportName(deps.store, name);
  if (taken) throw new AuthError('bad-input', taken, { field: 'profileName' });
  const state = await readCliConfig(file);
  if (state.state === 'missing') throw new AuthError('bad-input', `There is no CoderFlow CLI config at ${file}.`);
  if (state.state === 'error') throw state.error;
  const credential = cliProfileCredential(state.config, cliProfile, file);
  return deps.signIn.apiKey({ serverUrl: credential.serverUrl, profileName: name }, credential.apiKey);
}

/** Why `name` cannot be the name of an imported profile, or undefined when it can. */
export function checkImportName(store: Pick<ProfileStore, 'findByName'>, name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'Enter a name for the new profile.';
  if (store.findByName(trimmed)) return `A profile named '${trimmed}' exists already. Choose another name, or remove that profile first.`;
  return undefined;
}

export function sameServer(a: string, b: string): boolean {
  try {
    return normalizeServerUrl(a) === normalizeServerUrl(b);
  } catch {
    return a.trim() === b.trim();
  }
}
