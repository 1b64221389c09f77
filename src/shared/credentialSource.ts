// Where the credential in use comes from, and the one name each place shows for it: the status
// bar, the Accounts menu, Show Credential Source, the resolver's reasons and the page. Imported
// by the host and the page; @vscode/l10n is configured on each side before these are first shown.
import * as l10n from '@vscode/l10n';

export type CredentialSource = 'profile' | 'cli-env' | 'cli-profile' | 'cli-base' | 'setting';

/** A function, not a table: the text is looked up in the l10n bundle when it is shown. */
export function sourceName(source: CredentialSource): string {
  switch (source) {
    case 'profile':
      return l10n.t('Profile Manager');
    case 'cli-env':
      return 'CODER_API_KEY';
    case 'cli-profile':
      return l10n.t('CoderFlow CLI profile');
    case 'cli-base':
      return l10n.t('CoderFlow CLI config');
    case 'setting':
      return l10n.t('Settings');
  }
}
