// The id of every command the extension registers, and the shape of the table of their handlers.

/** The commands of package.json `contributes.commands` (the palette, the view's title bar). */
export const CONTRIBUTED_COMMAND_IDS = [
  'profoundCoder.openProfileManager',
  'profoundCoder.signIn',
  'profoundCoder.signInWithSso',
  'profoundCoder.signInWithApiKey',
  'profoundCoder.switchProfile',
  'profoundCoder.signOut',
  'profoundCoder.showCredentialSource',
  'profoundCoder.testConnection',
  'profoundCoder.forgetTrustedCertificates',
  'profoundCoder.manageApiKeys',
  'profoundCoder.rotateApiKey',
] as const;

/**
 * Buttons of the Profile Manager, registered as commands too so that keybindings, other
 * extensions and tests can run them with arguments; not in the palette.
 */
export const INTERNAL_COMMAND_IDS = ['profoundCoder.saveToCliProfile', 'profoundCoder.importFromCli'] as const;

export const COMMAND_IDS = [...CONTRIBUTED_COMMAND_IDS, ...INTERNAL_COMMAND_IDS] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

/** A command's handler, called with the arguments of `vscode.commands.executeCommand` (none from the palette). */
export type CommandHandler = (...args: never[]) => unknown;

/** Some commands' handlers, as a topic file gives them: the keys must be command ids. */
export type CommandHandlers = Partial<Record<CommandId, CommandHandler>>;
