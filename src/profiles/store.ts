import { randomUUID } from 'node:crypto';
import { Emitter, type Disposable, type Event } from '../shared/event';
import type * as LegacyList from './legacyList';
import { keyHint, profileSchema, type ProfileMeta } from './profile';
import type { SignInMethod } from '../shared/signInMethod';
import type * as StorageErrors from './storageErrors';

// Structural views of vscode.Memento and vscode.SecretStorage, so the store runs in plain Node
// tests with an in-memory (and breakable) storage.
export interface Memento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
  keys(): readonly string[];
}
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  onDidChange: (listener: (e: { key: string }) => unknown) => Disposable;
}

/** Each profile's metadata is its own globalState entry, this prefix and the profile id. */
const ENTRY_PREFIX = 'profoundCoder.profile.';
/** Where earlier versions kept every profile, in one globalState value (legacyList.ts moves it). */
export const LEGACY_LIST_KEY = 'profoundCoder.profiles';
const SELECTED_KEY = 'profoundCoder.selectedProfile';
/** Ids of profiles removed lately, so that no window puts back a profile another one removed. */
const REMOVED_KEY = 'profoundCoder.removedProfiles';
const SECRET_PREFIX = 'profoundCoder.profile/';
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

export interface ProfileStoreOptions {
  /** How often to look for another window's changes to the profiles. */
  pollIntervalMs?: number;
  /** Where unreadable entries and the migration of the earlier list are reported. */
  log?: (line: string) => void;
}

/**
 * The extension's own profiles: each profile's metadata in its own globalState entry, each key in
 * its own SecretStorage entry. Every write goes secret first, metadata second, and is undone when
 * the second step fails, so a profile is never half-saved. Writes are queued, so two quick
 * sign-ins run one after the other.
 */
export class ProfileStore implements Disposable {
  private readonly changed = new Emitter<void>();
  readonly onDidChange: Event<void> = this.changed.event;
  private queue: Promise<unknown>;
  private readonly subscription: Disposable;
  private seen: string;
  private readonly poll: ReturnType<typeof setInterval>;
  /** Profiles this window saved in the last few seconds, to put back if another window's write lost them. */
  private readonly justSaved = new Map<string, { meta: ProfileMeta; until: number }>();
  private readonly log: (line: string) => void;
  /** Entries already reported as unreadable, so that each is reported once, not at every read. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly globalState: Memento,
    private readonly secrets: SecretStore,
    private readonly workspaceState?: Memento,
    { pollIntervalMs = 500, log = () => undefined }: ProfileStoreOptions = {},
  ) {
    this.log = log;
    // Started here, not queued: it issues its writes before returning, and VS Code's Memento applies
    // an update to what `get` returns at once (extHostMemento.ts, `update`), so the first read
    // already sees the moved profiles. Every write of this store waits for it.
    // The migration loads (dist/legacyList.js) only when there is an earlier list to move.
    this.queue =
      globalState.get(LEGACY_LIST_KEY) === undefined
        ? Promise.resolve()
        : legacyList().migrateLegacyList(globalState, entryKey, log);
    // Another window (or another extension host) changed one of our secrets: re-read and tell.
    this.subscription = secrets.onDidChange((e) => {
      if (e.key.startsWith(SECRET_PREFIX)) this.changed.fire();
    });
    // VS Code shares globalState between windows but tells no one when another window wrote it,
    // so a profile signed in or out elsewhere is noticed by comparing the stored entries now.
    this.seen = this.fingerprint();
    this.poll = setInterval(() => {
      if (this.fingerprint() === this.seen) return;
      void this.restoreLostSaves();
      this.announce();
    }, pollIntervalMs);
    this.poll.unref?.();
  }

  /** Oldest first, the order they were created in. */
  list(): ProfileMeta[] {
    return this.entryKeys()
      .flatMap((key) => this.read(key) ?? [])
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  }

  get(id: string): ProfileMeta | undefined {
    return this.read(entryKey(id));
  }

  findByName(name: string): ProfileMeta | undefined {
    return this.list().find((p) => p.name === name);
  }

  /**
   * The profile's key, or undefined when it has none, the stored value is not ours, or the profile's
   * entry says it is signed out or holds another key (signed out or rotated in another window whose
   * secure storage is not this one's, as in VS Code for the Web).
   */
  async getKey(id: string): Promise<string | undefined> {
    const hint = this.get(id)?.keyHint;
    if (!hint) return undefined;
    let raw: string | undefined;
    try {
      raw = await this.secrets.get(SECRET_PREFIX + id);
    } catch (e) {
      throw new (storageErrors().SecretStorageError)('read', e);
    }
    if (raw === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return undefined;
    }
    const parsed = profileSchema().StoredSecret.safeParse(json);
    return parsed.success && parsed.data.apiKey.endsWith(hint) ? parsed.data.apiKey : undefined;
  }

  save(profile: NewProfile, apiKey: string): Promise<ProfileMeta> {
    return this.serialized(async () => {
      const existing = profile.id ? this.get(profile.id) : undefined;
      const meta: ProfileMeta = {
        ...profile,
        id: existing?.id ?? profile.id ?? randomUUID(),
        keyHint: keyHint(apiKey),
        createdAt: existing?.createdAt ?? new Date().toISOString(),
        lastVerifiedAt: new Date().toISOString(),
      };
      const secretKey = SECRET_PREFIX + meta.id;
      const previous = existing ? await this.readRawSecret(secretKey) : undefined;
      await this.writeSecret(secretKey, JSON.stringify({ apiKey }));
      try {
        await this.writeState(entryKey(meta.id), dropUndefined(meta));
      } catch (e) {
        await this.undoSecret(secretKey, previous);
        throw e;
      }
      this.justSaved.set(meta.id, { meta, until: Date.now() + RESTORE_WINDOW_MS });
      this.announce();
      return meta;
    });
  }

  /**
   * One entry per profile does not keep two windows' writes apart: VS Code writes all of an
   * extension's globalState as one value, and each window takes another's value whole
   * (extHostMemento.ts, `update` and `onDidChangeStorage`), so of two windows saving at once the
   * last wins. A profile saved here moments ago that is gone, though no window removed it, is put back.
   */
  private restoreLostSaves(): Promise<void> {
    return this.serialized(async () => {
      const now = Date.now();
      const removed = new Set(this.removedIds());
      const lost: ProfileMeta[] = [];
      for (const [id, { meta, until }] of this.justSaved) {
        if (until < now) this.justSaved.delete(id);
        else if (!removed.has(id) && this.globalState.get(entryKey(id)) === undefined) lost.push(meta);
      }
      if (lost.length === 0) return;
      for (const meta of lost) await this.writeState(entryKey(meta.id), dropUndefined(meta));
      this.announce();
    });
  }

  /** Forget the key but keep the profile, so signing in again is one step. */
  signOut(id: string): Promise<void> {
    return this.serialized(async () => {
      await this.deleteSecret(SECRET_PREFIX + id);
      await this.changeEntry(id, (entry) => ({ ...entry, keyHint: undefined, keyId: undefined }));
      this.announce();
    });
  }

  remove(id: string): Promise<void> {
    return this.serialized(async () => {
      this.justSaved.delete(id);
      await this.deleteSecret(SECRET_PREFIX + id);
      await this.writeState(REMOVED_KEY, [...this.removedIds().filter((removed) => removed !== id), id].slice(-MAX_REMOVED_IDS));
      await this.writeState(entryKey(id), undefined);
      if (this.globalState.get<string>(SELECTED_KEY) === id) await this.globalState.update(SELECTED_KEY, undefined);
      if (this.workspaceState?.get<string>(SELECTED_KEY) === id) await this.workspaceState.update(SELECTED_KEY, undefined);
      this.announce();
    });
  }

  markVerified(id: string, user?: { username: string; displayName?: string }): Promise<void> {
    return this.serialized(async () => {
      const at = new Date().toISOString();
      await this.changeEntry(id, (entry) => ({ ...entry, lastVerifiedAt: at, ...(user ? { username: user.username, displayName: user.displayName } : {}) }));
      this.announce();
    });
  }

  /**
   * Records the expiry the server gave the profile's key, only while the profile still holds the
   * key with that id (a rotation that finished meanwhile is not undone).
   */
  setExpiry(id: string, keyId: string, expiresAt: string | null): Promise<void> {
    return this.serialized(async () => {
      if (this.get(id)?.keyId !== keyId) return;
      await this.changeEntry(id, (entry) => ({ ...entry, expiresAt }));
      this.announce();
    });
  }

  /** The workspace's own choice wins over the global one; a choice of a removed profile is ignored. */
  selected(): ProfileMeta | undefined {
    for (const state of [this.workspaceState, this.globalState]) {
      const id = state?.get<unknown>(SELECTED_KEY);
      const profile = typeof id === 'string' ? this.get(id) : undefined;
      if (profile) return profile;
    }
    return undefined;
  }

  selectedId(): string | undefined {
    return this.selected()?.id;
  }

  select(id: string | undefined, scope: 'global' | 'workspace' = 'global'): Promise<void> {
    return this.serialized(async () => {
      const target = scope === 'workspace' && this.workspaceState ? this.workspaceState : this.globalState;
      await target.update(SELECTED_KEY, id);
      this.announce();
    });
  }

  dispose(): void {
    clearInterval(this.poll);
    this.subscription.dispose();
    this.changed.dispose();
  }

  private fingerprint(): string {
    const entries = this.entryKeys().map((key) => [key, this.globalState.get(key)]);
    return JSON.stringify([entries, this.globalState.get(SELECTED_KEY) ?? null, this.workspaceState?.get(SELECTED_KEY) ?? null]);
  }

  private announce(): void {
    this.seen = this.fingerprint();
    this.changed.fire();
  }

  private entryKeys(): string[] {
    return this.globalState.keys().filter((key) => key.startsWith(ENTRY_PREFIX));
  }

  /** An entry that does not parse (written by a later version, say) is left as it is, reported once, and skipped. */
  private read(key: string): ProfileMeta | undefined {
    const stored = this.globalState.get<unknown>(key);
    if (stored === undefined) return undefined;
    const parsed = profileSchema().ProfileMeta.safeParse(stored);
    if (parsed.success && entryKey(parsed.data.id) === key) return parsed.data;
    if (!this.reported.has(key)) {
      this.reported.add(key);
      this.log(`Skipped the profile entry ${key} in globalState: it is not a profile this version can read. It was left unchanged.`);
    }
    return undefined;
  }

  private removedIds(): string[] {
    const stored = this.globalState.get<unknown>(REMOVED_KEY);
    return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
  }

  /** Rewrites a profile's entry, keeping the fields this version does not know; no entry, no write. */
  private async changeEntry(id: string, change: (entry: object) => object): Promise<void> {
    const entry = this.globalState.get<unknown>(entryKey(id));
    if (typeof entry !== 'object' || entry === null) return;
    await this.writeState(entryKey(id), dropUndefined(change(entry)));
  }

  private async writeState(key: string, value: unknown): Promise<void> {
    try {
      await this.globalState.update(key, value);
    } catch (e) {
      throw new (storageErrors().ProfileStateError)(e);
    }
  }

  private async readRawSecret(key: string): Promise<string | undefined> {
    try {
      return await this.secrets.get(key);
    } catch (e) {
      throw new (storageErrors().SecretStorageError)('read', e);
    }
  }

  private async writeSecret(key: string, value: string): Promise<void> {
    try {
      await this.secrets.store(key, value);
    } catch (e) {
      throw new (storageErrors().SecretStorageError)('save', e);
    }
  }

  private async deleteSecret(key: string): Promise<void> {
    try {
      await this.secrets.delete(key);
    } catch (e) {
      throw new (storageErrors().SecretStorageError)('delete', e);
    }
  }

  private async undoSecret(key: string, previous: string | undefined): Promise<void> {
    try {
      if (previous === undefined) await this.secrets.delete(key);
      else await this.secrets.store(key, previous);
    } catch {
      // The metadata write already failed and is what the person hears about; a key left behind
      // under an id no profile names is unreachable and overwritten by the next save of that id.
    }
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function entryKey(id: string): string {
  return ENTRY_PREFIX + id;
}

function dropUndefined(entry: object): object {
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined));
}

// Loaded next to the bundle that runs this (scripts/build.mjs, LAZY): most starts never need them.
function legacyList(): typeof LegacyList {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./legacyList.js') as typeof LegacyList;
}

/** The errors of a failed read or write of VS Code's storage, loaded when one happens. */
function storageErrors(): typeof StorageErrors {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./storageErrors.js') as typeof StorageErrors;
}
