import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** What the server keeps about a key: never the secret, only its SHA-256. */
interface StoredKey {
  id: string;
  userId: string;
  name: string;
  hash: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The key shape of PROTOCOL.md §5 (no `expiresAt`: keys do not expire). */
export interface KeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export interface IssuedKey extends KeyView {
  key: string;
}

function hashOf(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function view(stored: StoredKey): KeyView {
  return { id: stored.id, name: stored.name, createdAt: stored.createdAt, lastUsedAt: stored.lastUsedAt };
}

export class KeyStore {
  private readonly byHash = new Map<string, StoredKey>();

  issue(userId: string, name: string): IssuedKey {
    const secret = `pc_${randomBytes(32).toString('hex')}`;
    const stored: StoredKey = {
      id: randomUUID(),
      userId,
      name,
      hash: hashOf(secret),
      createdAt: new Date().toISOString(),
      lastUsedAt: null,
    };
    this.byHash.set(stored.hash, stored);
    return { ...view(stored), key: secret };
  }

  /** The owner of a presented key, recording the use; undefined for an unknown or revoked key. */
  use(secret: string): { userId: string; keyId: string } | undefined {
    const stored = this.byHash.get(hashOf(secret));
    if (!stored) return undefined;
    stored.lastUsedAt = new Date().toISOString();
    return { userId: stored.userId, keyId: stored.id };
  }

  isValid(secret: string): boolean {
    return this.byHash.has(hashOf(secret));
  }

  listFor(userId: string): KeyView[] {
    return [...this.byHash.values()].filter((stored) => stored.userId === userId).map(view);
  }

  /** Revokes one of the user's own keys; false when the id is unknown or someone else's. */
  revoke(userId: string, keyId: string): boolean {
    for (const [hash, stored] of this.byHash) {
      if (stored.id === keyId && stored.userId === userId) {
        this.byHash.delete(hash);
        return true;
      }
    }
    return false;
  }
}
