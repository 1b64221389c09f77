import type * as vscode from 'vscode';
import type { Core } from '../container';
import { expiryWarningDue } from '../shared/keyDates';

/** How often a window looks whether its key's daily expiry check is due. */
const EXPIRY_POLL_MS = 3_600_000;
/** A little after the credential settled, so that an activation makes no request of its own before VS Code is done starting. */
const EXPIRY_CHECK_DELAY_MS = 3000;

/**
 * The expiry check's timer, from activation on, without loading the key lifecycle (dist/keys.js,
 * made by `services().keyActions()`): that loads, and asks the server for the key list, only when
 * the profile in use has a key whose expiry is not known yet or is near. An expiry learned at
 * sign-in or from an earlier key list is kept with the profile, so most windows start with neither.
 */
export function watchKeyExpiry(core: Core): vscode.Disposable {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = () => {
    const profile = core.credentials.credential?.source === 'profile' ? core.store.selected() : undefined;
    if (!profile?.keyId || !profile.keyHint) return;
    // Known (null: the key never expires; a date: nothing to say until a week before it).
    if (profile.expiresAt !== undefined && !expiryWarningDue(profile.expiresAt, Date.now())) return;
    void core.services().keyActions().checkExpiry(profile, profile.keyId);
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(check, EXPIRY_CHECK_DELAY_MS);
  };
  const subscriptions = [
    core.credentials.onDidChangeCredential(schedule),
    // A key whose id (and so expiry) became known later, here or in another window.
    core.store.onDidChange(schedule),
  ];
  schedule();
  // A window left open for days looks again every hour (KeyActions.checkExpiry asks the server at most once a day).
  const recheck = setInterval(schedule, EXPIRY_POLL_MS);
  recheck.unref?.();
  return {
    dispose() {
      clearTimeout(timer);
      clearInterval(recheck);
      for (const subscription of subscriptions) subscription.dispose();
    },
  };
}
