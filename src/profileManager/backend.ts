import vscode = require('vscode');
import { listCliProfiles, type CliConfigState } from '../core/cliConfig/cliConfigRead';
import { normalizeServerUrl } from '../core/http/serverUrl';
import { cliConfigServer, type CredentialSource } from '../core/credentialChain';
import { maskedKeyFromHint } from '../profiles/profile';
import type { ApiKeyView, CredentialSourceView, ProbeResultView, ProfileStatus, ProfileView } from '../shared/webviewProtocol';
import { connectionTests } from '../vscode/connectionTestBundle';
import type { ConnectionTarget } from '../vscode/connectionTest';
import type { KeyActions } from '../vscode/keyManagement/keyActions';
import { revokeFailureText } from '../vscode/keyManagement/keyRevocation';
import { revokeProfileKey } from '../vscode/profileKeyRevocation';
import { signOut } from '../vscode/signOut';
import type { KeyOperationOutcome, ProfileManagerBackend, ProfileManagerState, SignInOutcome, SsoCode } from './backendContract';
import type { Services } from '../container';
import { defaultServerUrl, readSettings } from '../vscode/settings';
import * as l10n from '@vscode/l10n';

const CLI_ID_PREFIX = 'cli:';

function sourceKind(source: CredentialSource): CredentialSourceView['source'] {
  return source === 'cli-base' ? 'cli-profile' : source;
}

/** The Profile Manager's operations on the real profile store, credential chain and sign-in flows. */
export class ProfileManagerBackendImpl implements ProfileManagerBackend {
  readonly onDidChange: vscode.Event<void>;
  private readonly keys: KeyActions;

  constructor(private readonly services: Services) {
    this.keys = services.keyActions();
    const emitter = new vscode.EventEmitter<void>();
    services.context.subscriptions.push(
      emitter,
      services.store.onDidChange(() => emitter.fire()),
      services.credentials.onDidChangeCredential(() => emitter.fire()),
      services.health.onDidChange(() => emitter.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => emitter.fire()),
    );
    this.onDidChange = emitter.event;
  }

  async getState(): Promise<ProfileManagerState> {
    const { store, credentials } = this.services;
    const state = credentials.current();
    const credential = state.credential;
    const selected = store.selectedId();
    const listed = store.list();
    // The list is shared by every window, the keys not always (VS Code for the Web keeps them per
    // tab): a profile counts as signed in here only when this window holds its key.
    const held = await Promise.all(listed.map((p) => store.getKey(p.id).then(Boolean, () => false)));
    const profiles: ProfileView[] = listed.map((p, index) => {
      const active = credential?.source === 'profile' && p.id === selected;
      const signedIn = held[index] === true;
      return {
        id: p.id,
        name: p.name,
        serverUrl: p.serverUrl,
        ...(p.username ? { user: p.displayName ? `${p.displayName} (${p.username})` : p.username } : {}),
        method: p.method,
        source: 'extension',
        active,
        ...(active ? { activeSource: 'profile' as const } : {}),
        ...(signedIn && p.keyHint ? { maskedKey: maskedKeyFromHint(p.keyHint) } : {}),
        ...(p.keyId ? { keyId: p.keyId } : {}),
        ...(p.lastVerifiedAt ? { lastVerifiedAt: p.lastVerifiedAt } : {}),
        ...(p.expiresAt && signedIn ? { keyExpiresAt: p.expiresAt } : {}),
        ...statusField(!signedIn ? 'signedOut' : active ? this.activeStatus() : undefined),
      };
    });
    if (state.cliState?.state === 'ok') {
      const config = state.cliState.config;
      // The profile the chain read the CLI config through: the setting's, else the file's active one.
      const activeCliName = credential?.source === 'cli-profile' || credential?.source === 'cli-env' ? (readSettings().cliProfile ?? config.activeProfile) : undefined;
      for (const cli of listCliProfiles(config)) {
        const active = activeCliName === cli.name;
        profiles.push({
          id: CLI_ID_PREFIX + cli.name,
          name: cli.name,
          serverUrl: cli.server ?? config.server ?? l10n.t('(no server)'),
          method: 'unknown',
          source: 'cli',
          active,
          ...(active && credential ? { activeSource: sourceKind(credential.source) } : {}),
          ...statusField(cli.hasKey || config.apiKey ? (active ? this.activeStatus() : undefined) : 'signedOut'),
        });
      }
    }
    const activeId = profiles.find((p) => p.active)?.id;
    const suggestedServerUrl = suggestServerUrl(state.cliState);
    return {
      profiles,
      ...(activeId ? { activeId } : {}),
      ...(suggestedServerUrl ? { suggestedServerUrl } : {}),
      ...(credential ? { credentialSource: { source: sourceKind(credential.source), detail: credential.detail.slice(0, 500), serverUrl: credential.serverUrl } } : {}),
      untrustedWorkspace: !vscode.workspace.isTrusted,
    };
  }

  async probeServer(serverUrl: string): Promise<ProbeResultView> {
    const probe = await this.services.signIn.probe(serverUrl);
    return {
      serverUrl,
      reachable: probe.reachable,
      ssoEnabled: probe.ssoEnabled,
      passwordLoginEnabled: probe.passwordLoginEnabled,
      ...(probe.providerName ? { providerName: probe.providerName } : {}),
      ...(probe.error ? { error: { message: probe.error.message, ...(probe.error.fix ? { fix: probe.error.fix } : {}) } } : {}),
    };
  }

  async signInWithPassword(input: { profileName: string; serverUrl: string; username: string; password: string }, signal?: AbortSignal) {
    const profile = await this.services.signIn.password({ profileName: input.profileName, serverUrl: input.serverUrl }, input.username, input.password, signal);
    return { profileId: profile.id };
  }

  async signInWithSso(input: { profileName: string; serverUrl: string }, onCode: (code: SsoCode) => void, signal: AbortSignal) {
    const profile = await this.services.signIn.sso(
      { profileName: input.profileName, serverUrl: input.serverUrl },
      (prompt) =>
        onCode({
          userCode: prompt.userCode,
          verificationUri: prompt.verificationUri,
          ...(prompt.verificationUriComplete ? { verificationUriComplete: prompt.verificationUriComplete } : {}),
          browserUri: prompt.browserUri,
          browserHost: prompt.browserHost,
          expiresAt: prompt.expiresAt,
        }),
      signal,
    );
    return { profileId: profile.id };
  }

  async saveApiKey(input: { profileName: string; serverUrl: string; apiKey: string }, signal?: AbortSignal) {
    const profile = await this.services.signIn.apiKey({ profileName: input.profileName, serverUrl: input.serverUrl }, input.apiKey, signal);
    return { profileId: profile.id };
  }

  async useProfile(id: string): Promise<void> {
    if (id.startsWith(CLI_ID_PREFIX)) {
      // A CLI profile is used through the chain: no extension profile chosen, this CLI profile named.
      await vscode.workspace.getConfiguration('profoundCoder').update('cliProfile', id.slice(CLI_ID_PREFIX.length), vscode.ConfigurationTarget.Global);
      await this.services.store.select(undefined);
    } else {
      if (!this.services.store.get(id)) throw new Error(l10n.t('That profile no longer exists.'));
      await this.services.store.select(id);
    }
    await this.services.credentials.refresh();
  }

  async testConnection(id: string) {
    const report = await connectionTests().checkConnection(this.services, id.startsWith(CLI_ID_PREFIX) ? await this.cliTarget(id.slice(CLI_ID_PREFIX.length)) : { kind: 'profile', profileId: id });
    const diagnostic = report.view ? { diagnostic: report.view, ...(report.report ? { report: report.report } : {}) } : {};
    if (report.ok && report.user) {
      return { ok: true, status: 'verified' as const, message: l10n.t('Connected as {0}.', report.user.username), user: report.user.username, ...diagnostic };
    }
    const kind = report.error?.kind;
    const status: ProfileStatus = kind === 'signed-out' ? 'signedOut' : kind === 'invalid-api-key' ? 'invalidKey' : kind === 'forbidden' ? 'forbidden' : 'unreachable';
    return { ok: false, status, message: report.error?.message ?? l10n.t('The connection failed.'), ...(report.error?.fix ? { fix: report.error.fix } : {}), ...diagnostic };
  }

  async testServer(serverUrl: string) {
    const report = await connectionTests().checkConnection(this.services, { kind: 'server', serverUrl: normalizeServerUrl(serverUrl) });
    if (!report.view || !report.report) throw new Error(l10n.t('The connection test did not run.'));
    return { diagnostic: report.view, report: report.report };
  }

  signOut(id: string): Promise<boolean> {
    if (id.startsWith(CLI_ID_PREFIX)) throw new Error(l10n.t('Sign out of a CLI profile with the CLI (`coder profile set apiKey ""`).'));
    return signOut(this.services, id);
  }

  async removeProfile(id: string): Promise<boolean> {
    if (id.startsWith(CLI_ID_PREFIX)) throw new Error(l10n.t('CLI profiles are removed with the CoderFlow CLI.'));
    const profile = this.services.store.get(id);
    if (!profile) return false;
    const revoke = l10n.t('Remove and Revoke Key');
    const keep = l10n.t('Remove, Keep Key on Server');
    // Whether this window holds the key, not whether the profile's entry names one: a window whose
    // secure storage lacks it (VS Code for the Web keeps it per tab) can neither delete nor revoke it.
    const hasKey = (await this.services.store.getKey(id).catch(() => undefined)) !== undefined;
    const choice = await vscode.window.showWarningMessage(
      l10n.t("Remove the CoderFlow profile '{0}'?", profile.name),
      { modal: true, detail: hasKey ? l10n.t('Its key is deleted from this machine.') : l10n.t('It is signed out already.') },
      ...(hasKey ? (profile.createdByExtension ? [revoke, keep] : [keep, revoke]) : [l10n.t('Remove')]),
    );
    if (!choice) return false;
    if (choice === revoke) await revokeProfileKey(this.services, profile);
    await this.services.store.remove(id);
    await this.services.credentials.refresh();
    return true;
  }

  async listKeys(profileId: string): Promise<ApiKeyView[]> {
    const keys = await this.keys.list(extensionProfileId(profileId));
    this.services.contextKeys.set('keyListShown', true);
    return keys;
  }

  async revokeKey(profileId: string, keyId: string): Promise<KeyOperationOutcome | false> {
    const outcome = (await this.keys.manage({ profileId: extensionProfileId(profileId), revoke: [keyId], quiet: true }))?.revoke;
    if (!outcome) return false;
    if (outcome.failed.length > 0) throw new Error(revokeFailureText(outcome));
    const name = outcome.revoked[0]?.name ?? l10n.t('the key');
    return { message: outcome.signedOut ? l10n.t('Revoked "{0}". It was this profile’s own key: the profile is signed out.', name) : l10n.t('Revoked "{0}".', name) };
  }

  async revokeStaleKeys(profileId: string): Promise<KeyOperationOutcome | false> {
    const outcome = (await this.keys.manage({ profileId: extensionProfileId(profileId), revokeStale: true, quiet: true }))?.revoke;
    if (!outcome) return false;
    if (outcome.failed.length > 0) throw new Error(revokeFailureText(outcome));
    const count = outcome.revoked.length;
    if (count === 0) throw new Error(l10n.t('No key has gone unused for 90 days or more.'));
    return { message: count === 1 ? l10n.t('Revoked 1 stale key.') : l10n.t('Revoked {0} stale keys.', count) };
  }

  async rotateKey(profileId: string): Promise<KeyOperationOutcome | false> {
    const outcome = await this.keys.rotate(extensionProfileId(profileId), { quiet: true });
    if (!outcome) throw new Error(l10n.t('This profile is signed out: sign in again, then rotate its key.'));
    if (outcome.cancelled) return false;
    // An old key kept live because the person chose so (a holder still uses it) is not a failure.
    if (!outcome.rotated || (!outcome.oldKeyRevoked && !outcome.keptOnPurpose)) throw new Error(outcome.message);
    return { message: outcome.message };
  }

  async saveToCli(profileId: string): Promise<KeyOperationOutcome | false> {
    const saved = await this.keys.saveToCli({ profileId: extensionProfileId(profileId) });
    return saved ? { message: saved.message } : false;
  }

  async importFromCli(id: string): Promise<(SignInOutcome & KeyOperationOutcome) | false> {
    if (!id.startsWith(CLI_ID_PREFIX)) throw new Error(l10n.t('Only a CLI profile can be imported.'));
    const cliProfile = id.slice(CLI_ID_PREFIX.length);
    const profile = await this.keys.importFromCli({ cliProfile });
    if (!profile) return false;
    return { profileId: profile.id, message: l10n.t("Imported CLI profile '{0}' as '{1}', signed in as {2}.", cliProfile, profile.name, profile.username ?? l10n.t('unknown')) };
  }

  /**
   * A CLI profile's server and key as the CLI takes them (§6 of the protocol: the profile's own,
   * else the base ones), read from the file as it is now.
   */
  private async cliTarget(name: string): Promise<ConnectionTarget> {
    const cli = (await this.services.credentials.refresh()).cliState;
    if (cli?.state !== 'ok') throw new Error(l10n.t('The CoderFlow CLI configuration could not be read.'));
    const profiles = cli.config.profiles ?? {};
    const profile = Object.prototype.hasOwnProperty.call(profiles, name) ? profiles[name] : undefined;
    if (!profile) throw new Error(l10n.t("There is no CLI profile '{0}' any more.", name));
    const serverUrl = profile.server?.trim() || cli.config.server?.trim();
    if (!serverUrl) throw new Error(l10n.t("Neither the CLI profile '{0}' nor the base of the CLI configuration names a server.", name));
    const apiKey = profile.apiKey?.trim() || cli.config.apiKey?.trim();
    return { kind: 'server', serverUrl: normalizeServerUrl(serverUrl), ...(apiKey ? { apiKey } : { noKeyReason: l10n.t("The CLI profile '{0}' has no API key (coder login --profile={1}).", name, name) }) };
  }

  /** What the server last said about the key in use; nothing until something was checked. */
  private activeStatus(): ProfileView['status'] {
    switch (this.services.health.current) {
      case 'ok':
        return 'verified';
      case 'invalid-api-key':
        return 'invalidKey';
      case 'forbidden':
        return 'forbidden';
      case 'unreachable':
        return 'unreachable';
      case 'unknown':
        return undefined;
    }
  }
}

/**
 * The server a new profile is most likely for: profoundCoder.serverUrl (the workspace's unless it
 * is untrusted, then the user's), else the server the CoderFlow CLI config points at. Only a
 * usable URL, so the page can check it at once.
 */
function suggestServerUrl(cli: CliConfigState | undefined): string | undefined {
  for (const candidate of [defaultServerUrl(), cliConfigServer(cli, readSettings().cliProfile)]) {
    if (candidate === undefined) continue;
    try {
      return normalizeServerUrl(candidate);
    } catch {
      // An unusable value is not offered: the person types the address.
    }
  }
  return undefined;
}

function statusField(status: ProfileView['status']): Pick<ProfileView, 'status'> {
  return status ? { status } : {};
}

function extensionProfileId(id: string): string {
  if (id.startsWith(CLI_ID_PREFIX)) throw new Error(l10n.t('The keys of a CLI profile are managed with the CoderFlow CLI.'));
  return id;
}
