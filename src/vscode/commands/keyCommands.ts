// The key lifecycle's commands: manage and rotate keys, save to and import from the CLI.
import type { Services } from '../../container';
import type { ManageArgs } from '../keyManagement/keyActions';
import type { ImportFromCliArgs, SaveToCliArgs } from '../keyManagement/cliSharingPrompts';
import type { CommandHandlers } from './commandIds';

/**
 * `manageApiKeys` and `rotateApiKey` are in the palette; saving to and importing from the CLI are
 * buttons of the Profile Manager, commands too so that keybindings, other extensions and tests can
 * run them with arguments instead of prompts. The actions load on the first command (services.keyActions()).
 */
export function keyCommands(services: Services) {
  const actions = () => services.keyActions();
  return {
    // Only the fields of the argument types are passed on: no argument skips a confirmation.
    'profoundCoder.manageApiKeys': (args?: ManageArgs) => actions().manage(args && { profileId: args.profileId, quiet: args.quiet, revoke: args.revoke, revokeStale: args.revokeStale }),
    'profoundCoder.rotateApiKey': (args?: { profileId?: string; quiet?: boolean }) => actions().rotate(args?.profileId, { quiet: args?.quiet === true }),
    'profoundCoder.saveToCliProfile': (args?: SaveToCliArgs) => actions().saveToCli(args && { profileId: args.profileId, cliProfile: args.cliProfile }),
    'profoundCoder.importFromCli': (args: ImportFromCliArgs) => actions().importFromCli(args),
  } satisfies CommandHandlers;
}
