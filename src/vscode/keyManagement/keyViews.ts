// Keys as the Quick Pick and the Profile Manager show them: views without a secret, and their days.
import type { ApiKeyInfo } from '../../core/http/protocol';
import { isStale, localDay } from '../../shared/keyDates';
import type { ApiKeyView } from '../../shared/webviewProtocol';

export function toView(key: ApiKeyInfo, ownKeyId: string | undefined, now: number): ApiKeyView {
  return {
    id: key.id.slice(0, 200),
    name: key.name.slice(0, 200),
    createdAt: key.createdAt.slice(0, 64),
    lastUsedAt: key.lastUsedAt ? key.lastUsedAt.slice(0, 64) : null,
    ...(key.expiresAt !== undefined ? { expiresAt: key.expiresAt ? key.expiresAt.slice(0, 64) : null } : {}),
    thisDevice: ownKeyId !== undefined && key.id === ownKeyId,
    stale: isStale(key, now),
  };
}

/** This device's key first, then the others as the server listed them. */
export function toViews(keys: readonly ApiKeyInfo[], ownKeyId: string | undefined, now = Date.now()): ApiKeyView[] {
  const views = keys.map((key) => toView(key, ownKeyId, now));
  return [...views.filter((v) => v.thisDevice), ...views.filter((v) => !v.thisDevice)];
}

/** The local day of a server time, or the text as given when it is not a date. */
export function dayOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : localDay(date);
}
