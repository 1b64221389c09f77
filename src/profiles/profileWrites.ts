// Every change the profile store makes (store.ts delegates here). A bundle of its own
// (dist/profileWrites.js), loaded on the first change: a start only reads the profiles.
import { randomUUID } from 'node:crypto';
import { keyHint, type ProfileMeta } from './profile';
import type { Memento, SecretStore } from './store';
import { ProfileStateError, SecretStorageError } from './storageErrors';
import { entryKey, REMOVED_KEY, SECRET_PREFIX, SELECTED_KEY } from './storageKeys';
import type { SignInMethod } from '../shared/signInMethod';

/** How long after saving a profile this window watches that no other window's write lost it. */
const RESTORE_WINDOW_MS = 10_000;
const MAX_REMOVED_IDS = 50;

export interface NewProfile {
  /** Re-signing in to an existing profile replaces its key and metadata. */
  id?: string;
  name: string;
  serverUrl: string;
  username?: string;
  displayName?: string;
  method: SignInMethod;
  keyId?: string;
  keyName?: string;
  createdByExtension: boolean;
  expiresAt?: string | null;
}

/** What the writes use of the store: its storage, its reads, its queue, and its change event. */
export interface StoreAccess {
  readonly globalState: Memento;
  readonly secrets: SecretStore;
  readonly workspaceState: Memento | undefined;
  get(id: string): ProfileMeta | undefined;
  readSecret(key: string): Promise<string | undefined>;
  announce(): void;
  serialized<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Every write goes secret first, metadata second, and is undone when the second step fails, so a
 * profile is never half-saved; each runs in the store's queue.
 */
export class ProfileWrites {
  /** Profiles this window saved in the last few seconds, to put back if another window's write lost them. */
  private readonly justSaved = new Map<string, { meta: ProfileMeta; until: number }>();

  constructor(private readonly access: StoreAccess) {}

  save(profile: NewProfile, apiKey: string): Promise<ProfileMeta> {
    return this.access.serialized(async () => {
      const existing = profile.id ? this.access.get(profile.id) : undefined;
      const meta: ProfileMeta = {
        ...profile,
        id: existing?.id ?? profile.id ?? randomUUID(),
        keyHint: keyHint(apiKey),
        createdAt: existing?.createdAt ?? new Date().toISOString(),
        lastVerifiedAt: new Date().toISOString(),
      };
      const secretKey = SECRET_PREFIX + meta.id;
      const previous = existing ? await this.access.readSecret(secretKey) : undefined;
      await this.writeSecret(secretKey, JSON.stringify({ apiKey }));
      try {
        await this.writeState(entryKey(meta.id), dropUndefined(meta));
      } catch (e) {
        await this.undoSecret(secretKey, previous);
        throw e;
      }
      this.justSaved.set(meta.id, { meta, until: Date.now() + RESTORE_WINDOW_MS });
      this.access.announce();
      return meta;
    });
  }

  /**
   * One entry per profile does not keep two windows' writes apart: VS Code writes all of an
   * extension's globalState as one value, and each window takes another's value whole
   * (extHostMemento.ts, `update` and `onDidChangeStorage`), so of two windows saving at once the
   * last wins. A profile saved here moments ago that is gone, though no window removed it, is put back.
   */
  restoreLostSaves(): Promise<void> {
    return this.access.serialized(async () => {
      const now = Date.now();
      const removed = new Set(this.removedIds());
      const lost: ProfileMeta[] = [];
      for (const [id, { meta, until }] of this.justSaved) {
        if (until < now) this.justSaved.delete(id);
        else if (!removed.has(id) && this.access.globalState.get(entryKey(id)) === undefined) lost.push(meta);
      }
      if (lost.length === 0) return;
      for (const meta of lost) await this.writeState(entryKey(meta.id), dropUndefined(meta));
      this.access.announce();
    });
  }

  /** Forget the key but keep the profile, so signing in again is one step. */
  signOut(id: string): Promise<void> {
    return this.access.serialized(async () => {
      await this.deleteSecret(SECRET_PREFIX + id);
      await this.changeEntry(id, (entry) => ({ ...entry, keyHint: undefined, keyId: undefined }));
      this.access.announce();
    });
  }

  remove(id: string): Promise<void> {
    return this.access.serialized(async () => {
      this.justSaved.delete(id);
      await this.deleteSecret(SECRET_PREFIX + id);
      await this.writeState(REMOVED_KEY, [...this.removedIds().filter((removed) => removed !== id), id].slice(-MAX_REMOVED_IDS));
      await this.writeState(entryKey(id), undefined);
      if (this.access.globalState.get<string>(SELECTED_KEY) === id) await this.access.globalState.update(SELECTED_KEY, undefined);
      if (this.access.workspaceState?.get<string>(SELECTED_KEY) === id) await this.access.workspaceState.update(SELECTED_KEY, undefined);
      this.access.announce();
    });
  }

  markVerified(id: string, user?: { username: string; displayName?: string }): Promise<void> {
    return this.access.serialized(async () => {
      const at = new Date().toISOString();
      await this.changeEntry(id, (entry) => ({ ...entry, lastVerifiedAt: at, ...(user ? { username: user.username, displayName: user.displayName } : {}) }));
      this.access.announce();
    });
  }

  /**
   * Records the expiry the server gave the profile's key, only while the profile still holds the
   * key with that id (a rotation that finished meanwhile is not undone).
   */
  setExpiry(id: string, keyId: string, expiresAt: string | null): Promise<void> {
    return this.access.serialized(async () => {
      if (this.access.get(id)?.keyId !== keyId) return;
      await this.changeEntry(id, (entry) => ({ ...entry, expiresAt }));
      this.access.announce();
    });
  }

  select(id: string | undefined, scope: 'global' | 'workspace' = 'global'): Promise<void> {
    return this.access.serialized(async () => {
      const target = scope === 'workspace' && this.access.workspaceState ? this.access.workspaceState : this.access.globalState;
      await target.update(SELECTED_KEY, id);
      this.access.announce();
    });
  }

  private removedIds(): string[] {
    const stored = this.access.globalState.get<unknown>(REMOVED_KEY);
    return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
  }

  /** Rewrites a profile's entry, keeping the fields this version does not know; no entry, no write. */
  private async changeEntry(id: string, change: (entry: object) => object): Promise<void> {
    const entry = this.access.globalState.get<unknown>(entryKey(id));
    if (typeof entry !== 'object' || entry === null) return;
    await this.writeState(entryKey(id), dropUndefined(change(entry)));
  }

  private async writeState(key: string, value: unknown): Promise<void> {
    try {
      await this.access.globalState.update(key, value);
    } catch (e) {
      throw new ProfileStateError(e);
    }
  }

  private async writeSecret(key: string, value: string): Promise<void> {
    try {
      await this.access.secrets.store(key, value);
    } catch (e) {
      throw new SecretStorageError('save', e);
    }
  }

  private async deleteSecret(key: string): Promise<void> {
    try {
      await this.access.secrets.delete(key);
    } catch (e) {
      throw new SecretStorageError('delete', e);
    }
  }

  private async undoSecret(key: string, previous: string | undefined): Promise<void> {
    try {
      if (previous === undefined) await this.access.secrets.delete(key);
      else await this.access.secrets.store(key, previous);
    } catch {
      // The metadata write already failed and is what the person hears about; a key left behind
      // under an id no profile names is unreachable and overwritten by the next save of that id.
    }
  }
}

function dropUndefined(entry: object): object {
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined));
}
