import { setTimeout as wait } from 'node:timers/promises';
import { AuthError, MESSAGES } from './errors';

// Node turns a timer longer than 2^31 - 1 ms into 1 ms: a huge wait a server asked for would become
// a tight loop. Longer waits are cut to this, which no caller comes near on purpose.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Waits ms milliseconds (at most ~24.8 days); a cancel ends the wait at once with a 'cancelled' AuthError. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  const delay = Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_TIMER_MS) : MAX_TIMER_MS;
  try {
    await wait(delay, undefined, signal ? { signal } : {});
  } catch (e) {
    if (signal?.aborted) throw new AuthError('cancelled', MESSAGES.cancelled);
    throw e;
  }
}
