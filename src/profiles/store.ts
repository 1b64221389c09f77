import { randomUUID } from 'node:crypto';
import { Emitter, type Disposable, type Event } from '../util/event';
import { ProfileMeta, StoredSecret, keyHint, type SignInMethod } from './profile';

// Structural views of vscode.Memento and vscode.SecretStorage, so the store runs in plain Node
// tests with an in-memory (and breakable) storage.
export interface Memento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}
export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  onDidChange: (listener: (e: { key: string }) => unknown) => Disposable;
}

const LIST_KEY = 'profoundCoder.profiles';
const SELECTED_KEY = 'profoundCoder.selectedProfile';
const SECRET_PREFIX = 'profoundCoder.profile/';
/** How long after saving a profile this window watches that no other window's write lost it. */
const RESTORE_WINDOW_MS = 10_000;
const MAX_REMOVED_IDS = 50;

/** VS Code's secure storage (the OS keyring) refused a read or a write. */
export class SecretStorageError extends Error {
  readonly fix =
    'On Linux, install and unlock a keyring (GNOME Keyring or KWallet), or start VS Code with ' +
    '--password-store=basic. Alternatively sign in with the CoderFlow CLI (`coder login`): the ' +
    'extension reads the CLI configuration too.';
  constructor(operation: 'read' | 'save' | 'delete', cause: unknown) {
    super(`VS Code could not ${operation} the API key in its secure storage (${describe(cause)}).`);
    this.name = 'SecretStorageError';
  }
}

/** Profile metadata could not be written to VS Code's global state. */
export class ProfileStateError extends Error {
  constructor(cause: unknown) {
    super(`VS Code could not save the CoderFlow profile list (${describe(cause)}). Nothing was changed.`);
    this.name = 'ProfileStateError';
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

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

/**
 * The extension's own profiles: metadata in globalState, each key in its own SecretStorage entry.
 * Every write goes secret first, metadata second, and is undone when the second step fails, so a
 * profile is never half-saved. Writes are queued, so two quick sign-ins run one after the other.
 */
export class ProfileStore implements Disposable {
  private readonly changed = new Emitter<void>();
  readonly onDidChange: Event<void> = this.changed.event;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly subscription: Disposable;
  private seen: string;
  private readonly poll: ReturnType<typeof setInterval>;
  /** Profiles this window saved in the last few seconds, to put back if another window's write lost them. */
  private readonly justSaved = new Map<string, { meta: ProfileMeta; until: number }>();

  constructor(
    private readonly globalState: Memento,
    private readonly secrets: SecretStore,
    private readonly workspaceState?: Memento,
    /** How often to look for another window's changes to the profile list. */
    pollIntervalMs = 500,
  ) {
    // Another window (or another extension host) changed one of our secrets: re-read and tell.
    this.subscription = secrets.onDidChange((e) => {
      if (e.key.startsWith(SECRET_PREFIX)) this.changed.fire();
    });
    // VS Code shares globalState between windows but tells no one when another window wrote it,
    // so a profile signed in or out elsewhere is noticed by comparing what is stored now.
    this.seen = this.fingerprint();
    this.poll = setInterval(() => {
      if (this.fingerprint() === this.seen) return;
      void this.restoreLostSaves();
      this.announce();
    }, pollIntervalMs);
    this.poll.unref?.();
  }

  list(): ProfileMeta[] {
    return this.rawList().flatMap((entry) => {
      const parsed = ProfileMeta.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
  }

  get(id: string): ProfileMeta | undefined {
    return this.list().find((p) => p.id === id);
  }

  findByName(name: string): ProfileMeta | undefined {
    return this.list().find((p) => p.name === name);
  }

  /**
   * The profile's key, or undefined when it has none, the stored value is not ours, or the profile
   * list says it is signed out or holds another key (signed out or rotated in another window whose
   * secure storage is not this one's, as in VS Code for the Web).
   */
  async getKey(id: string): Promise<string | undefined> {
    const hint = this.get(id)?.keyHint;
    if (!hint) return undefined;
    let raw: string | undefined;
    try {
      raw = await this.secrets.get(SECRET_PREFIX + id);
    } catch (e) {
      throw new SecretStorageError('read', e);
    }
    if (raw === undefined) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return undefined;
    }
    const parsed = StoredSecret.safeParse(json);
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
        await this.writeList((entries) => upsert(entries, meta));
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
   * Windows write the whole profile list, so two windows saving at the same moment can overwrite
   * each other's new profile (the last write wins). A profile this window saved moments ago that
   * is gone from the list without any window removing it (removals are recorded with the list) is
   * written back.
   */
  private restoreLostSaves(): Promise<void> {
    return this.serialized(async () => {
      const now = Date.now();
      const present = new Set([...this.list().map((p) => p.id), ...this.removedIds()]);
      const lost: ProfileMeta[] = [];
      for (const [id, { meta, until }] of this.justSaved) {
        if (until < now) this.justSaved.delete(id);
        else if (!present.has(id)) lost.push(meta);
      }
      if (lost.length === 0) return;
      await this.writeList((entries) => lost.reduce(upsert, entries));
      this.announce();
    });
  }

  /** Forget the key but keep the profile, so signing in again is one step. */
  signOut(id: string): Promise<void> {
    return this.serialized(async () => {
      await this.deleteSecret(SECRET_PREFIX + id);
      await this.writeList((entries) =>
        entries.map((entry) => (isProfile(entry, id) ? { ...(entry as object), keyHint: undefined, keyId: undefined } : entry)),
      );
      this.announce();
    });
  }

  remove(id: string): Promise<void> {
    return this.serialized(async () => {
      this.justSaved.delete(id);
      await this.deleteSecret(SECRET_PREFIX + id);
      await this.writeList((entries) => entries.filter((entry) => !isProfile(entry, id)), id);
      if (this.globalState.get<string>(SELECTED_KEY) === id) await this.globalState.update(SELECTED_KEY, undefined);
      if (this.workspaceState?.get<string>(SELECTED_KEY) === id) await this.workspaceState.update(SELECTED_KEY, undefined);
      this.announce();
    });
  }

  markVerified(id: string, user?: { username: string; displayName?: string }): Promise<void> {
    return this.serialized(async () => {
      const at = new Date().toISOString();
      await this.writeList((entries) =>
        entries.map((entry) =>
          isProfile(entry, id)
            ? { ...(entry as object), lastVerifiedAt: at, ...(user ? { username: user.username, displayName: user.displayName } : {}) }
            : entry,
        ),
      );
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
      await this.writeList((entries) => entries.map((entry) => (isProfile(entry, id) ? { ...(entry as object), expiresAt } : entry)));
      this.announce();
    });
  }

  /** The workspace's own choice wins over the global one; a choice of a removed profile is ignored. */
  selectedId(): string | undefined {
    const ids = new Set(this.list().map((p) => p.id));
    const workspace = this.workspaceState?.get<string>(SELECTED_KEY);
    if (workspace && ids.has(workspace)) return workspace;
    const global = this.globalState.get<string>(SELECTED_KEY);
    return global && ids.has(global) ? global : undefined;
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
    return JSON.stringify([this.globalState.get(LIST_KEY) ?? null, this.globalState.get(SELECTED_KEY) ?? null, this.workspaceState?.get(SELECTED_KEY) ?? null]);
  }

  private announce(): void {
    this.seen = this.fingerprint();
    this.changed.fire();
  }

  private rawList(): unknown[] {
    const stored = this.globalState.get<unknown>(LIST_KEY);
    if (typeof stored !== 'object' || stored === null) return [];
    const profiles = (stored as { profiles?: unknown }).profiles;
    return Array.isArray(profiles) ? profiles : [];
  }

  // Entries that do not parse (written by a newer version, say) are kept as they are.
  /** Ids of profiles removed lately, so that no window puts back a profile another one removed. */
  private removedIds(): string[] {
    const stored = this.globalState.get<{ removed?: unknown }>(LIST_KEY)?.removed;
    return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : [];
  }

  private async writeList(change: (entries: unknown[]) => unknown[], removedId?: string): Promise<void> {
    const next = change(this.rawList()).map(dropUndefined);
    const removed = removedId ? [...this.removedIds().filter((id) => id !== removedId), removedId].slice(-MAX_REMOVED_IDS) : this.removedIds();
    try {
      await this.globalState.update(LIST_KEY, { version: 1, profiles: next, ...(removed.length ? { removed } : {}) });
    } catch (e) {
      throw new ProfileStateError(e);
    }
  }

  private async readRawSecret(key: string): Promise<string | undefined> {
    try {
      return await this.secrets.get(key);
    } catch (e) {
      throw new SecretStorageError('read', e);
    }
  }

  private async writeSecret(key: string, value: string): Promise<void> {
    try {
      await this.secrets.store(key, value);
    } catch (e) {
      throw new SecretStorageError('save', e);
    }
  }

  private async deleteSecret(key: string): Promise<void> {
    try {
      await this.secrets.delete(key);
    } catch (e) {
      throw new SecretStorageError('delete', e);
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

function isProfile(entry: unknown, id: string): boolean {
  return typeof entry === 'object' && entry !== null && (entry as { id?: unknown }).id === id;
}

function upsert(entries: unknown[], meta: ProfileMeta): unknown[] {
  const index = entries.findIndex((entry) => isProfile(entry, meta.id));
  if (index === -1) return [...entries, meta];
  const next = [...entries];
  next[index] = meta;
  return next;
}

function dropUndefined(entry: unknown): unknown {
  if (typeof entry !== 'object' || entry === null) return entry;
  return Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined));
}
