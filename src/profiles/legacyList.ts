import { profileSchema } from './profile';
import { messageOf } from '../shared/errorText';
import type { Memento } from './store';
import { LEGACY_LIST_KEY } from './storageKeys';

/**
 * Moves the earlier single profile list into one entry per profile, then deletes it. An entry that
 * already exists wins (another window migrated first, or changed the profile since), so running
 * twice, or in two windows at once, writes the same entries. A list of any other shape is left
 * as it is and reported: it may be a later version's, and deleting it would lose profiles. A
 * failed write is reported too; the list stays and is moved at the next start.
 */
export async function migrateLegacyList(state: Memento, entryKey: (id: string) => string, log: (line: string) => void): Promise<void> {
  try {
    await migrate(state, entryKey, log);
  } catch (e) {
    log(`Could not move the earlier profile list (globalState ${LEGACY_LIST_KEY}) to one entry per profile (${messageOf(e)}); it is kept and moved at the next start.`);
  }
}

async function migrate(state: Memento, entryKey: (id: string) => string, log: (line: string) => void): Promise<void> {
  const stored = state.get<unknown>(LEGACY_LIST_KEY);
  if (stored === undefined) return;
  const parsed = profileSchema().LegacyList.safeParse(stored);
  if (!parsed.success) {
    log(`The profile list of an earlier version (globalState ${LEGACY_LIST_KEY}) has an unexpected shape; it was left unchanged and its profiles are not shown.`);
    return;
  }
  const missing = parsed.data.profiles.filter((entry) => state.get(entryKey(entry.id)) === undefined);
  await Promise.all(missing.map((entry) => state.update(entryKey(entry.id), entry)));
  await state.update(LEGACY_LIST_KEY, undefined);
  log(`Moved ${missing.length} profile(s) from the earlier single list to one globalState entry each.`);
}
