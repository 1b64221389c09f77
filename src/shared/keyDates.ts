// What the key lifecycle decides from dates alone: which keys are stale, when a key expires and
// when to warn about it, what a rotated key is called. Plain functions of their inputs and of
// `now`, free of `node:` and `vscode`, so the host, the Profile Manager page and the tests share
// them.
import * as l10n from '@vscode/l10n';

/** The dates of a key in the server's key list (its ApiKeyInfo), which is all the stale rule reads. */
interface KeyDates {
  id: string;
  createdAt: string;
  lastUsedAt: string | null;
}

const DAY_MS = 86_400_000;

/** CoderFlow's docs: "review stale keys by last-used time". Unused this long is stale. */
export const STALE_AFTER_DAYS = 90;

/** The warning that offers rotation comes this many days before a key expires. */
export const EXPIRY_WARNING_DAYS = 7;

function time(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const at = Date.parse(iso);
  return Number.isFinite(at) ? at : undefined;
}

/**
 * A key unused for 90 days or more. A key never used counts from its creation, so a key made
 * for a script that never ran is stale too; a key with no readable date is never called stale.
 */
export function isStale(key: Pick<KeyDates, 'createdAt' | 'lastUsedAt'>, now: number): boolean {
  const last = time(key.lastUsedAt) ?? time(key.createdAt);
  return last !== undefined && now - last >= STALE_AFTER_DAYS * DAY_MS;
}

/**
 * The keys "Revoke stale keys" takes: the stale ones except the key this profile holds, which
 * must not be revoked in passing (it is the one the request is made with).
 */
export function staleKeys<K extends KeyDates>(keys: readonly K[], ownKeyId: string | undefined, now: number): K[] {
  return keys.filter((key) => key.id !== ownKeyId && isStale(key, now));
}

/** Whole days until `expiresAt`, rounded up (a key expiring in 30 hours expires "in 2 days"); negative once expired. */
export function daysUntil(expiresAt: string, now: number): number | undefined {
  const at = time(expiresAt);
  if (at === undefined) return undefined;
  const left = at - now;
  return left <= 0 ? Math.floor(left / DAY_MS) : Math.ceil(left / DAY_MS);
}

/** "expires in 5 days", "expires in 1 day", "expired on 2026-03-01"; undefined without a readable date. */
export function expiryText(expiresAt: string | null | undefined, now: number): string | undefined {
  if (!expiresAt) return undefined;
  const days = daysUntil(expiresAt, now);
  if (days === undefined) return undefined;
  if (days <= 0) return l10n.t('expired on {0}', localDay(new Date(expiresAt)));
  return days === 1 ? l10n.t('expires in 1 day') : l10n.t('expires in {0} days', days);
}

/** True from 7 days before the expiry on, expired keys included. */
export function expiryWarningDue(expiresAt: string | null | undefined, now: number): boolean {
  const at = time(expiresAt);
  return at !== undefined && at - now <= EXPIRY_WARNING_DAYS * DAY_MS;
}

/** A window that stays open looks at its key's expiry again this often. */
export const EXPIRY_RECHECK_MS = DAY_MS;

/**
 * Which profile keys had their expiry looked at, and when: a key is due when it was never looked
 * at (a new key, or one whose id became known later) or a day ago.
 */
export class ExpiryChecks {
  private readonly last = new Map<string, number>();

  /** True when the key is due, and then records `now` as its check. */
  claim(profileId: string, keyId: string, now: number): boolean {
    const key = `${profileId}|${keyId}`;
    const at = this.last.get(key);
    if (at !== undefined && now - at < EXPIRY_RECHECK_MS) return false;
    this.last.set(key, now);
    return true;
  }
}

/** YYYY-MM-DD in the local time zone: the day a person would write down. */
export function localDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** "VS Code on <host> (rotated 2026-11-23)": still one key per device, and when it was made. */
export function rotatedKeyName(deviceName: string, now: Date): string {
  return `${deviceName} (rotated ${localDay(now)})`;
}
