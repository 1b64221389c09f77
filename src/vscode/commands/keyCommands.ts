import * as vscode from 'vscode';
import type { ImportFromCliArgs, ManageArgs, SaveToCliArgs } from '../keyManagement/keyActions';
import { watchKeys } from '../keyWatch';
import type { Services } from '../../container';

/**
 * The key lifecycle's commands. `manageApiKeys` and `rotateApiKey` are in the palette; saving to
 * and importing from the CLI are buttons of the Profile Manager, registered as commands too so
 * that keybindings, other extensions and tests can run them with arguments instead of prompts.
 * Registering them also starts what runs on its own (keyWatch.ts): sign-in's questions and the
 * expiry warning's timer. The actions load on the first command (services.keyActions()).
 */
export function registerKeyCommands(services: Services): vscode.Disposable[] {
  const actions = () => services.keyActions();
  return [
    watchKeys(services),
    // Only the fields of the argument types are passed on: no argument skips a confirmation.
    vscode.commands.registerCommand('profoundCoder.manageApiKeys', (args?: ManageArgs) =>
      actions().manage(args && { profileId: args.profileId, quiet: args.quiet, revoke: args.revoke, revokeStale: args.revokeStale }),
    ),
    vscode.commands.registerCommand('profoundCoder.rotateApiKey', (args?: { profileId?: string; quiet?: boolean }) =>
      actions().rotate(args?.profileId, { quiet: args?.quiet === true }),
    ),
    vscode.commands.registerCommand('profoundCoder.saveToCliProfile', (args?: SaveToCliArgs) =>
      actions().saveToCli(args && { profileId: args.profileId, cliProfile: args.cliProfile }),
    ),
    vscode.commands.registerCommand('profoundCoder.importFromCli', (args: ImportFromCliArgs) => actions().importFromCli(args)),
  ];
}
