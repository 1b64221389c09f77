import { Emitter, type Disposable, type Event } from '../shared/event';
import type * as LegacyList from './legacyList';
import { profileSchema, type ProfileMeta } from './profile';
import type * as ProfileWritesModule from './profileWrites';
import type { NewProfile, ProfileWrites } from './profileWrites';
import { entryKey, ENTRY_PREFIX, LEGACY_LIST_KEY, SECRET_PREFIX, SELECTED_KEY } from './storageKeys';
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

export interface ProfileStoreOptions {
  /** How often to look for another window's changes to the profiles. */
  pollIntervalMs?: number;
  /** Where unreadable entries and the migration of the earlier list are reported. */
  log?: (line: string) => void;
}

/**
 * The extension's own profiles: each profile's metadata in its own globalState entry, each key in
 * its own SecretStorage entry (storageKeys.ts). Read here; changed by profileWrites.ts, loaded on
 * the first change. Changes are queued, so two quick sign-ins run one after the other.
 */
export class ProfileStore implements Disposable {
  private readonly changed = new Emitter<void>();
  readonly onDidChange: Event<void> = this.changed.event;
  private queue: Promise<unknown>;
  private readonly subscription: Disposable;
  private seen: string;
  private readonly poll: ReturnType<typeof setInterval>;
  /** The changes (profileWrites.ts), loaded on the first one. */
  private writer: ProfileWrites | undefined;
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
      // Only a window that saved a profile lately has one to put back.
      if (this.writer) void this.writer.restoreLostSaves();
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
    const raw = await this.readSecret(SECRET_PREFIX + id);
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

  /** Saves a profile and its key; re-signing in to an existing profile (its id) replaces both. */
  save(profile: NewProfile, apiKey: string): Promise<ProfileMeta> {
    return this.writes().save(profile, apiKey);
  }

  /** Forget the key but keep the profile, so signing in again is one step. */
  signOut(id: string): Promise<void> {
    return this.writes().signOut(id);
  }

  remove(id: string): Promise<void> {
    return this.writes().remove(id);
  }

  markVerified(id: string, user?: { username: string; displayName?: string }): Promise<void> {
    return this.writes().markVerified(id, user);
  }

  /** Records the expiry of the profile's key, while the profile still holds the key with that id. */
  setExpiry(id: string, keyId: string, expiresAt: string | null): Promise<void> {
    return this.writes().setExpiry(id, keyId, expiresAt);
  }

  select(id: string | undefined, scope: 'global' | 'workspace' = 'global'): Promise<void> {
    return this.writes().select(id, scope);
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

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** A SecretStorage value as stored; a refusing keyring is a SecretStorageError. */
  private async readSecret(key: string): Promise<string | undefined> {
    try {
      return await this.secrets.get(key);
    } catch (e) {
      throw new (storageErrors().SecretStorageError)('read', e);
    }
  }

  private writes(): ProfileWrites {
    if (!this.writer) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { ProfileWrites: Writes } = require('./profileWrites.js') as typeof ProfileWritesModule;
      this.writer = new Writes({
        globalState: this.globalState,
        secrets: this.secrets,
        workspaceState: this.workspaceState,
        get: (id) => this.get(id),
        readSecret: (key) => this.readSecret(key),
        announce: () => this.announce(),
        serialized: (work) => this.serialized(work),
      });
    }
    return this.writer;
  }
}

// Loaded next to the bundle that runs this (scripts/bundles.mjs, LAZY): most starts never need them.
function legacyList(): typeof LegacyList {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./legacyList.js') as typeof LegacyList;
}

/** The errors of a failed read or write of VS Code's storage, loaded when one happens. */
function storageErrors(): typeof StorageErrors {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./storageErrors.js') as typeof StorageErrors;
}
