import * as vscode from 'vscode';
import { readCliConfig } from '../../core/cliConfig/cliConfigFile';
import { AuthError, toAuthError } from '../../core/errors';
import type { ApiKeyInfo } from '../../core/http/protocol';
import type { ProfileMeta } from '../../profiles/profile';
import { homedir } from 'node:os';
import { findCliConfigPath } from '../../core/cliConfig/cliConfigFile';
import { CLI_API_KEY_ENV } from '../../core/http/protocol';
import { listPlaces, type KeyHolder, type KeyRetirement, type RevokeQuestion } from '../../services/apiKeys/keyHolders';
import { ExpiryChecks, expiryText, expiryWarningDue, isStale, localDay, staleKeys, STALE_AFTER_DAYS } from '../../shared/keyDates';
import { checkCliProfileName, checkImportName, cliConfigHolder, cliSaveEffect, importCliProfile, saveToCliProfile, suggestCliProfileName } from '../../services/apiKeys/cliSharing';
import { describeKey, KeyService, revokeKeys, type KeyListing, type RevokeOutcome, type RotationOutcome } from '../../services/apiKeys/apiKeyService';
import type { NameTakenAnswer, NameTakenQuestion, SignInChoices } from '../../services/signInService';
import type { RotationStep } from '../../core/keyRotation';
import { folderHolding } from '../../services/workspacePaths';
import type { ApiKeyView } from '../../shared/webviewProtocol';
import { errorText } from '../../shared/errorText';
import type { Services } from '../../container';
import type { TerminalKeyInjector } from '../terminal';
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

export interface SaveToCliArgs {
  profileId?: string;
  /** The CLI profile to write; asked for when absent. */
  cliProfile?: string;
}

export interface ImportFromCliArgs {
  cliProfile: string;
  /** The new extension profile's name; default the CLI profile's name, asked for when taken. */
  profileName?: string;
}

/** An extension profile signed in to its server, or the credential in use whatever its source. */
type KeyTarget =
  | { kind: 'profile'; profile: ProfileMeta; serverUrl: string }
  | { kind: 'credential'; serverUrl: string };

/**
 * The key lifecycle in VS Code: confirmations, progress and notifications around KeyService and
 * the CLI sharing of src/services/apiKeys, the expiry warning, and what sign-in asks. A bundle of its own
 * (dist/keys.js), made on first use by `services.keyActions()` (src/extension.ts); what runs
 * before that, the terminal variable and the expiry check's timer, is in src/vscode/keyWatch.ts.
 */
export class KeyActions {
  readonly keys: KeyService;
  /** What sign-in asks the person (SignInService gets it through keyWatch.ts). */
  readonly choices: SignInChoices;
  private readonly warned = new Set<string>();
  private readonly checked = new ExpiryChecks();

  constructor(
    private readonly services: Services,
    readonly terminal: TerminalKeyInjector,
  ) {
    const retirement = this.retirement();
    this.keys = new KeyService({
      store: services.store,
      makeClient: services.makeClient,
      log: (line) => services.log.info(line),
      deviceName: services.signIn.deviceName,
      retirement,
    });
    this.choices = { retirement, nameTaken: (q) => askNameTaken(services, q), whichKey: (keys) => askWhichKey(keys) };
  }

  /**
   * Every place besides a profile that the extension knows may hold its key: the CLI config it
   * reads (and the one the coder CLI in a terminal reads, when that is another file), and the
   * terminal variable. Each is matched by value when a key is handed over.
   */
  private retirement(): KeyRetirement {
    const collection = this.services.context.environmentVariableCollection;
    const terminal: KeyHolder = {
      name: l10n.t('{0} of new terminals', CLI_API_KEY_ENV),
      replace: async (from, to) => {
        const value = collection.get(CLI_API_KEY_ENV)?.value;
        // The terminal variable follows the profile too, so it may have the new key already.
        if (value !== from && value !== to) return [];
        collection.replace(CLI_API_KEY_ENV, to);
        const open = vscode.window.terminals.length;
        return [open > 0 ? l10n.t('{0} of new terminals (the {1} open now keep the old key until reopened)', CLI_API_KEY_ENV, open) : l10n.t('{0} of new terminals', CLI_API_KEY_ENV)];
      },
    };
    return {
      holders: () => {
        const files = new Set<string>();
        const configured = this.services.credentials.current().cliConfig?.path;
        if (configured) files.add(configured);
        files.add(findCliConfigPath({ env: process.env, homedir: homedir() }).path);
        return [...[...files].map(cliConfigHolder), terminal];
      },
      confirmRevoke: (question) => confirmRevokeHeldKey(question),
    };
  }

  /** The extension profile in use, if the credential in use is one. */
  activeProfileId(): string | undefined {
    return this.services.credentials.credential?.source === 'profile' ? this.services.store.selectedId() : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Listing
  // -------------------------------------------------------------------------------------------

  /** The keys of a profile's user as views; learns the profile key's expiry and warns when it is near. */
  async list(profileId: string): Promise<ApiKeyView[]> {
    const listing = await this.listProfile(profileId);
    return toViews(listing.keys, listing.ownKeyId);
  }

  private async listProfile(profileId: string): Promise<KeyListing> {
    const active = profileId === this.activeProfileId();
    try {
      const listing = await this.keys.list(profileId);
      if (active) this.services.health.observe(undefined);
      this.warnIfExpiring(profileId, listing);
      return listing;
    } catch (e) {
      // A 403 here says this user may not manage keys (a viewer), not that the key is unusable.
      if (active && (e as { kind?: string }).kind !== 'forbidden') this.services.health.observe(e);
      throw e;
    }
  }

  /** `profoundCoder.manageApiKeys`: the Quick Pick of keys, or with arguments the same actions without it. */
  async manage(args: ManageArgs = {}, options: { confirmed?: boolean } = {}): Promise<ManageResult | undefined> {
    // A sign-in or switch just before this call may not have been resolved yet.
    await this.services.credentials.refresh();
    const target = this.target(args.profileId);
    if (!target) {
      if (!args.quiet) void vscode.window.showInformationMessage(l10n.t('Sign in to CoderFlow first: your keys are listed with the key you are signed in with.'));
      return undefined;
    }
    let listing: { keys: ApiKeyInfo[]; ownKeyId?: string };
    try {
      listing = await this.listTarget(target, args.quiet === true);
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
      const outcome = await this.revokeChosen(target, chosen, listing.ownKeyId, { confirmed: options.confirmed === true, stale: args.revokeStale === true });
      const after = outcome ? await this.listTarget(target, true).catch(() => undefined) : undefined;
      return result(after?.keys ?? listing.keys, outcome);
    }
    if (!args.quiet) this.showQuickPick(target, listing);
    return result(listing.keys);
  }

  private target(profileId: string | undefined): KeyTarget | undefined {
    const id = profileId ?? this.activeProfileId();
    if (id) {
      const profile = this.services.store.get(id);
      if (!profile) throw new AuthError('bad-input', l10n.t('That profile no longer exists.'));
      return { kind: 'profile', profile, serverUrl: profile.serverUrl };
    }
    const current = this.services.credentials.credential;
    return current ? { kind: 'credential', serverUrl: current.serverUrl } : undefined;
  }

  private async listTarget(target: KeyTarget, quiet: boolean): Promise<{ keys: ApiKeyInfo[]; ownKeyId?: string }> {
    const run = async () => {
      if (target.kind === 'profile') return this.listProfile(target.profile.id);
      const current = this.services.currentClient();
      if (!current) throw new AuthError('bad-input', l10n.t('Not signed in to CoderFlow.'));
      return { keys: await current.client.listKeys() };
    };
    if (quiet) return run();
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: l10n.t('CoderFlow: listing your API keys…') }, run);
  }

  private showQuickPick(target: KeyTarget, listing: { keys: ApiKeyInfo[]; ownKeyId?: string }): void {
    type Item = vscode.QuickPickItem & { key?: ApiKeyInfo; action?: 'rotate' | 'revokeStale' };
    const revokeButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: l10n.t('Revoke') };
    const pick = vscode.window.createQuickPick<Item>();
    pick.title = l10n.t('CoderFlow: API keys on {0}', target.serverUrl);
    pick.placeholder = l10n.t('Revoke a key with its trash button. Keys unused for 90 days or more are marked stale.');
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    let keys = listing.keys;
    const items = (): Item[] => {
      const now = Date.now();
      const stale = staleKeys(keys, listing.ownKeyId, now);
      const actions: Item[] = [];
      if (target.kind === 'profile') actions.push({ action: 'rotate', label: l10n.t('$(sync) Rotate key'), detail: l10n.t("Replace the key of '{0}' with a new one and revoke the old one.", target.profile.name) });
      if (stale.length > 0) actions.push({ action: 'revokeStale', label: l10n.t('$(trash) Revoke stale keys ({0})', stale.length), detail: stale.map((k) => k.name).join(', ') });
      const keyItems = keys.map((key): Item => {
        const view = toView(key, listing.ownKeyId, now);
        return {
          key,
          label: `${view.thisDevice ? '$(device-desktop) ' : ''}${key.name}`,
          description: [view.thisDevice ? l10n.t('this device') : undefined, view.stale ? l10n.t('stale') : undefined, expiryText(key.expiresAt, now)].filter(Boolean).join(' · '),
          detail: l10n.t('Created {0} · last used {1}', day(key.createdAt), key.lastUsedAt ? day(key.lastUsedAt) : l10n.t('never')),
          buttons: [revokeButton],
        };
      });
      return [...actions, ...(actions.length > 0 ? [{ label: l10n.t('Keys'), kind: vscode.QuickPickItemKind.Separator }] : []), ...keyItems];
    };
    pick.items = items();
    const revoke = async (chosen: ApiKeyInfo[], stale: boolean) => {
      const outcome = await this.revokeChosen(target, chosen, listing.ownKeyId, { confirmed: false, stale });
      if (!outcome) return;
      keys = keys.filter((k) => !outcome.revoked.some((r) => r.id === k.id));
      if (outcome.signedOut) pick.hide();
      else pick.items = items();
    };
    pick.onDidTriggerItemButton(({ item }) => {
      if (item.key) void revoke([item.key], false);
    });
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0];
      if (item?.action === 'rotate' && target.kind === 'profile') {
        pick.hide();
        void this.rotate(target.profile.id);
      } else if (item?.action === 'revokeStale') {
        void revoke(staleKeys(keys, listing.ownKeyId, Date.now()), true);
      } else if (item?.key) {
        void revoke([item.key], false);
      }
    });
    pick.onDidHide(() => pick.dispose());
    pick.show();
  }

  // -------------------------------------------------------------------------------------------
  // Revoking
  // -------------------------------------------------------------------------------------------

  private async revokeChosen(
    target: KeyTarget,
    chosen: ApiKeyInfo[],
    ownKeyId: string | undefined,
    options: { confirmed: boolean; stale: boolean },
  ): Promise<RevokeOutcome | undefined> {
    if (chosen.length === 0) return { revoked: [], failed: [], signedOut: false };
    if (!options.confirmed && !(await this.confirmRevoke(target, chosen, ownKeyId, options.stale))) return undefined;
    let outcome: RevokeOutcome;
    if (target.kind === 'profile') {
      outcome = await this.keys.revoke(target.profile.id, chosen);
    } else {
      const current = this.services.currentClient();
      if (!current) throw new AuthError('bad-input', l10n.t('Not signed in to CoderFlow.'));
      outcome = await revokeKeys(current.client, chosen, undefined, (line) => this.services.log.info(line));
    }
    if (outcome.signedOut) await this.services.credentials.refresh();
    if (outcome.failed.length > 0) {
      void vscode.window.showErrorMessage(l10n.t('CoderFlow: {0}', revokeFailureText(outcome)));
    } else if (outcome.signedOut && target.kind === 'profile') {
      void vscode.window.showInformationMessage(l10n.t("CoderFlow: the key of '{0}' is revoked, so the profile is signed out.", target.profile.name));
    }
    return outcome;
  }

  private async confirmRevoke(target: KeyTarget, chosen: ApiKeyInfo[], ownKeyId: string | undefined, stale: boolean): Promise<boolean> {
    const own = chosen.some((k) => k.id === ownKeyId);
    const button = stale ? l10n.t('Revoke Stale Keys') : l10n.t('Revoke');
    const first = chosen[0];
    const message =
      chosen.length === 1 && first
        ? stale
          ? l10n.t('Revoke the API key "{0}", unused for {1} days or more?', first.name, STALE_AFTER_DAYS)
          : l10n.t('Revoke the API key "{0}"?', first.name)
        : stale
          ? l10n.t('Revoke {0} API keys unused for {1} days or more?', chosen.length, STALE_AFTER_DAYS)
          : l10n.t('Revoke {0} API keys?', chosen.length);
    const names = chosen.length > 1 ? `${chosen.map((k) => `"${k.name}"`).join(', ')}. ` : '';
    const detail = own && target.kind === 'profile'
      ? l10n.t("{0}It is the key profile '{1}' is signed in with: the profile will be signed out.", names, target.profile.name)
      : chosen.length === 1
        ? l10n.t('{0}Anything that uses it (the CLI, scripts, other devices) stops working at once.', names)
        : l10n.t('{0}Anything that uses them (the CLI, scripts, other devices) stops working at once.', names);
    const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, button);
    return choice === button;
  }

  // -------------------------------------------------------------------------------------------
  // Rotating
  // -------------------------------------------------------------------------------------------

  /**
   * `profoundCoder.rotateApiKey`: rotates with a progress notification and tells the outcome.
   * Resolves undefined when there is no signed-in profile to rotate.
   */
  async rotate(profileId?: string, options: { quiet?: boolean } = {}): Promise<RotationOutcome | undefined> {
    if (profileId === undefined) await this.services.credentials.refresh();
    const profile = profileId !== undefined ? this.services.store.get(profileId) : this.services.store.selected();
    if (!profile || !profile.keyHint) {
      if (!options.quiet) void vscode.window.showInformationMessage(l10n.t('Rotate works on a signed-in Profile Manager profile. Sign in first.'));
      return undefined;
    }
    // The docs' four steps, each shown; Cancel works until the old key's deletion starts.
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: l10n.t("CoderFlow: rotating the key of '{0}'", profile.name), cancellable: true },
      (progress, token) => {
        const cancel = new AbortController();
        const subscription = token.onCancellationRequested(() => cancel.abort());
        return this.keys
          .rotate(profile.id, { signal: cancel.signal, onStep: (step) => progress.report({ message: ROTATION_STEPS[step] }) })
          .finally(() => {
            subscription.dispose();
          });
      },
    );
    await this.services.credentials.refresh();
    if (!options.quiet) {
      const message = l10n.t('CoderFlow: {0}', outcome.message);
      if (!outcome.rotated) void vscode.window.showErrorMessage(message);
      else if (!outcome.oldKeyRevoked) void vscode.window.showWarningMessage(message);
      else void vscode.window.showInformationMessage(message);
    }
    return outcome;
  }

  // -------------------------------------------------------------------------------------------
  // Expiry
  // -------------------------------------------------------------------------------------------

  /**
   * Reads the key list of the profile in use to learn when its key `keyId` expires, and warns when
   * that is near; at most once a day per profile and key (keyWatch.ts says when to look).
   */
  async checkExpiry(profile: ProfileMeta, keyId: string): Promise<void> {
    if (!this.checked.claim(profile.id, keyId, Date.now())) return;
    try {
      await this.listProfile(profile.id);
    } catch (e) {
      this.services.log.debug(`Could not read the key list to learn when the key of '${profile.name}' expires: ${toAuthError(e).message}`);
    }
  }

  private warnIfExpiring(profileId: string, listing: KeyListing): void {
    const own = listing.keys.find((k) => k.id === listing.ownKeyId);
    const expiresAt = own?.expiresAt;
    const profile = this.services.store.get(profileId);
    if (!own || !expiresAt || !profile || !expiryWarningDue(expiresAt, Date.now())) return;
    const expired = Date.parse(expiresAt) <= Date.now();
    // Once per key and expiry, and once more when it has expired.
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
      .showWarningMessage(l10n.t("CoderFlow: the API key of profile '{0}' {1} ({2}). Rotate it now so nothing stops working.", profile.name, when, day(expiresAt)), rotate)
      .then((choice) => (choice === rotate ? this.rotate(profileId) : undefined));
  }

  // -------------------------------------------------------------------------------------------
  // The CLI
  // -------------------------------------------------------------------------------------------

  private cliConfigPath(): string {
    const path = this.services.credentials.current().cliConfig?.path;
    if (!path) throw new AuthError('bad-input', l10n.t('The CoderFlow CLI config has not been located yet. Try again in a moment.'));
    return path;
  }

  /**
   * "Save to CLI profile": the profile's server and key into a CLI profile, asked for (default the
   * profile's name). A CLI profile holding another key is replaced only when the person agrees.
   * Resolves with what was done, or undefined when the person stopped.
   */
  async saveToCli(args: SaveToCliArgs = {}, options: { replace?: boolean } = {}): Promise<{ file: string; cliProfile: string; message: string } | undefined> {
    if (args.profileId === undefined) await this.services.credentials.refresh();
    const profile = args.profileId !== undefined ? this.services.store.get(args.profileId) : this.services.store.selected();
    const apiKey = profile ? await this.services.store.getKey(profile.id) : undefined;
    if (!profile || !apiKey) throw new AuthError('bad-input', l10n.t('Save to CLI profile works on a signed-in Profile Manager profile.'));
    const file = this.cliConfigPath();
    const folder = folderHolding(file, (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
    if (folder) {
      throw new AuthError('bad-input', l10n.t('CoderFlow does not save a key into {0}: it is inside the workspace folder {1}, where the repository and its code can reach it.', file, folder), {
        fix: l10n.t('Point profoundCoder.cliConfigPath in your User settings (or CODERFLOW_CONFIG) at a file outside the workspace.'),
      });
    }
    // A file that does not parse is refused before any question: nothing would be written anyway.
    const state = await readCliConfig(file);
    if (state.state === 'error') throw state.error;
    const config = state.state === 'ok' ? state.config : undefined;

    let cliProfile = args.cliProfile;
    if (cliProfile === undefined) {
      cliProfile = await vscode.window.showInputBox({
        title: l10n.t("CoderFlow: Save '{0}' to a CLI profile", profile.name),
        prompt: l10n.t('The CoderFlow CLI profile in {0} to write the server and key to. Use it with coder --profile=<name>.', file),
        value: suggestCliProfileName(profile.name),
        ignoreFocusOut: true,
        validateInput: (value) => {
          const checked = checkCliProfileName(value);
          return checked.ok ? undefined : checked.message;
        },
      });
      if (cliProfile === undefined) return undefined;
    }
    const checked = checkCliProfileName(cliProfile);
    if (!checked.ok) throw new AuthError('bad-input', checked.message);
    const name = checked.name;
    const effect = cliSaveEffect(config, name, { serverUrl: profile.serverUrl, apiKey });
    if (effect.kind === 'replaces' && !options.replace) {
      const replace = l10n.t('Replace');
      const choice = await vscode.window.showWarningMessage(
        effect.server
          ? l10n.t("The CLI profile '{0}' exists already ({1}). Replace its server and key?", name, effect.server)
          : l10n.t("The CLI profile '{0}' exists already. Replace its server and key?", name),
        { modal: true, detail: effect.hasKey ? l10n.t('Its current key is not kept anywhere by CoderFlow: if nothing else holds it, it can no longer be used (it stays live on the server until revoked).') : undefined },
        replace,
      );
      if (choice !== replace) return undefined;
    }
    await saveToCliProfile(file, name, { serverUrl: profile.serverUrl, apiKey });
    this.services.log.info(`Saved the server and key of profile '${profile.name}' to CLI profile '${name}' in ${file}.`);
    await this.services.credentials.refresh({ rereadCli: true });
    // Before answering: the terminal variable follows the CLI profile just written.
    await this.terminal.update();
    const active = config?.activeProfile === name;
    return {
      file,
      cliProfile: name,
      message: active
        ? l10n.t("Saved to CLI profile '{0}' in {1}.", name, file)
        : l10n.t("Saved to CLI profile '{0}' in {1}. Use it with coder --profile={0} or coder profile switch {0}.", name, file),
    };
  }

  /**
   * "Import from CLI": a CLI profile with a key becomes an extension profile once `GET /auth/me`
   * confirmed the key. The name is asked for only when another profile has the CLI profile's.
   * Resolves undefined when the person stopped.
   */
  async importFromCli(args: ImportFromCliArgs): Promise<ProfileMeta | undefined> {
    const { cliProfile } = args;
    const file = this.cliConfigPath();
    let name = args.profileName ?? cliProfile;
    if (args.profileName === undefined && checkImportName(this.services.store, name) !== undefined) {
      const asked = await vscode.window.showInputBox({
        title: l10n.t("CoderFlow: Import CLI profile '{0}'", cliProfile),
        prompt: l10n.t('A name for the new Profile Manager profile'),
        value: `${cliProfile} (CLI)`,
        ignoreFocusOut: true,
        validateInput: (value) => checkImportName(this.services.store, value),
      });
      if (asked === undefined) return undefined;
      name = asked;
    }
    const profile = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: l10n.t("CoderFlow: checking the key of CLI profile '{0}'…", cliProfile) },
      () => importCliProfile({ store: this.services.store, signIn: this.services.signIn }, file, cliProfile, name),
    );
    await this.services.credentials.refresh();
    return profile;
  }
}

// Getters: each text is looked up in the l10n bundle when used, after activation loaded it.
const ROTATION_STEPS: Record<RotationStep, string> = {
  get create() {
    return l10n.t('1 of 4: creating a new key…');
  },
  get update() {
    return l10n.t('2 of 4: switching every place that uses the old key…');
  },
  get test() {
    return l10n.t('3 of 4: testing the new key…');
  },
  get delete() {
    return l10n.t('4 of 4: revoking the old key (no longer cancellable)…');
  },
};

/**
 * Asked before revoking a key that a holder could not be moved off: the holders are named, and
 * keeping the old key is a choice (closing the dialog keeps it too).
 */
async function confirmRevokeHeldKey(question: RevokeQuestion): Promise<boolean> {
  const revoke = l10n.t('Revoke Old Key');
  const keep = l10n.t('Keep Old Key');
  const names = listPlaces(question.stuck.map((h) => h.name));
  const choice = await vscode.window.showWarningMessage(
    l10n.t("{0} could not be updated to the new key of '{1}' and may still use the old key {2}. Revoke the old key anyway?", names, question.profileName, question.keyName),
    { modal: true, detail: `${question.stuck.map((h) => `${h.name}: ${h.reason}`).join('\n')}\n\n${l10n.t('Revoking stops whatever still uses it at once. Keeping it leaves it live until you revoke it under API keys.')}` },
    revoke,
    keep,
  );
  return choice === revoke;
}

/** A sign-in under the name of another server's or user's profile: replace it, or another name. */
async function askNameTaken(services: Services, question: NameTakenQuestion): Promise<NameTakenAnswer | undefined> {
  const { existing } = question;
  const revokable = existing.keyId !== undefined && existing.keyHint !== undefined;
  const replaceRevoke = l10n.t('Replace and Revoke Its Key');
  const replaceKeep = existing.keyHint ? l10n.t('Replace, Keep Its Key') : l10n.t('Replace');
  const rename = l10n.t('Use Another Name');
  const choice = await vscode.window.showWarningMessage(
    l10n.t("A profile named '{0}' exists already for {1} on {2}. Replace it with {3} on {4}?", question.name, existing.username ?? l10n.t('another user'), existing.serverUrl, question.username, question.serverUrl),
    {
      modal: true,
      detail: existing.keyHint
        ? revokable
          ? l10n.t('Its key {0} is revoked, or kept live if other programs use it.', describeKey(existing))
          : l10n.t('Its key {0} stays live: CoderFlow does not know which of your keys it is. Revoke it on its server if nothing uses it.', describeKey(existing))
        : undefined,
    },
    ...(revokable ? [replaceRevoke] : []),
    replaceKeep,
    rename,
  );
  if (choice === replaceRevoke) return { replace: true, revokeOldKey: true };
  if (choice === replaceKeep) return { replace: true, revokeOldKey: false };
  if (choice !== rename) return undefined;
  const name = await vscode.window.showInputBox({
    title: l10n.t('CoderFlow: a name for the new profile'),
    value: `${question.username}@${hostOf(question.serverUrl)}`,
    ignoreFocusOut: true,
    validateInput: (value) => {
      const trimmed = value.trim();
      if (trimmed === '') return l10n.t('Enter a name.');
      const taken = services.store.findByName(trimmed);
      return taken ? l10n.t("A profile named '{0}' exists already.", trimmed) : undefined;
    },
  });
  return name === undefined ? undefined : { rename: name };
}

/** Several of the person's keys were used just now: which one did they paste? Asked once. */
async function askWhichKey(keys: ApiKeyInfo[]): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { id?: string };
  const items: Item[] = [
    ...keys.map((key): Item => ({ id: key.id, label: key.name, detail: l10n.t('Created {0} · last used {1}', day(key.createdAt), key.lastUsedAt ? new Date(key.lastUsedAt).toLocaleString() : l10n.t('never')) })),
    { label: l10n.t('None of these / not sure'), detail: l10n.t('The profile works without knowing; expiry, rotation and revoking its key then need you.') },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: l10n.t('CoderFlow: which of your keys did you paste?'),
    placeHolder: l10n.t('Several of your keys were used just now. Knowing which one lets CoderFlow show its expiry and rotate or revoke it.'),
    ignoreFocusOut: true,
  });
  return picked?.id;
}

function hostOf(serverUrl: string): string {
  try {
    return new URL(serverUrl).host;
  } catch {
    return serverUrl;
  }
}

function toView(key: ApiKeyInfo, ownKeyId: string | undefined, now: number): ApiKeyView {
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

export function revokeFailureText(outcome: RevokeOutcome): string {
  const failed = outcome.failed.map((k) => `"${k.name}" (${k.message})`).join('; ');
  const done = outcome.revoked.length > 0 ? ` ${l10n.t('Revoked: {0}.', outcome.revoked.map((k) => `"${k.name}"`).join(', '))}` : '';
  const notRevoked = outcome.failed.length === 1 ? l10n.t('This key was not revoked and is still live: {0}.', failed) : l10n.t('These keys were not revoked and are still live: {0}.', failed);
  return `${notRevoked}${done}`;
}

function day(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : localDay(date);
}
