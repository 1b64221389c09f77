// Sharing a key with the CoderFlow CLI, both ways: a profile's server and key saved into a CLI
// profile (PROTOCOL.md §6 write rules, through writeCliProfileKey), and a CLI profile's key made
// into an extension profile once the server confirmed it. No `vscode` here.
import { readCliConfig } from '../../core/cliConfig/cliConfigRead';
import { replaceCliKey, writeCliProfileKey } from '../../core/cliConfig/cliConfigWrite';
import { normalizeServerUrl } from '../../core/http/serverUrl';
import { AuthError } from '../../core/errors';
import type { CliConfig } from '../../core/cliConfig/cliConfigSchema';
import type { ProfileMeta } from '../../profiles/profile';
import type { ProfileStore } from '../../profiles/store';
import type { KeyHolder } from './keyHolders';
import type { SignInService } from '../signInService';
import * as l10n from '@vscode/l10n';

const MAX_CLI_PROFILE_NAME = 100;

/** A CLI profile name as `coder profile create <name>` would take it; the trimmed name, or a reason. */
export function checkCliProfileName(name: string): { ok: true; name: string } | { ok: false; message: string } {
  const trimmed = name.trim();
  if (trimmed === '') return { ok: false, message: l10n.t('Enter a CLI profile name.') };
  if (trimmed.length > MAX_CLI_PROFILE_NAME) return { ok: false, message: l10n.t('A CLI profile name has at most {0} characters.', MAX_CLI_PROFILE_NAME) };
  // `--profile=<name>` on the CLI's command line: a name with spaces would need quoting every time.
  if (/\s/.test(trimmed)) return { ok: false, message: l10n.t('A CLI profile name has no spaces (for example production or staging-2).') };
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
    name: l10n.t('the CoderFlow CLI config {0}', file),
    async replace(from, to) {
      const places = await replaceCliKey(file, from, to);
      return [...(places.base ? [l10n.t('the base key of {0}', file)] : []), ...places.profiles.map((name) => l10n.t("CLI profile '{0}' in {1}", name, file))];
    },
  };
}

/** The server and key a CLI profile gives the CLI: its own key, its server or else the base server (§6). */
export function cliProfileCredential(config: CliConfig, name: string, file: string): { serverUrl: string; apiKey: string } {
  const profiles = config.profiles ?? {};
  const profile = Object.prototype.hasOwnProperty.call(profiles, name) ? profiles[name] : undefined;
  if (!profile) throw new AuthError('bad-input', l10n.t("There is no CLI profile '{0}' in {1}.", name, file));
  const apiKey = profile.apiKey?.trim();
  if (!apiKey) {
    throw new AuthError('bad-input', l10n.t("The CLI profile '{0}' has no API key to import.", name), { fix: l10n.t('Run coder login --profile={0}, or sign in here instead.', name) });
  }
  const serverUrl = profile.server?.trim() || config.server?.trim();
  if (!serverUrl) {
    throw new AuthError('bad-input', l10n.t("Neither the CLI profile '{0}' nor the base of {1} names a server.", name, file), {
      fix: l10n.t('Run coder profile create {0} --server=<url>, or sign in here instead.', name),
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
  if (state.state === 'missing') throw new AuthError('bad-input', l10n.t('There is no CoderFlow CLI config at {0}.', file));
  if (state.state === 'error') throw state.error;
  const credential = cliProfileCredential(state.config, cliProfile, file);
  return deps.signIn.apiKey({ serverUrl: credential.serverUrl, profileName: name }, credential.apiKey);
}

/** Why `name` cannot be the name of an imported profile, or undefined when it can. */
export function checkImportName(store: Pick<ProfileStore, 'findByName'>, name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return l10n.t('Enter a name for the new profile.');
  if (store.findByName(trimmed)) return l10n.t("A profile named '{0}' exists already. Choose another name, or remove that profile first.", trimmed);
  return undefined;
}

export function sameServer(a: string, b: string): boolean {
  try {
    return normalizeServerUrl(a) === normalizeServerUrl(b);
  } catch {
    return a.trim() === b.trim();
  }
}
