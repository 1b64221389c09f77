import type { CoderFlowClient } from './http/client';
import { AuthError, toAuthError } from './errors';
import type { CreatedKey } from './http/protocol';
import * as l10n from '@vscode/l10n';

/** The docs' four steps of a rotation, in order. */
export type RotationStep = 'create' | 'update' | 'test' | 'delete';

export interface RotateOptions {
  newName: string;
  /** The key being replaced; without it the old key is left for the person to delete. */
  oldKeyId?: string;
  /** Step 2: moves every holder of the old key to the new one. */
  update: (newKey: CreatedKey) => Promise<void>;
  /**
   * Undoes step 2 (each holder gets the old key back) when a later step fails or is cancelled.
   * Resolves false when a holder could not be put back: it holds the new key, which then stays live.
   */
  restore: (newKey: CreatedKey) => Promise<boolean>;
  /** Asked just before step 4: false keeps the old key live (something still needs it). */
  mayDelete?: () => Promise<boolean>;
  /** Cancels the rotation until the old key's deletion starts; after that it cannot be undone. */
  signal?: AbortSignal;
  onStep?: (step: RotationStep) => void;
}

export interface RotateResult {
  newKey: CreatedKey;
  oldKeyDeleted: boolean;
  /** Why the old key is still live, when it is. */
  kept?: 'unknown-id' | 'chosen' | 'delete-failed';
  /** The delete's failure, with kept 'delete-failed'. */
  deleteError?: AuthError;
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AuthError('cancelled', l10n.t('The rotation was cancelled.'));
}

/**
 * The docs' rotation: create a new key, switch every holder of the old key to it, test it with
 * `GET /auth/me`, delete the old key. Until the deletion starts, a failure or a cancel puts the
 * old key back in every holder and revokes the new one, so nothing changed; the error is passed
 * on as it is. The deletion itself is not cancelled half-way: once it is sent, the holders keep
 * the new key, and a failed delete is reported as the old key still live.
 */
export async function rotateKey(client: CoderFlowClient, options: RotateOptions): Promise<RotateResult> {
  const { signal, onStep } = options;
  checkCancelled(signal);
  onStep?.('create');
  // Not cancelled half-way: a key the server made after the request was abandoned would be live
  // with nobody knowing its id. A cancel during the create takes effect once it returns.
  const newKey = await client.createKey(options.newName);
  const newClient = client.withApiKey(newKey.key);
  let updating = false;
  try {
    checkCancelled(signal);
    onStep?.('update');
    updating = true;
    await options.update(newKey);
    checkCancelled(signal);
    onStep?.('test');
    await newClient.me(signal);
    if (options.oldKeyId !== undefined) {
      const mayDelete = options.mayDelete ? await options.mayDelete() : true;
      checkCancelled(signal);
      if (!mayDelete) return { newKey, oldKeyDeleted: false, kept: 'chosen' };
    }
  } catch (e) {
    // Every holder gets the old key back, then the new key is revoked rather than left as an
    // orphan; a holder that could not be put back still needs it. The old key still works.
    const restored = updating ? await options.restore(newKey).catch(() => false) : true;
    if (restored) await client.deleteKey(newKey.id).catch(() => undefined);
    throw e;
  }
  if (options.oldKeyId === undefined) return { newKey, oldKeyDeleted: false, kept: 'unknown-id' };
  onStep?.('delete');
  try {
    await newClient.deleteKey(options.oldKeyId);
    return { newKey, oldKeyDeleted: true };
  } catch (e) {
    return { newKey, oldKeyDeleted: false, kept: 'delete-failed', deleteError: toAuthError(e) };
  }
}
