// Where the profile store keeps what, in globalState, workspaceState and SecretStorage.

/** Each profile's metadata is its own globalState entry, this prefix and the profile id. */
export const ENTRY_PREFIX = 'profoundCoder.profile.';
/** Where earlier versions kept every profile, in one globalState value (legacyList.ts moves it). */
export const LEGACY_LIST_KEY = 'profoundCoder.profiles';
export const SELECTED_KEY = 'profoundCoder.selectedProfile';
/** Ids of profiles removed lately, so that no window puts back a profile another one removed. */
export const REMOVED_KEY = 'profoundCoder.removedProfiles';
export const SECRET_PREFIX = 'profoundCoder.profile/';

/** A profile's globalState entry. */
export function entryKey(id: string): string {
  return ENTRY_PREFIX + id;
}
