// KeyActions, the key lifecycle in VS Code, and the arguments and answer of Manage API Keys.
import vscode = require('vscode');
import { AuthError, toAuthError } from '../../core/errors';
import type { ApiKeyInfo } from '../../core/http/protocol';
import type { ProfileMeta } from '../../profiles/profile';
import { staleKeys } from '../../shared/keyDates';
import { KeyService, type RevokeOutcome, type RotationOutcome } from '../../services/apiKeys/apiKeyService';
import type { SignInChoices } from '../../services/signInService';
import type { ApiKeyView } from '../../shared/webviewProtocol';
import { errorText } from '../../shared/errorText';
import type { Services } from '../../container';
import type { TerminalKeyInjector } from '../terminal';
import { importFromCli, saveToCli, type ImportFromCliArgs, type SaveToCliArgs } from './cliSharingPrompts';
import { ExpiryWarnings } from './expiryWarning';
import { KeyLister, type KeyTarget, type TargetListing } from './keyListing';
import { keyRetirement } from './keyRetirement';
import { revokeChosen } from './keyRevocation';
import { showKeysQuickPick } from './keysQuickPick';
import { toViews } from './keyViews';
import { rotateWithProgress } from './rotationProgress';
import { askNameTaken, askWhichKey } from './signInQuestions';
import * as l10n from '@vscode/l10n';

/** Arguments of `profoundCoder.manageApiKeys` for running it without the Quick Pick (tests, other extensions). */
export interface ManageArgs {
  /** An extension profile; default the one in use. */
  profileId?: string;
  /** List only: no Quick Pick. */
  quiet?: boolean;
  /** Revoke these key ids, after the person confirmed. */
  revoke?: string[];
  /** Revoke the stale keys, after the person confirmed. */
  revokeStale?: boolean;
}

/** What `profoundCoder.manageApiKeys` answers: views of the keys, never a secret. */
export interface ManageResult {
  profileId?: string;
  serverUrl: string;
  keys: ApiKeyView[];
  revoke?: RevokeOutcome;
}

/**
 * The key lifecycle in VS Code: confirmations, progress and notifications around KeyService and
 * the CLI sharing of src/services/apiKeys, the expiry warning, and what sign-in asks. A bundle of
 * its own (dist/keys.js), made on first use by `services.keyActions()`; the expiry check's timer,
 * which runs before that, is in src/vscode/keyWatch.ts.
 */
export class KeyActions {
  readonly keys: KeyService;
  /** What sign-in asks the person (SignInService gets it through `services.keyActions()`). */
  readonly choices: SignInChoices;
  private readonly lister: KeyLister;
  private readonly expiry: ExpiryWarnings;

  constructor(
    private readonly services: Services,
    readonly terminal: TerminalKeyInjector,
  ) {
    const retirement = keyRetirement(services);
    this.keys = new KeyService({
      store: services.store,
      makeClient: services.makeClient,
      log: (line) => services.log.info(line),
      deviceName: services.signIn.deviceName,
      retirement,
    });
    this.choices = { retirement, nameTaken: (q) => askNameTaken(services.store, q), whichKey: (keys) => askWhichKey(keys) };
    this.expiry = new ExpiryWarnings(services, (profileId) => this.rotate(profileId));
    this.lister = new KeyLister(services, this.keys, (profileId, listing) => this.expiry.warnIfExpiring(profileId, listing));
  }

  /** The extension profile in use, if the credential in use is one. */
  activeProfileId(): string | undefined {
    return this.lister.activeProfileId();
  }

  /** The keys of a profile's user as views; learns the profile key's expiry and warns when it is near. */
  async list(profileId: string): Promise<ApiKeyView[]> {
    const listing = await this.lister.listProfile(profileId);
    return toViews(listing.keys, listing.ownKeyId);
  }

  /** `profoundCoder.manageApiKeys`: the Quick Pick of keys, or with arguments the same actions without it. */
  async manage(args: ManageArgs = {}, options: { confirmed?: boolean } = {}): Promise<ManageResult | undefined> {
    // A sign-in or switch just before this call may not have been resolved yet.
    await this.services.credentials.refresh();
    const target = this.lister.target(args.profileId);
    if (!target) {
      if (!args.quiet) void vscode.window.showInformationMessage(l10n.t('Sign in to CoderFlow first: your keys are listed with the key you are signed in with.'));
      return undefined;
    }
    let listing: TargetListing;
    try {
      listing = await this.lister.listTarget(target, args.quiet === true);
    } catch (e) {
      if (args.quiet || args.revoke || args.revokeStale) throw e;
      void vscode.window.showErrorMessage(l10n.t('CoderFlow: {0}', errorText(toAuthError(e))));
      return undefined;
    }
    const result = (keys: ApiKeyInfo[], revoke?: RevokeOutcome): ManageResult => ({
      ...(target.kind === 'profile' ? { profileId: target.profile.id } : {}),
      serverUrl: target.serverUrl,
      keys: toViews(keys, listing.ownKeyId),
      ...(revoke ? { revoke } : {}),
    });
    if (args.revoke || args.revokeStale) {
      const chosen = args.revokeStale ? staleKeys(listing.keys, listing.ownKeyId, Date.now()) : listing.keys.filter((k) => args.revoke?.includes(k.id));
      const missing = (args.revoke ?? []).filter((id) => !listing.keys.some((k) => k.id === id));
      if (missing.length > 0) throw new AuthError('bad-input', l10n.t('That key is not listed any more: it may have been revoked already.'));
      const outcome = await this.revoke(target, chosen, listing.ownKeyId, { confirmed: options.confirmed === true, stale: args.revokeStale === true });
      const after = outcome ? await this.lister.listTarget(target, true).catch(() => undefined) : undefined;
      return result(after?.keys ?? listing.keys, outcome);
    }
    if (!args.quiet) {
      showKeysQuickPick(target, listing, {
        revoke: (chosen, stale) => this.revoke(target, chosen, listing.ownKeyId, { confirmed: false, stale }),
        rotate: (profileId) => this.rotate(profileId),
      });
    }
    return result(listing.keys);
  }

  private revoke(target: KeyTarget, chosen: ApiKeyInfo[], ownKeyId: string | undefined, options: { confirmed: boolean; stale: boolean }): Promise<RevokeOutcome | undefined> {
    return revokeChosen(this.services, this.keys, target, chosen, ownKeyId, options);
  }

  /**
   * `profoundCoder.rotateApiKey`: rotates with a progress notification and tells the outcome.
   * Resolves undefined when there is no signed-in profile to rotate.
   */
  rotate(profileId?: string, options: { quiet?: boolean } = {}): Promise<RotationOutcome | undefined> {
    return rotateWithProgress(this.services, this.keys, profileId, options);
  }

  /**
   * Reads the key list of the profile in use to learn when its key `keyId` expires, and warns when
   * that is near; at most once a day per profile and key (keyWatch.ts says when to look).
   */
  async checkExpiry(profile: ProfileMeta, keyId: string): Promise<void> {
    if (!this.expiry.claimCheck(profile.id, keyId)) return;
    try {
      await this.lister.listProfile(profile.id);
    } catch (e) {
      this.services.log.debug(`Could not read the key list to learn when the key of '${profile.name}' expires: ${toAuthError(e).message}`);
    }
  }

  /** "Save to CLI profile" (cliSharingPrompts.ts); `replace` skips the question before replacing another key. */
  saveToCli(args: SaveToCliArgs = {}, options: { replace?: boolean } = {}): Promise<{ file: string; cliProfile: string; message: string } | undefined> {
    return saveToCli(this.services, this.terminal, args, options);
  }

  /** "Import from CLI" (cliSharingPrompts.ts). */
  importFromCli(args: ImportFromCliArgs): Promise<ProfileMeta | undefined> {
    return importFromCli(this.services, args);
  }
}
