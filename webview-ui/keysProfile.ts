import type { ProfileView } from '../src/shared/webviewProtocol';

/** The profile whose keys the page lists: the extension profile in use, signed in. */
export function keysProfile(profiles: readonly ProfileView[]): ProfileView | undefined {
  return profiles.find((p) => p.active && p.source === 'extension' && p.status !== 'signedOut' && p.maskedKey !== undefined);
}
