import { messageOf } from '../shared/errorText';
import * as l10n from '@vscode/l10n';

/** VS Code's secure storage (the OS keyring) refused a read or a write. */
export class SecretStorageError extends Error {
  readonly fix = l10n.t(
    'On Linux, install and unlock a keyring (GNOME Keyring or KWallet), or start VS Code with --password-store=basic. Alternatively sign in with the CoderFlow CLI (`coder login`): the extension reads the CLI configuration too.',
  );
  constructor(operation: 'read' | 'save' | 'delete', cause: unknown) {
    super(
      operation === 'read'
        ? l10n.t('VS Code could not read the API key in its secure storage ({0}).', messageOf(cause))
        : operation === 'save'
          ? l10n.t('VS Code could not save the API key in its secure storage ({0}).', messageOf(cause))
          : l10n.t('VS Code could not delete the API key in its secure storage ({0}).', messageOf(cause)),
    );
    this.name = 'SecretStorageError';
  }
}

/** Profile metadata could not be written to VS Code's global state. */
export class ProfileStateError extends Error {
  constructor(cause: unknown) {
    super(l10n.t('VS Code could not save the CoderFlow profile ({0}). Nothing was changed.', messageOf(cause)));
    this.name = 'ProfileStateError';
  }
}
