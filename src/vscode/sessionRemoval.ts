// What the Accounts menu's Sign Out says for a session whose key is not a Profile Manager profile's
// (authProvider.ts): CoderFlow cannot remove it, and where it lives.
import vscode = require('vscode');
import type { Credential, CredentialSource } from '../core/credentialChain';
import * as l10n from '@vscode/l10n';

/** Where a credential that is not a Profile Manager profile lives, and how to stop using it. */
// Getters: each text is looked up in the l10n bundle when used, after activation loaded it.
const REMOVE_HINT: Record<Exclude<CredentialSource, 'profile'>, string> = {
  get 'cli-env'() {
    return l10n.t('Unset CODER_API_KEY in the environment VS Code was started from, then restart VS Code.');
  },
  get 'cli-profile'() {
    return l10n.t('Remove the key from that CLI profile (for example with the coder CLI), or choose another CLI profile.');
  },
  get 'cli-base'() {
    return l10n.t('Remove the base apiKey from the CLI config (for example with the coder CLI).');
  },
  get setting() {
    return l10n.t('Remove profoundCoder.apiKey from your settings.');
  },
};

/** Tells the person where the session's key lives and how to stop using it. */
export function explainSessionRemoval(credential: Credential | undefined): void {
  const hint = credential && credential.source !== 'profile' ? REMOVE_HINT[credential.source] : undefined;
  void vscode.window.showInformationMessage(
    credential && hint
      ? l10n.t('CoderFlow cannot sign this session out: its key is not a Profile Manager profile but comes from {0}. {1}', credential.detail, hint)
      : l10n.t('CoderFlow cannot sign this session out: its key is not a Profile Manager profile.'),
  );
}
