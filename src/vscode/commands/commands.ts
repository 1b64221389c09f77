// The table of every command's handler, one topic file per group (registered by commandRegistration.ts).
import type { Services } from '../../container';
import type { CommandHandler, CommandId } from './commandIds';
import { credentialCommands } from './credentialCommands';
import { keyCommands } from './keyCommands';
import { profileCommands, type CommandHost } from './profileCommands';
import { signInCommands } from './signInCommands';

/** Every command's handler: a command id without one is a type error here. */
export function commandHandlers(services: Services, host: CommandHost): Record<CommandId, CommandHandler> {
  return {
    ...profileCommands(services, host),
    ...signInCommands(services),
    ...credentialCommands(services),
    ...keyCommands(services),
  };
}
