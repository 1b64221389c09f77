// The table of every command's handler, one topic file per group, and its registration.
import * as vscode from 'vscode';
import type { Services } from '../../container';
import { COMMAND_IDS, type CommandHandler, type CommandId } from './commandIds';
import { credentialCommands } from './credentialCommands';
import { keyCommands } from './keyCommands';
import { profileCommands, type CommandHost } from './profileCommands';
import { signInCommands } from './signInCommands';

// Until src/extension.ts and src/actions.ts import them from where they are defined.
export { signIn } from '../paletteSignIn';
export { signOut } from '../signOut';

/** Every command's handler: a command id without one is a type error here. */
export function commandHandlers(services: Services, host: CommandHost): Record<CommandId, CommandHandler> {
  return {
    ...profileCommands(services, host),
    ...signInCommands(services),
    ...credentialCommands(services),
    ...keyCommands(services),
  };
}

export function registerCommands(services: Services, host: CommandHost): vscode.Disposable[] {
  const handlers = commandHandlers(services, host);
  return COMMAND_IDS.map((id) => vscode.commands.registerCommand(id, handlers[id]));
}
