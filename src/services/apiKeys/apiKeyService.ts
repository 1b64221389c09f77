import type { CoderFlowClient } from '../../core/http/client';
import { AuthError, toAuthError } from '../../core/errors';
import { rotateKey, type RotateResult, type RotationStep } from '../../core/keyRotation';
import type { ApiKeyInfo } from '../../core/http/protocol';
import { maskedKeyFromHint, type ProfileMeta } from '../../profiles/profile';
import type { NewProfile } from '../../profiles/profileWrites';
import type { ProfileStore } from '../../profiles/store';
import { handOver, listPlaces, type Handover, type KeyRetirement } from './keyHolders';
import { rotatedKeyName } from '../../shared/keyDates';
import type { ClientFactory } from '../signInService';
import * as l10n from '@vscode/l10n';

/** The keys of a profile's user, as the server listed them with the profile's own key. */
export interface KeyListing {
  profileId: string;
  keys: ApiKeyInfo[];
  /** The key the profile holds, when the extension knows its id (keys it made itself). */
  ownKeyId?: string;
}

export interface RevokeOutcome {
  revoked: Array<{ id: string; name: string }>;
  failed: Array<{ id: string; name: string; message: string }>;
  /** The profile's own key was among them: the profile is signed out now. */
  signedOut: boolean;
}

export interface RotationOutcome {
  /** The profile holds a new key. */
  rotated: boolean;
  /** The key the profile held before is revoked. */
  oldKeyRevoked: boolean;
  /** For a person; names the key that is still live whenever one besides the profile's is. */
  message: string;
  /** The step that failed, when one did. */
  failedStep?: RotationStep;
  /** The person cancelled before the old key's deletion started: nothing changed. */
  cancelled?: boolean;
  /** The old key is live because the person chose to keep it for a holder that still uses it. */
  keptOnPurpose?: boolean;
  newKeyName?: string;
  /** The places besides the profile that now hold the new key. */
  movedTo?: string[];
}

export interface KeyServiceDeps {
  store: ProfileStore;
  makeClient: ClientFactory;
  log(line: string): void;
  /** "VS Code on <hostname>", the start of every key name this device gets. */
  deviceName: string;
  now?: () => Date;
  /** The other holders of a profile's key and the question before revoking a key one of them may still use. */
  retirement?: KeyRetirement;
}

/**
 * Listing, revoking and rotating the keys of an extension profile, always with the profile's own
 * key. No `vscode` here: prompts, progress and notifications are the caller's.
 */
export class KeyService {
  private readonly now: () => Date;

  constructor(private readonly deps: KeyServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * `GET /api-keys` with the profile's key. What the list says about the profile's own key
   * (its expiry; none given is null, no expiry) is kept with the profile, so the profile can show
   * it, and a window can tell whether it is near, without asking again.
   */
  async list(profileId: string, signal?: AbortSignal): Promise<KeyListing> {
    const { profile, client } = await this.signedIn(profileId);
    const keys = await client.listKeys(signal);
    const own = profile.keyId ? keys.find((k) => k.id === profile.keyId) : undefined;
    if (own && (own.expiresAt ?? null) !== profile.expiresAt) await this.deps.store.setExpiry(profileId, own.id, own.expiresAt ?? null);
    return { profileId, keys, ...(profile.keyId ? { ownKeyId: profile.keyId } : {}) };
  }

  /** Revokes keys with the profile's key; once its own key is revoked the profile is signed out. */
  async revoke(profileId: string, keys: ReadonlyArray<{ id: string; name: string }>): Promise<RevokeOutcome> {
    const { profile, client } = await this.signedIn(profileId);
    const outcome = await revokeKeys(client, keys, profile.keyId, (line) => this.deps.log(`${line} (profile '${profile.name}')`));
    if (profile.keyId && outcome.revoked.some((k) => k.id === profile.keyId)) {
      await this.deps.store.signOut(profile.id);
      outcome.signedOut = true;
    }
    return outcome;
  }

  /**
   * The docs' rotation for one profile, in four steps: a new key named for this device and the
   * day; every holder of the old key moved to it (the profile, and through `retirement` a CLI
   * profile or the terminal variable holding the same key); the new key tested with
   * `GET /auth/me`; the old key deleted. A holder that could not be moved is named in a question
   * before the delete, and the old key is kept when the person says so. Until the delete starts
   * the signal cancels everything (each holder gets the old key back and the new key is revoked).
   * Resolves in every case with what happened; the message names any key still live besides the
   * profile's.
   */
  async rotate(profileId: string, options: { onStep?: (step: RotationStep) => void; signal?: AbortSignal } = {}): Promise<RotationOutcome> {
    const { profile, key, client } = await this.signedIn(profileId);
    const oldName = describeKey(profile);
    let step: RotationStep = 'create';
    const report = (next: RotationStep) => {
      step = next;
      options.onStep?.(next);
    };
    const retirement = this.deps.retirement;
    let handover: Handover | undefined;
    let result: RotateResult;
    try {
      result = await rotateKey(client, {
        newName: rotatedKeyName(this.deps.deviceName, this.now()),
        ...(profile.keyId ? { oldKeyId: profile.keyId } : {}),
        onStep: report,
        ...(options.signal ? { signal: options.signal } : {}),
        update: async (newKey) => {
          await this.deps.store.save(
            { ...newProfileFrom(profile), keyId: newKey.id, keyName: newKey.name, createdByExtension: true, expiresAt: newKey.expiresAt ?? null },
            newKey.key,
          );
          if ((await this.deps.store.getKey(profile.id)) !== newKey.key) {
            throw new AuthError('bad-input', l10n.t("The profile '{0}' did not keep the new key (another window changed it meanwhile).", profile.name));
          }
          handover = await handOver(retirement?.holders() ?? [], key, newKey.key);
        },
        restore: async () => {
          const others = handover ? await handover.undo() : true;
          await this.deps.store.save(newProfileFrom(profile), key);
          return others;
        },
        mayDelete: async () => {
          if (!handover || handover.stuck.length === 0) return true;
          return (await retirement?.confirmRevoke({ profileName: profile.name, keyName: oldName, stuck: handover.stuck })) === true;
        },
      });
    } catch (e) {
      const error = toAuthError(e);
      this.deps.log(`Rotating the key of profile '${profile.name}' failed at ${step}: ${error.kind}: ${error.message}`);
      if (error.kind === 'cancelled') {
        return { rotated: false, oldKeyRevoked: false, cancelled: true, message: l10n.t("The rotation of '{0}' was cancelled: nothing changed, the profile keeps its key {1}.", profile.name, oldName) };
      }
      // rotateKey has put things back: the new key is deleted and every holder has the old one.
      const stillHeld = (await this.deps.store.getKey(profile.id).catch(() => undefined)) === key;
      // A 401 on create is the old key itself refused: it is held, but not live.
      const oldKeyLive = stillHeld && !(step === 'create' && error.kind === 'invalid-api-key');
      return {
        rotated: false,
        oldKeyRevoked: false,
        failedStep: step,
        message: oldKeyLive
          ? l10n.t("Rotating the key of '{0}' failed {1}: {2} The profile still holds its key {3}, which is still live.", profile.name, stepText(step), sentence(e), oldName)
          : l10n.t("Rotating the key of '{0}' failed {1}: {2}", profile.name, stepText(step), sentence(e)),
      };
    }

    const created = result.newKey;
    const moved = (handover)?.moved ?? [];
    const stuck = (handover)?.stuck ?? [];
    const newName = `"${created.name}"`;
    const also = moved.length > 0 ? l10n.t(', as {0} do', listPlaces(moved)) : '';
    const rotated = { rotated: true, newKeyName: created.name, movedTo: moved };
    if (result.kept === 'unknown-id') {
      this.deps.log(`Rotated the key of profile '${profile.name}' (new key id ${created.id}); the pasted key it replaced is still live.`);
      return {
        ...rotated,
        oldKeyRevoked: false,
        message: l10n.t("The key of '{0}' was rotated to {1}{2}, but the old key {3} is still live: CoderFlow does not know which of your keys it is. Revoke it under API keys in the Profile Manager.", profile.name, newName, also, oldName),
      };
    }
    if (result.kept === 'chosen') {
      this.deps.log(`Rotated the key of profile '${profile.name}' (new key id ${created.id}); the old key id ${profile.keyId ?? ''} is kept, as ${stuck.map((h) => h.name).join(', ')} may still use it.`);
      return {
        ...rotated,
        oldKeyRevoked: false,
        keptOnPurpose: true,
        message:
          stuck.length === 1
            ? l10n.t("The key of '{0}' was rotated to {1}{2}. The old key {3} is kept live because {4} could not be updated and may still use it: update it, then revoke the old key under API keys.", profile.name, newName, also, oldName, listPlaces(stuck.map((h) => h.name)))
            : l10n.t("The key of '{0}' was rotated to {1}{2}. The old key {3} is kept live because {4} could not be updated and may still use it: update them, then revoke the old key under API keys.", profile.name, newName, also, oldName, listPlaces(stuck.map((h) => h.name))),
      };
    }
    if (result.kept === 'delete-failed') {
      const error = result.deleteError ?? new AuthError('unexpected-response', l10n.t('The server did not delete the key.'));
      this.deps.log(`Rotated the key of profile '${profile.name}' (new key id ${created.id}); revoking the old key id ${profile.keyId ?? ''} failed: ${error.kind}: ${error.message}`);
      return {
        ...rotated,
        oldKeyRevoked: false,
        failedStep: 'delete',
        message: l10n.t("The key of '{0}' was rotated to {1}{2}, but the old key {3} could not be revoked and is still live: {4} Revoke it under API keys in the Profile Manager.", profile.name, newName, also, oldName, sentence(error)),
      };
    }
    this.deps.log(`Rotated the key of profile '${profile.name}': new key id ${created.id}, old key id ${profile.keyId ?? ''} revoked${moved.length > 0 ? `; also moved: ${moved.join(', ')}` : ''}.`);
    const stuckNote = stuck.length > 0 ? l10n.t(' You chose to revoke it although {0} could not be updated.', listPlaces(stuck.map((h) => h.name))) : '';
    return { ...rotated, oldKeyRevoked: true, message: l10n.t("The key of '{0}' was rotated: it now holds {1}{2}, and {3} is revoked.{4}", profile.name, newName, also, oldName, stuckNote) };
  }

  private async signedIn(profileId: string): Promise<{ profile: ProfileMeta; key: string; client: CoderFlowClient }> {
    const profile = this.deps.store.get(profileId);
    if (!profile) throw new AuthError('bad-input', l10n.t('That profile no longer exists.'));
    const key = await this.deps.store.getKey(profile.id);
    if (!key) {
      throw new AuthError('bad-input', l10n.t("The profile '{0}' is signed out.", profile.name), { fix: l10n.t('Sign in again, then manage its keys.') });
    }
    return { profile, key, client: this.deps.makeClient(profile.serverUrl, key) };
  }
}

/**
 * Revokes keys with the client's key; the key the client itself holds (`ownKeyId`) goes last, as
 * every other request needs it. One failure does not stop the others.
 */
export async function revokeKeys(
  client: CoderFlowClient,
  keys: ReadonlyArray<{ id: string; name: string }>,
  ownKeyId: string | undefined,
  log: (line: string) => void,
): Promise<RevokeOutcome> {
  const ordered = [...keys.filter((k) => k.id !== ownKeyId), ...keys.filter((k) => k.id === ownKeyId)];
  const outcome: RevokeOutcome = { revoked: [], failed: [], signedOut: false };
  for (const key of ordered) {
    try {
      await client.deleteKey(key.id);
      outcome.revoked.push({ id: key.id, name: key.name });
      log(`Revoked the API key "${key.name}" (id ${key.id})`);
    } catch (e) {
      const error = toAuthError(e);
      outcome.failed.push({ id: key.id, name: key.name, message: error.message });
      log(`Could not revoke the API key "${key.name}" (id ${key.id}): ${error.kind}: ${error.message}`);
    }
  }
  return outcome;
}

// A function, not a table: the texts are looked up in the l10n bundle when used, after activation loaded it.
function stepText(step: RotationStep): string {
  switch (step) {
    case 'create': return l10n.t('while creating the new key');
    case 'update': return l10n.t('while switching to the new key');
    case 'test': return l10n.t('while testing the new key with /auth/me');
    case 'delete': return l10n.t('while revoking the old key');
  }
}

/** `"VS Code on host"`, or the masked key when its name is not known (a pasted key). */
export function describeKey(profile: Pick<ProfileMeta, 'keyName' | 'keyHint'>): string {
  return profile.keyName ? `"${profile.keyName}"` : l10n.t('{0} (pasted in)', maskedKeyFromHint(profile.keyHint));
}

/** The profile as `ProfileStore.save` takes it, to save it again with a change. */
export function newProfileFrom(profile: ProfileMeta): NewProfile {
  return {
    id: profile.id,
    name: profile.name,
    serverUrl: profile.serverUrl,
    ...(profile.username !== undefined ? { username: profile.username } : {}),
    ...(profile.displayName !== undefined ? { displayName: profile.displayName } : {}),
    method: profile.method,
    ...(profile.keyId !== undefined ? { keyId: profile.keyId } : {}),
    ...(profile.keyName !== undefined ? { keyName: profile.keyName } : {}),
    createdByExtension: profile.createdByExtension,
    ...(profile.expiresAt !== undefined ? { expiresAt: profile.expiresAt } : {}),
  };
}

/** "message. fix" of a failure: an AuthError, or the store's own errors, which carry a fix too. */
function sentence(e: unknown): string {
  const error = e instanceof Error && !(e instanceof AuthError) && e.name !== 'AbortError' ? e : toAuthError(e);
  const fix = (error as { fix?: unknown }).fix;
  const message = /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
  return typeof fix === 'string' && fix !== '' ? `${message} ${fix}` : message;
}
