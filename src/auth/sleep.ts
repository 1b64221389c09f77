import { AuthError, MESSAGES } from './errors';

/** Waits ms milliseconds; a cancel ends the wait at once with a 'cancelled' AuthError. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AuthError('cancelled', MESSAGES.cancelled));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AuthError('cancelled', MESSAGES.cancelled));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
