// Whose keys a key action lists (a profile's or the credential in use's), and the listing itself.
import vscode = require('vscode');
import { AuthError } from '../../core/errors';
import type { ApiKeyInfo } from '../../core/http/protocol';
import type { ProfileMeta } from '../../profiles/profile';
import type { KeyListing, KeyService } from '../../services/apiKeys/apiKeyService';
import type { Services } from '../../container';
import * as l10n from '@vscode/l10n';

/** An extension profile signed in to its server, or the credential in use whatever its source. */
export type KeyTarget =
  | { kind: 'profile'; profile: ProfileMeta; serverUrl: string }
  | { kind: 'credential'; serverUrl: string };

/** The keys of a target as listed: `ownKeyId` is the key the target is signed in with, when known. */
export interface TargetListing {
  keys: ApiKeyInfo[];
  ownKeyId?: string;
}

export class KeyLister {
  constructor(
    private readonly services: Pick<Services, 'credentials' | 'currentClient' | 'health' | 'store'>,
    private readonly keys: KeyService,
    /** Told of every listing of a profile's keys (the expiry warning reads its key's expiry there). */
    private readonly onListed: (profileId: string, listing: KeyListing) => void,
  ) {}

  /** The extension profile in use, if the credential in use is one. */
  activeProfileId(): string | undefined {
    return this.services.credentials.credential?.source === 'profile' ? this.services.store.selectedId() : undefined;
  }

  /** A profile's keys; the profile in use's listing also tells the status bar whether its key works. */
  async listProfile(profileId: string): Promise<KeyListing> {
    const active = profileId === this.activeProfileId();
    try {
      const listing = await this.keys.list(profileId);
      if (active) this.services.health.observe(undefined);
      this.onListed(profileId, listing);
      return listing;
    } catch (e) {
      // A 403 here says this user may not manage keys (a viewer), not that the key is unusable.
      if (active && (e as { kind?: string }).kind !== 'forbidden') this.services.health.observe(e);
      throw e;
    }
  }

  /** The profile `profileId` (default the one in use), else the credential in use; undefined when signed out. */
  target(profileId: string | undefined): KeyTarget | undefined {
    const id = profileId ?? this.activeProfileId();
    if (id) {
      const profile = this.services.store.get(id);
      if (!profile) throw new AuthError('bad-input', l10n.t('That profile no longer exists.'));
      return { kind: 'profile', profile, serverUrl: profile.serverUrl };
    }
    const current = this.services.credentials.credential;
    return current ? { kind: 'credential', serverUrl: current.serverUrl } : undefined;
  }

  /** The target's keys, with a progress notification unless `quiet`. */
  async listTarget(target: KeyTarget, quiet: boolean): Promise<TargetListing> {
    const run = async () => {
      if (target.kind === 'profile') return this.listProfile(target.profile.id);
      const current = this.services.currentClient();
      if (!current) throw new AuthError('bad-input', l10n.t('Not signed in to CoderFlow.'));
      return { keys: await current.client.listKeys() };
    };
    if (quiet) return run();
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: l10n.t('CoderFlow: listing your API keys…') }, run);
  }
}
