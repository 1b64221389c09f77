// Every command is registered at activation; what it does loads with the first command run.
import vscode = require('vscode');
import { COMMAND_IDS, type CommandHandler, type CommandId } from './commandIds';

/** Registers every command id; `handlers` is called once, on the first command, and gives the table (commands.ts). */
export function registerCommands(handlers: () => Record<CommandId, CommandHandler>): vscode.Disposable[] {
  let table: Record<CommandId, CommandHandler> | undefined;
  return COMMAND_IDS.map((id) =>
    vscode.commands.registerCommand(id, (...args: never[]) => {
      table ??= handlers();
      return table[id](...args);
    }),
  );
}
