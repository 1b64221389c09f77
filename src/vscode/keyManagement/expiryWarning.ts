// The warning that the key of a profile expires soon (or has expired), offering to rotate it.
import vscode = require('vscode');
import type { KeyListing } from '../../services/apiKeys/apiKeyService';
import { ExpiryChecks, expiryText, expiryWarningDue } from '../../shared/keyDates';
import type { Services } from '../../container';
import { dayOf } from './keyViews';
import * as l10n from '@vscode/l10n';

export class ExpiryWarnings {
  private readonly warned = new Set<string>();
  private readonly checked = new ExpiryChecks();

  constructor(
    private readonly services: Pick<Services, 'log' | 'store'>,
    private readonly rotate: (profileId: string) => Promise<unknown>,
  ) {}

  /** Whether the key list of `profileId` should be read now to learn when its key `keyId` expires: at most once a day per profile and key. */
  claimCheck(profileId: string, keyId: string): boolean {
    return this.checked.claim(profileId, keyId, Date.now());
  }

  /** Warns when the profile's own key in `listing` expires soon; once per key and expiry, and once more when it has expired. */
  warnIfExpiring(profileId: string, listing: KeyListing): void {
    const own = listing.keys.find((k) => k.id === listing.ownKeyId);
    const expiresAt = own?.expiresAt;
    const profile = this.services.store.get(profileId);
    if (!own || !expiresAt || !profile || !expiryWarningDue(expiresAt, Date.now())) return;
    const expired = Date.parse(expiresAt) <= Date.now();
    const once = `${profileId}|${own.id}|${expiresAt}|${expired}`;
    if (this.warned.has(once)) return;
    this.warned.add(once);
    const when = expiryText(expiresAt, Date.now()) ?? l10n.t('expires on {0}', expiresAt);
    const rotate = l10n.t('Rotate Key');
    this.services.log.info(`The key of profile '${profile.name}' ${when}.`);
    if (expired) {
      void vscode.window.showWarningMessage(l10n.t("CoderFlow: the API key of profile '{0}' {1}. Sign in again to get a new one.", profile.name, when));
      return;
    }
    void vscode.window
      .showWarningMessage(l10n.t("CoderFlow: the API key of profile '{0}' {1} ({2}). Rotate it now so nothing stops working.", profile.name, when, dayOf(expiresAt)), rotate)
      .then((choice) => (choice === rotate ? this.rotate(profileId) : undefined));
  }
}
