import type * as vscode from 'vscode';
import type { Services } from '../container';

/** How often a window looks whether its key's daily expiry check is due. */
const EXPIRY_POLL_MS = 3_600_000;
/** A little after the credential settled, so that an activation makes no request of its own before VS Code is done starting. */
const EXPIRY_CHECK_DELAY_MS = 3000;

/**
 * What the key lifecycle needs from activation on, without loading it (dist/keys.js, made by
 * `services.keyActions()`): sign-in's questions, which load it when one is asked, and the expiry
 * check's timer, which loads it only when a profile with a known key is in use.
 */
export function watchKeys(services: Services): vscode.Disposable {
  const choices = () => services.keyActions().choices;
  services.signIn.setChoices({
    nameTaken: (question) => choices().nameTaken(question),
    whichKey: (candidates) => choices().whichKey(candidates),
    retirement: {
      holders: () => choices().retirement.holders(),
      confirmRevoke: (question) => choices().retirement.confirmRevoke(question),
    },
  });

  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = () => {
    const profile = services.credentials.credential?.source === 'profile' ? services.store.selected() : undefined;
    if (profile?.keyId && profile.keyHint) void services.keyActions().checkExpiry(profile, profile.keyId);
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(check, EXPIRY_CHECK_DELAY_MS);
  };
  const subscriptions = [
    services.credentials.onDidChangeCredential(schedule),
    // A key whose id (and so expiry) became known later, here or in another window.
    services.store.onDidChange(schedule),
  ];
  schedule();
  // A window left open for days looks again once a day (KeyActions.checkExpiry decides what is due).
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
