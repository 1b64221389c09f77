// Which of the person's keys a pasted key is. The server never says a key's id from the key
// itself (PROTOCOL.md §5 lists id, name and dates only), but a request made with a key sets its
// last-used time: right after `GET /auth/me`, the key list shows which key was just used.
import type { CoderFlowClient } from '../../core/http/client';
import { toAuthError } from '../../core/errors';
import type { ApiKeyInfo } from '../../core/http/protocol';
import { sleep } from '../../core/sleep';

/**
 * Keys used within this long of the most recent use count as "just used". The server's clock is
 * the only one compared (with itself), so a difference between clocks does not matter.
 */
export const JUST_USED_MS = 5_000;

/** Time between the two readings of the list, so that a last-used time kept to the millisecond moves. */
const READINGS_APART_MS = 50;

/** The keys whose last use is within JUST_USED_MS of the most recent one in the list. */
export function justUsed(keys: readonly ApiKeyInfo[]): ApiKeyInfo[] {
  const used = keys.flatMap((key) => {
    const at = key.lastUsedAt ? Date.parse(key.lastUsedAt) : NaN;
    return Number.isFinite(at) ? [{ key, at }] : [];
  });
  const latest = Math.max(...used.map((u) => u.at));
  return used.filter((u) => latest - u.at <= JUST_USED_MS).map((u) => u.key);
}

/**
 * The key a client's key is. The key list is read twice with it: the key whose last-used time
 * moved between the two readings is the one that made them. When no time moved (a server that
 * keeps it to the second, say), the keys just used count instead: the one, or when several, the
 * one `choose` picks (asked once). Undefined when it cannot be told, or the list cannot be read
 * (a user who may not list keys): the profile then works without the id.
 */
export async function identifyKey(
  client: CoderFlowClient,
  choose: ((candidates: ApiKeyInfo[]) => Promise<string | undefined>) | undefined,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<ApiKeyInfo | undefined> {
  let first: ApiKeyInfo[];
  let second: ApiKeyInfo[];
  try {
    first = await client.listKeys(signal);
    await sleep(READINGS_APART_MS, signal);
    second = await client.listKeys(signal);
  } catch (e) {
    const error = toAuthError(e);
    // A cancel ends the sign-in; any other failure only leaves the id unknown.
    if (error.kind === 'cancelled') throw error;
    log(`Could not read the key list to learn which key was pasted: ${error.message}`);
    return undefined;
  }
  const moved = usedBetween(first, second);
  const candidates = moved.length > 0 ? moved : justUsed(second);
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0 || !choose) return undefined;
  const id = await choose(candidates);
  return candidates.find((key) => key.id === id);
}

/** The keys of the second reading whose last-used time is later than in the first. */
export function usedBetween(first: readonly ApiKeyInfo[], second: readonly ApiKeyInfo[]): ApiKeyInfo[] {
  const before = new Map(first.map((key) => [key.id, key.lastUsedAt ? Date.parse(key.lastUsedAt) : NaN]));
  return second.filter((key) => {
    const then = before.get(key.id);
    const now = key.lastUsedAt ? Date.parse(key.lastUsedAt) : NaN;
    return then !== undefined && Number.isFinite(now) && (!Number.isFinite(then) || now > then);
  });
}
