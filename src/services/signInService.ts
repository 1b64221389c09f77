import type { CoderFlowClient } from '../core/http/client';
import { AuthError, MESSAGES, toAuthError } from '../core/errors';
import { apiKeyFlow } from '../core/flows/apiKey';
import { passwordFlow } from '../core/flows/password';
import { ssoFlow, type SsoInput } from '../core/flows/sso';
import { deviceKeyName, type SignInFlow, type SignInResult } from '../core/flows/types';
import type { ApiKeyInfo } from '../core/http/protocol';
import type { ProfileMeta } from '../profiles/profile';
import type { ProbeResultView } from '../shared/webviewProtocol';
import type { ProfileStore } from '../profiles/store';
import { handOver, listPlaces, type KeyRetirement } from './apiKeys/keyHolders';
import { sameServer } from './apiKeys/cliSharing';
import { identifyKey } from './apiKeys/pastedKey';
import * as l10n from '@vscode/l10n';

/** Makes a client for a server, with the TLS (and later proxy) options of the settings. */
export type ClientFactory = (serverUrl: string, apiKey?: string) => CoderFlowClient;

export interface Destination {
  /** Empty: "<username>@<host>". A profile of the same name is signed in again, not duplicated. */
  profileName?: string;
  serverUrl: string;
}

/** The probe's answer as the page gets it (src/shared/webviewProtocol.ts), with the error as thrown. */
export type ProbeResult = Omit<ProbeResultView, 'error'> & { error?: AuthError };

const MAX_PROFILE_NAME = 60;

/** A sign-in under the name of a profile of another server or user. */
export interface NameTakenQuestion {
  name: string;
  existing: ProfileMeta;
  serverUrl: string;
  username: string;
}

/** Replace that profile (revoking its key, or keeping it live on purpose), or use another name. */
export type NameTakenAnswer = { replace: true; revokeOldKey: boolean } | { rename: string };

/** What sign-in asks the person, given by the vscode layer. */
export interface SignInChoices {
  /** Undefined stops the sign-in: nothing is saved, and a key it made is revoked. */
  nameTaken(question: NameTakenQuestion): Promise<NameTakenAnswer | undefined>;
  /** Several of the person's keys were used just now: which one was pasted? Undefined: none of these. */
  whichKey(candidates: ApiKeyInfo[]): Promise<string | undefined>;
  retirement: KeyRetirement;
}

/**
 * Every way in ends here: the Profile Manager and the command palette both call these methods,
 * which run a flow of src/core/flows, store the confirmed key in a profile and choose that profile.
 */
export class SignInService {
  constructor(
    private readonly store: ProfileStore,
    private readonly makeClient: ClientFactory,
    private readonly log: (line: string) => void,
    /** "VS Code on <hostname>": the name of the keys this device gets (docs: one key per device). */
    readonly deviceName: string = deviceKeyName(),
    private choices?: SignInChoices,
  ) {}

  /** The questions to ask from now on (the vscode layer is built after this service). */
  setChoices(choices: SignInChoices): void {
    this.choices = choices;
  }

  /** `GET /health` and `GET /auth/sso/config`: is the server there, and which ways in does it offer. */
  async probe(serverUrl: string, signal?: AbortSignal): Promise<ProbeResult> {
    let client: CoderFlowClient;
    try {
      client = this.makeClient(serverUrl);
    } catch (e) {
      return { serverUrl, reachable: false, ssoEnabled: false, passwordLoginEnabled: false, error: toAuthError(e) };
    }
    try {
      await client.health(signal);
      const config = await client.ssoConfig(signal);
      return {
        serverUrl: client.serverUrl,
        reachable: true,
        ssoEnabled: config.enabled,
        passwordLoginEnabled: config.passwordLoginEnabled,
        ...(config.providerName ? { providerName: config.providerName } : {}),
      };
    } catch (e) {
      return { serverUrl: client.serverUrl, reachable: false, ssoEnabled: false, passwordLoginEnabled: false, error: toAuthError(e) };
    }
  }

  password(to: Destination, username: string, password: string, signal?: AbortSignal): Promise<ProfileMeta> {
    return this.run(passwordFlow, { username, password }, to, signal);
  }

  /** `onRetry`: a poll failed in a way that may pass, and is tried again after `waitSeconds`. */
  sso(to: Destination, onCode: SsoInput['onCode'], signal?: AbortSignal, onRetry?: SsoInput['onRetry']): Promise<ProfileMeta> {
    return this.run(ssoFlow, { onCode, ...(onRetry ? { onRetry } : {}) }, to, signal);
  }

  apiKey(to: Destination, apiKey: string, signal?: AbortSignal): Promise<ProfileMeta> {
    return this.run(apiKeyFlow, { apiKey }, to, signal);
  }

  private async run<I>(flow: SignInFlow<I>, input: I, to: Destination, signal: AbortSignal | undefined): Promise<ProfileMeta> {
    const name = checkProfileName(to.profileName);
    let client: CoderFlowClient;
    try {
      client = this.makeClient(to.serverUrl);
    } catch (e) {
      throw toAuthError(e);
    }
    this.log(`Signing in to ${client.serverUrl} (${flow.id})…`);
    let result: SignInResult;
    try {
      result = await flow.authenticate(input, { client, keyName: this.deviceName, ...(signal ? { signal } : {}) });
    } catch (e) {
      const error = toAuthError(e);
      this.log(`Sign-in to ${client.serverUrl} (${flow.id}) failed: ${error.kind}: ${error.message}`);
      throw error;
    }
    // A cancel that came while the last answer was on its way: nothing is saved or selected, and
    // the key the server just made for this sign-in is taken back rather than left live.
    if (signal?.aborted) {
      if (result.method !== 'apiKey' && result.keyId) await client.withApiKey(result.apiKey).deleteKey(result.keyId).catch(() => undefined);
      this.log(`Sign-in to ${client.serverUrl} (${flow.id}) was cancelled.`);
      throw new AuthError('cancelled', MESSAGES.cancelled);
    }
    return this.keep(result, name ?? `${result.user.username}@${new URL(result.serverUrl).host}`, client, signal);
  }

  private async keep(found: SignInResult, name: string, client: CoderFlowClient, signal: AbortSignal | undefined): Promise<ProfileMeta> {
    const made = found.method !== 'apiKey' && found.keyId ? found.keyId : undefined;
    // The server made a key that nothing holds: take it back rather than leave it live.
    const takeBack = () => (made ? client.withApiKey(found.apiKey).deleteKey(made).then(() => undefined, () => undefined) : Promise.resolve());
    let result: SignInResult & { expiresAt?: string | null } = found;
    let replaced: ProfileMeta | undefined;
    let revokeOther = false;
    try {
      if (result.method === 'apiKey' && !result.keyId) result = await this.learnKeyId(result, client, signal);
      ({ name, replaced, revokeOther } = await this.settleName(name, result));
      if (signal?.aborted) throw new AuthError('cancelled', MESSAGES.cancelled);
    } catch (e) {
      await takeBack();
      throw e;
    }
    const oldKey = replaced ? await this.store.getKey(replaced.id).catch(() => undefined) : undefined;
    let saved: ProfileMeta;
    try {
      saved = await this.store.save(
        {
          ...(replaced ? { id: replaced.id } : {}),
          name,
          serverUrl: result.serverUrl,
          username: result.user.username,
          ...(result.user.displayName ? { displayName: result.user.displayName } : {}),
          method: result.method,
          ...(result.keyId ? { keyId: result.keyId } : {}),
          ...(result.keyName ? { keyName: result.keyName } : {}),
          createdByExtension: result.method !== 'apiKey',
          ...(result.expiresAt !== undefined ? { expiresAt: result.expiresAt } : {}),
        },
        result.apiKey,
      );
    } catch (e) {
      await takeBack();
      throw e;
    }
    await this.store.select(saved.id);
    this.log(`Signed in to ${saved.serverUrl} as ${saved.username ?? 'unknown'}; profile '${saved.name}'.`);
    if (replaced && oldKey && oldKey !== result.apiKey) {
      if (sameAccount(replaced, result)) await this.retire(replaced, oldKey, result);
      else await this.revokeOtherAccountKey(replaced, oldKey, revokeOther);
    }
    return saved;
  }

  /** A pasted key's id (and so its name and expiry: null when the list gives none), from the key list's last-used times. */
  private async learnKeyId(result: SignInResult & { expiresAt?: string | null }, client: CoderFlowClient, signal: AbortSignal | undefined): Promise<SignInResult & { expiresAt?: string | null }> {
    const key = await identifyKey(client.withApiKey(result.apiKey), this.choices && ((candidates) => this.choices!.whichKey(candidates)), this.log, signal);
    if (!key) return result;
    this.log(`The pasted key is "${key.name}" (id ${key.id}).`);
    return { ...result, keyId: key.id, keyName: key.name, expiresAt: key.expiresAt ?? null };
  }

  /**
   * The name the profile is saved under and the profile it replaces. A profile of the same server
   * and user is signed in again; one of another server or user is replaced only when the person
   * says so, else another name is asked for.
   */
  private async settleName(name: string, result: SignInResult): Promise<{ name: string; replaced: ProfileMeta | undefined; revokeOther: boolean }> {
    for (;;) {
      const existing = this.store.findByName(name);
      if (!existing || sameAccount(existing, result)) return { name, replaced: existing, revokeOther: false };
      if (!this.choices) {
        throw new AuthError('bad-input', l10n.t("A profile named '{0}' exists already for {1} on {2}. Choose another name.", name, existing.username ?? l10n.t('another user'), existing.serverUrl), { field: 'profileName' });
      }
      const answer = await this.choices.nameTaken({ name, existing, serverUrl: result.serverUrl, username: result.user.username });
      if (!answer) throw new AuthError('cancelled', MESSAGES.cancelled);
      if ('replace' in answer) return { name, replaced: existing, revokeOther: answer.revokeOldKey };
      name = checkProfileName(answer.rename) ?? name;
    }
  }

  /**
   * Signing a profile in again replaces its key the way a rotation does: every other holder of
   * the old key (a CLI profile, the terminal variable) is moved to the new one first, and a holder
   * that could not be is named before the old key is revoked, or it is kept live.
   */
  private async retire(replaced: ProfileMeta, oldKey: string, result: SignInResult): Promise<void> {
    const handover = await handOver(this.choices?.retirement.holders() ?? [], oldKey, result.apiKey);
    if (handover.moved.length > 0) this.log(`Moved to the new key: ${handover.moved.join(', ')}.`);
    const oldId = replaced.keyId;
    if (!oldId) {
      this.log(`The profile's previous key is kept: CoderFlow does not know which of your keys it is.`);
      return;
    }
    if (handover.stuck.length > 0) {
      const keyName = replaced.keyName ? `"${replaced.keyName}"` : l10n.t('its previous key');
      const revoke = (await this.choices?.retirement.confirmRevoke({ profileName: replaced.name, keyName, stuck: handover.stuck })) === true;
      if (!revoke) {
        this.log(`The profile's previous key (id ${oldId}) is kept live: ${listPlaces(handover.stuck.map((h) => h.name))} may still use it.`);
        return;
      }
    }
    await this.makeClient(result.serverUrl, result.apiKey)
      .deleteKey(oldId)
      .then(() => this.log(`Revoked the profile's previous key (id ${oldId}).`))
      .catch((e: unknown) => this.log(`Could not revoke the profile's previous key (id ${oldId}): ${toAuthError(e).message}`));
  }

  /** The key of a replaced profile of another server or user: revoked with itself, or kept as the person chose. */
  private async revokeOtherAccountKey(replaced: ProfileMeta, oldKey: string, revoke: boolean): Promise<void> {
    const id = replaced.keyId;
    if (!revoke || !id) {
      this.log(`The replaced profile's key (${id ? `id ${id}` : 'id unknown'}) on ${replaced.serverUrl} is kept live${revoke ? ': CoderFlow does not know which key it is' : ', as chosen'}.`);
      return;
    }
    await this.makeClient(replaced.serverUrl, oldKey)
      .deleteKey(id)
      .then(() => this.log(`Revoked the replaced profile's key (id ${id}) on ${replaced.serverUrl}.`))
      .catch((e: unknown) => this.log(`Could not revoke the replaced profile's key (id ${id}) on ${replaced.serverUrl}: ${toAuthError(e).message}`));
  }
}

/** The same server and user: signing in again, not replacing someone else's profile. */
function sameAccount(profile: ProfileMeta, result: SignInResult): boolean {
  return sameServer(profile.serverUrl, result.serverUrl) && (profile.username === undefined || profile.username === result.user.username);
}

function checkProfileName(name: string | undefined): string | undefined {
  const trimmed = name?.trim();
  if (!trimmed) return undefined;
  if (trimmed.length > MAX_PROFILE_NAME) {
    throw new AuthError('bad-input', l10n.t('A profile name has at most {0} characters.', MAX_PROFILE_NAME), { field: 'profileName' });
  }
  return trimmed;
}
