import type { CoderFlowClient } from '../auth/client';
import { AuthError, MESSAGES, toAuthError } from '../auth/errors';
import { apiKeyFlow } from '../auth/flows/apiKey';
import { passwordFlow } from '../auth/flows/password';
import { ssoFlow, type SsoInput } from '../auth/flows/sso';
import { deviceKeyName, type SignInFlow, type SignInResult } from '../auth/flows/types';
import type { ProfileMeta } from '../profiles/profile';
import type { ProfileStore } from '../profiles/store';

/** Makes a client for a server, with the TLS (and later proxy) options of the settings. */
export type ClientFactory = (serverUrl: string, apiKey?: string) => CoderFlowClient;

export interface Destination {
  /** Empty: "<username>@<host>". A profile of the same name is signed in again, not duplicated. */
  profileName?: string;
  serverUrl: string;
}

export interface ProbeResult {
  serverUrl: string;
  reachable: boolean;
  ssoEnabled: boolean;
  passwordLoginEnabled: boolean;
  providerName?: string;
  error?: AuthError;
}

const MAX_PROFILE_NAME = 60;

/**
 * Every way in ends here: the Profile Manager and the command palette both call these methods,
 * which run a flow of src/auth, store the confirmed key in a profile and choose that profile.
 */
export class SignInService {
  constructor(
    private readonly store: ProfileStore,
    private readonly makeClient: ClientFactory,
    private readonly log: (line: string) => void,
    /** "VS Code on <hostname>": the name of the keys this device gets (docs: one key per device). */
    readonly deviceName: string = deviceKeyName(),
  ) {}

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
    return this.keep(result, name ?? `${result.user.username}@${new URL(result.serverUrl).host}`, client);
  }

  private async keep(result: SignInResult, name: string, client: CoderFlowClient): Promise<ProfileMeta> {
    const replaced = this.store.findByName(name);
    const retire = replaced?.createdByExtension && replaced.serverUrl === result.serverUrl ? replaced.keyId : undefined;
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
        },
        result.apiKey,
      );
    } catch (e) {
      // The server made a key that nothing holds now: take it back rather than leave it live.
      if (result.method !== 'apiKey' && result.keyId) {
        await client.withApiKey(result.apiKey).deleteKey(result.keyId).catch(() => undefined);
      }
      throw e;
    }
    await this.store.select(saved.id);
    this.log(`Signed in to ${saved.serverUrl} as ${saved.username ?? 'unknown'}; profile '${saved.name}'.`);
    // Signing a profile in again replaces its key; the one it made before is retired, one key per device.
    if (retire && retire !== saved.keyId) {
      await client
        .withApiKey(result.apiKey)
        .deleteKey(retire)
        .then(() => this.log(`Revoked the profile's previous key (id ${retire}).`))
        .catch((e: unknown) => this.log(`Could not revoke the profile's previous key (id ${retire}): ${toAuthError(e).message}`));
    }
    return saved;
  }
}

function checkProfileName(name: string | undefined): string | undefined {
  const trimmed = name?.trim();
  if (!trimmed) return undefined;
  if (trimmed.length > MAX_PROFILE_NAME) {
    throw new AuthError('bad-input', `A profile name has at most ${MAX_PROFILE_NAME} characters.`, { field: 'profileName' });
  }
  return trimmed;
}
