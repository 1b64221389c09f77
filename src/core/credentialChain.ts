// The credential chain: which server and key the extension uses, where they came from, and why
// every other source was not used. A pure function of its inputs, so the answer can be tested
// from a table and shown to a person as it is.
import type { CliConfigState } from './cliConfig/cliConfigRead';
import { normalizeServerUrl } from './http/serverUrl';
import type * as ApiKeyFormat from './apiKeyFormat';
import type { CliConfig, CliProfile } from './cliConfig/cliConfigSchema';
import * as l10n from '@vscode/l10n';
import { sourceName, type CredentialSource } from '../shared/credentialSource';
import { keyShape } from '../shared/secretShapes';
import { messageOf } from '../shared/errorText';

export type { CredentialSource };

/** In order of priority. */
export const CREDENTIAL_SOURCES: readonly CredentialSource[] = ['profile', 'cli-env', 'cli-profile', 'cli-base', 'setting'];

export interface Credential {
  serverUrl: string;
  apiKey: string;
  source: CredentialSource;
  /** For a person: "CLI profile 'production' in ~/.coderflow/config.json". */
  detail: string;
}

export interface ResolveInputs {
  /** The profile chosen in the Profile Manager, with its key from SecretStorage if there is one. */
  profile?: { id: string; name: string; serverUrl: string; apiKey?: string };
  env: { CODER_API_KEY?: string };
  cli: CliConfigState | undefined;
  /** profoundCoder.cliProfile: overrides the CLI's activeProfile. */
  cliProfile?: string;
  /** profoundCoder.serverUrl and profoundCoder.apiKey, and the scope they were read from ("User settings"). */
  settings: { serverUrl?: string; apiKey?: string; scope?: string };
  /** Shortens paths in details to ~/… ; display only. */
  homedir?: string;
}

export interface Consideration {
  source: CredentialSource;
  used: boolean;
  reason: string;
}

export interface Resolution {
  credential?: Credential;
  /** Every source, in order of priority: the one used, and why each other one was not. */
  considered: Consideration[];
}

type Candidate = { ok: true; serverUrl: string; apiKey: string; detail: string } | { ok: false; reason: string };

function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function displayPath(file: string, homedir: string | undefined): string {
  if (!homedir) return file;
  const home = homedir.replace(/[\\/]+$/, '');
  if (file === home) return '~';
  if (file.startsWith(home) && (file[home.length] === '/' || file[home.length] === '\\')) return `~${file.slice(home.length)}`;
  return file;
}

function capitalize(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/**
 * A candidate with a usable server URL, or the reason it is not one. `owner` names, in the
 * middle of a sentence, where the URL comes from, and `noServer` what lacks one.
 */
function candidate(
  url: string | undefined,
  apiKey: string,
  where: { owner: string; noServer: string },
  detail: string,
  prefix = '',
): Candidate {
  if (url === undefined) return { ok: false, reason: capitalize(l10n.t('{0}{1} has no server URL', prefix, where.noServer)) };
  try {
    return { ok: true, serverUrl: normalizeServerUrl(url), apiKey, detail };
  } catch (e) {
    const why = messageOf(e);
    return { ok: false, reason: capitalize(l10n.t('{0}the server URL of {1} is unusable. {2}', prefix, where.owner, why)) };
  }
}

/**
 * Why a key from a file, a setting or the environment cannot be used as it is, naming where it
 * is (never the key): one that an Authorization header cannot carry is never sent.
 */
function malformed(apiKey: string, where: string): Candidate | undefined {
  if (keyShape(apiKey).kind === 'personal') return undefined;
  // The words for a key that is not one load only when there is such a key (dist/apiKeyFormat.js).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const error = (require('./apiKeyFormat.js') as typeof ApiKeyFormat).keyFormatError(apiKey, where);
  return error ? { ok: false, reason: error.fix ? l10n.t('{0} It is not used. {1}', error.message, error.fix) : l10n.t('{0} It is not used.', error.message) } : undefined;
}

function fromProfile(inputs: ResolveInputs): Candidate {
  const profile = inputs.profile;
  if (!profile) return { ok: false, reason: l10n.t('No profile is chosen in the Profile Manager.') };
  const apiKey = text(profile.apiKey);
  if (!apiKey) return { ok: false, reason: l10n.t("Profile '{0}' has no key in secure storage (signed out).", profile.name) };
  const bad = malformed(apiKey, l10n.t("The key of profile '{0}' in secure storage", profile.name));
  if (bad) return bad;
  return candidate(text(profile.serverUrl), apiKey, { owner: l10n.t("profile '{0}'", profile.name), noServer: l10n.t("profile '{0}'", profile.name) }, l10n.t("Profile '{0}' (Profile Manager)", profile.name));
}

/** The CLI config as §6 reads it: the active (or configured) profile over the base, field by field. */
interface CliView {
  file: string;
  config: CliConfig;
  profileName?: string;
  /** Who named the profile. */
  profileFrom?: 'profoundCoder.cliProfile' | 'activeProfile';
  profile?: CliProfile;
}

function cliView(inputs: ResolveInputs): { ok: true; view: CliView } | { ok: false; reason: string } {
  const cli = inputs.cli;
  if (cli === undefined) return { ok: false, reason: l10n.t('The CoderFlow CLI config is not read.') };
  const file = displayPath(cli.path, inputs.homedir);
  if (cli.state === 'missing') return { ok: false, reason: l10n.t('There is no CoderFlow CLI config at {0}.', file) };
  if (cli.state === 'error') return { ok: false, reason: cli.error.message };
  const fromSetting = text(inputs.cliProfile);
  const profileName = fromSetting ?? text(cli.config.activeProfile);
  const profiles = cli.config.profiles ?? {};
  const profile = profileName !== undefined && Object.prototype.hasOwnProperty.call(profiles, profileName) ? profiles[profileName] : undefined;
  return {
    ok: true,
    view: {
      file,
      config: cli.config,
      ...(profileName === undefined ? {} : { profileName, profileFrom: fromSetting ? 'profoundCoder.cliProfile' : 'activeProfile' }),
      ...(profile ? { profile } : {}),
    },
  };
}

/** The server as §6 reads it, and, for a reason, who lacks one when there is none. */
function cliServer(view: CliView): { url: string | undefined; owner: string; noServer: string } {
  const base = l10n.t('the CLI config {0}', view.file);
  const fromProfile = text(view.profile?.server);
  if (fromProfile) return { url: fromProfile, owner: l10n.t("CLI profile '{0}' in {1}", String(view.profileName), view.file), noServer: '' };
  const noServer = view.profile ? l10n.t("neither CLI profile '{0}' nor the base of {1}", String(view.profileName), base) : base;
  return { url: text(view.config.server), owner: base, noServer };
}

/**
 * The server URL the CLI config points at, by the same rule as the chain (the configured or
 * active profile's server, else the base's), whether or not it holds a key: where a person who
 * uses the CLI most likely wants to sign in.
 */
export function cliConfigServer(cli: CliConfigState | undefined, cliProfile?: string): string | undefined {
  const found = cliView({ cli, env: {}, settings: {}, ...(cliProfile !== undefined ? { cliProfile } : {}) });
  return found.ok ? cliServer(found.view).url : undefined;
}

function fromCliEnv(inputs: ResolveInputs): Candidate {
  const apiKey = text(inputs.env.CODER_API_KEY);
  if (!apiKey) return { ok: false, reason: l10n.t('CODER_API_KEY is not set.') };
  const bad = malformed(apiKey, l10n.t('The key in CODER_API_KEY'));
  if (bad) return bad;
  const cli = cliView(inputs);
  // The key alone says nothing about where to send it: without a server from the CLI config
  // it is not paired with a server from anywhere else.
  if (!cli.ok) return { ok: false, reason: l10n.t('CODER_API_KEY is set, but the server URL comes from the CLI config. {0}', cli.reason) };
  const s = cliServer(cli.view);
  return candidate(s.url, apiKey, s, l10n.t('CODER_API_KEY with the server of {0}', s.owner), l10n.t('CODER_API_KEY is set, but '));
}

function profileMissingNote(view: CliView): string | undefined {
  if (view.profileName === undefined || view.profile) return undefined;
  return l10n.t("CLI profile '{0}' (named by {1}) does not exist in {2}", view.profileName, String(view.profileFrom), view.file);
}

function fromCliProfile(inputs: ResolveInputs): Candidate {
  const cli = cliView(inputs);
  if (!cli.ok) return cli;
  const view = cli.view;
  if (view.profileName === undefined) return { ok: false, reason: l10n.t('No CLI profile is active in {0}.', view.file) };
  const missing = profileMissingNote(view);
  if (missing) return { ok: false, reason: `${missing}.` };
  const apiKey = text(view.profile?.apiKey);
  if (!apiKey) return { ok: false, reason: l10n.t("CLI profile '{0}' in {1} has no apiKey.", view.profileName, view.file) };
  const bad = malformed(apiKey, l10n.t("The apiKey of CLI profile '{0}' in {1}", view.profileName, view.file));
  if (bad) return bad;
  const s = cliServer(view);
  return candidate(s.url, apiKey, s, l10n.t("CLI profile '{0}' in {1}", view.profileName, view.file));
}

function fromCliBase(inputs: ResolveInputs): Candidate {
  const cli = cliView(inputs);
  if (!cli.ok) return cli;
  const view = cli.view;
  const apiKey = text(view.config.apiKey);
  if (!apiKey) return { ok: false, reason: l10n.t('The CLI config {0} has no base apiKey.', view.file) };
  const bad = malformed(apiKey, l10n.t('The base apiKey of the CLI config {0}', view.file));
  if (bad) return bad;
  const s = cliServer(view);
  const why = profileMissingNote(view) ?? (view.profileName !== undefined && !text(view.profile?.apiKey) ? l10n.t("CLI profile '{0}' has no apiKey", view.profileName) : undefined);
  const detail = why ? l10n.t('The base apiKey of the CLI config {0} ({1})', view.file, why) : l10n.t('The base apiKey of the CLI config {0}', view.file);
  return candidate(s.url, apiKey, s, detail);
}

function fromSettings(inputs: ResolveInputs): Candidate {
  const scope = inputs.settings.scope ? ` (${inputs.settings.scope})` : '';
  const apiKey = text(inputs.settings.apiKey);
  const url = text(inputs.settings.serverUrl);
  if (!apiKey) return { ok: false, reason: l10n.t('profoundCoder.apiKey is not set{0}.', scope) };
  if (!url) return { ok: false, reason: l10n.t('profoundCoder.apiKey is set, but profoundCoder.serverUrl is not{0}.', scope) };
  const bad = malformed(apiKey, l10n.t('The key in profoundCoder.apiKey{0}', scope));
  if (bad) return bad;
  return candidate(url, apiKey, { owner: l10n.t('the setting profoundCoder.serverUrl{0}', scope), noServer: '' }, l10n.t('The settings profoundCoder.serverUrl and profoundCoder.apiKey{0}', scope));
}

const CANDIDATES: Record<CredentialSource, (inputs: ResolveInputs) => Candidate> = {
  profile: fromProfile,
  'cli-env': fromCliEnv,
  'cli-profile': fromCliProfile,
  'cli-base': fromCliBase,
  setting: fromSettings,
};

/**
 * Picks the credential by priority: the Profile Manager's profile, then the CLI config
 * (CODER_API_KEY, the active or configured profile, the base), then the settings.
 */
export function resolve(inputs: ResolveInputs): Resolution {
  let credential: Credential | undefined;
  const considered: Consideration[] = [];
  for (const source of CREDENTIAL_SOURCES) {
    const found = CANDIDATES[source](inputs);
    if (!found.ok) {
      considered.push({ source, used: false, reason: found.reason.endsWith('.') ? found.reason : `${found.reason}.` });
    } else if (credential) {
      considered.push({ source, used: false, reason: l10n.t('{0} has a key too, but the key from {1} comes first.', found.detail, sourceName(credential.source)) });
    } else {
      credential = { serverUrl: found.serverUrl, apiKey: found.apiKey, source, detail: found.detail };
      considered.push({ source, used: true, reason: l10n.t('Used: {0}.', found.detail) });
    }
  }
  return credential ? { credential, considered } : { considered };
}
