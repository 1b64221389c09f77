import type { CoderFlowClient } from './client';
import { toAuthError } from './errors';
import type { CreatedKey } from './protocol';

export type RotationStep = 'create' | 'verify' | 'store' | 'delete';

export interface RotateOptions {
  newName: string;
  /** The key being replaced; without it the old key is left for the person to delete. */
  oldKeyId?: string;
  /** Saves the new key where the old one was (SecretStorage, CLI config…). */
  store: (newKey: CreatedKey) => Promise<void>;
  signal?: AbortSignal;
  onStep?(step: RotationStep): void;
}

export interface RotateResult {
  newKey: CreatedKey;
  oldKeyDeleted: boolean;
  /** Set when the old key is still live. */
  warning?: string;
}

/**
 * The docs' rotation: create a new key, confirm it with `GET /auth/me`, hand it over to be
 * stored, then delete the old one. Until the new key is stored, a failure leaves the old key in
 * place and removes the new one; after that, the new key is never lost, and a failed delete is
 * reported as a warning that the old key is still live.
 */
export async function rotateKey(client: CoderFlowClient, options: RotateOptions): Promise<RotateResult> {
  const { signal, onStep } = options;
  onStep?.('create');
  const newKey = await client.createKey(options.newName, signal);
  const newClient = client.withApiKey(newKey.key);
  try {
    onStep?.('verify');
    await newClient.me(signal);
    onStep?.('store');
    await options.store(newKey);
  } catch (e) {
    // Nobody holds the new key: revoke it rather than leave an orphan. The old key still works.
    // The error is passed on as it is: a failed store is the caller's own error to report.
    await client.deleteKey(newKey.id).catch(() => undefined);
    throw e;
  }

  if (options.oldKeyId === undefined) {
    return {
      newKey,
      oldKeyDeleted: false,
      warning: 'The new key is stored. The old key was not deleted because it is not known which key it was: delete it in Manage API Keys.',
    };
  }
  onStep?.('delete');
  try {
    await newClient.deleteKey(options.oldKeyId, signal);
    return { newKey, oldKeyDeleted: true };
  } catch (e) {
    const error = toAuthError(e);
    // Already gone is what deleting wanted.
    if (error.status === 404) return { newKey, oldKeyDeleted: true };
    return {
      newKey,
      oldKeyDeleted: false,
      warning: `The new key is stored, but the old key could not be deleted and is still live: ${error.message} Delete it in Manage API Keys.`,
    };
  }
}
