/** VS Code's secure storage (the OS keyring) refused a read or a write. */
export class SecretStorageError extends Error {
  readonly fix =
    'On Linux, install and unlock a keyring (GNOME Keyring or KWallet), or start VS Code with ' +
    '--password-store=basic. Alternatively sign in with the CoderFlow CLI (`coder login`): the ' +
    'extension reads the CLI configuration too.';
  constructor(operation: 'read' | 'save' | 'delete', cause: unknown) {
    super(`VS Code could not ${operation} the API key in its secure storage (${causeMessage(cause)}).`);
    this.name = 'SecretStorageError';
  }
}

/** Profile metadata could not be written to VS Code's global state. */
export class ProfileStateError extends Error {
  constructor(cause: unknown) {
    super(`VS Code could not save the CoderFlow profile (${causeMessage(cause)}). Nothing was changed.`);
    this.name = 'ProfileStateError';
  }
}

export function causeMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
