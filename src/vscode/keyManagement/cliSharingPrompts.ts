// Sharing a profile with the CoderFlow CLI: "Save to CLI profile" and "Import from CLI", with their questions.
import vscode = require('vscode');
import { readCliConfig } from '../../core/cliConfig/cliConfigRead';
import { AuthError } from '../../core/errors';
import type { ProfileMeta } from '../../profiles/profile';
import { checkCliProfileName, checkImportName, cliSaveEffect, importCliProfile, saveToCliProfile, suggestCliProfileName } from '../../services/apiKeys/cliSharing';
import { folderHolding } from '../../services/workspacePaths';
import type { Services } from '../../container';
import type { TerminalKeyInjector } from '../terminal';
import * as l10n from '@vscode/l10n';

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

function cliConfigPath(services: Pick<Services, 'credentials' | 'log' | 'signIn' | 'store'>): string {
  const path = services.credentials.current().cliConfig?.path;
  if (!path) throw new AuthError('bad-input', l10n.t('The CoderFlow CLI config has not been located yet. Try again in a moment.'));
  return path;
}

/**
 * "Save to CLI profile": the profile's server and key into a CLI profile, asked for (default the
 * profile's name). A CLI profile holding another key is replaced only when the person agrees.
 * Resolves with what was done, or undefined when the person stopped.
 */
export async function saveToCli(
  services: Pick<Services, 'credentials' | 'log' | 'signIn' | 'store'>,
  terminal: TerminalKeyInjector,
  args: SaveToCliArgs = {},
  options: { replace?: boolean } = {},
): Promise<{ file: string; cliProfile: string; message: string } | undefined> {
  if (args.profileId === undefined) await services.credentials.refresh();
  const profile = args.profileId !== undefined ? services.store.get(args.profileId) : services.store.selected();
  const apiKey = profile ? await services.store.getKey(profile.id) : undefined;
  if (!profile || !apiKey) throw new AuthError('bad-input', l10n.t('Save to CLI profile works on a signed-in Profile Manager profile.'));
  const file = cliConfigPath(services);
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
  services.log.info(`Saved the server and key of profile '${profile.name}' to CLI profile '${name}' in ${file}.`);
  await services.credentials.refresh({ rereadCli: true });
  // Before answering: the terminal variable follows the CLI profile just written.
  await terminal.update();
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
export async function importFromCli(services: Pick<Services, 'credentials' | 'log' | 'signIn' | 'store'>, args: ImportFromCliArgs): Promise<ProfileMeta | undefined> {
  const { cliProfile } = args;
  const file = cliConfigPath(services);
  let name = args.profileName ?? cliProfile;
  if (args.profileName === undefined && checkImportName(services.store, name) !== undefined) {
    const asked = await vscode.window.showInputBox({
      title: l10n.t("CoderFlow: Import CLI profile '{0}'", cliProfile),
      prompt: l10n.t('A name for the new Profile Manager profile'),
      value: `${cliProfile} (CLI)`,
      ignoreFocusOut: true,
      validateInput: (value) => checkImportName(services.store, value),
    });
    if (asked === undefined) return undefined;
    name = asked;
  }
  const profile = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: l10n.t("CoderFlow: checking the key of CLI profile '{0}'…", cliProfile) },
    () => importCliProfile({ store: services.store, signIn: services.signIn }, file, cliProfile, name),
  );
  await services.credentials.refresh();
  return profile;
}
