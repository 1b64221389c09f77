// Where else a profile's key lives (the CLI configs, the terminal variable), and the question asked
// before revoking an old key that one of them could not be moved off.
import vscode = require('vscode');
import { homedir } from 'node:os';
import { findCliConfigPath } from '../../core/cliConfig/cliConfigPath';
import { CLI_API_KEY_ENV } from '../../core/cliConfig/cliConfigPath';
import { listPlaces, type KeyHolder, type KeyRetirement, type RevokeQuestion } from '../../services/apiKeys/keyHolders';
import { cliConfigHolder } from '../../services/apiKeys/cliSharing';
import type { Services } from '../../container';
import * as l10n from '@vscode/l10n';

/**
 * Every place besides a profile that the extension knows may hold its key: the CLI config it
 * reads (and the one the coder CLI in a terminal reads, when that is another file), and the
 * terminal variable. Each is matched by value when a key is handed over.
 */
export function keyRetirement(services: Pick<Services, 'context' | 'credentials'>): KeyRetirement {
  const collection = services.context.environmentVariableCollection;
  const terminal: KeyHolder = {
    name: l10n.t('{0} of new terminals', CLI_API_KEY_ENV),
    replace: async (from, to) => {
      const value = collection.get(CLI_API_KEY_ENV)?.value;
      // The terminal variable follows the profile too, so it may have the new key already.
      if (value !== from && value !== to) return [];
      collection.replace(CLI_API_KEY_ENV, to);
      const open = vscode.window.terminals.length;
      return [open > 0 ? l10n.t('{0} of new terminals (the {1} open now keep the old key until reopened)', CLI_API_KEY_ENV, open) : l10n.t('{0} of new terminals', CLI_API_KEY_ENV)];
    },
  };
  return {
    holders: () => {
      const files = new Set<string>();
      const configured = services.credentials.current().cliConfig?.path;
      if (configured) files.add(configured);
      files.add(findCliConfigPath({ env: process.env, homedir: homedir() }).path);
      return [...[...files].map(cliConfigHolder), terminal];
    },
    confirmRevoke: (question) => confirmRevokeHeldKey(question),
  };
}

/**
 * Asked before revoking a key that a holder could not be moved off: the holders are named, and
 * keeping the old key is a choice (closing the dialog keeps it too).
 */
async function confirmRevokeHeldKey(question: RevokeQuestion): Promise<boolean> {
  const revoke = l10n.t('Revoke Old Key');
  const keep = l10n.t('Keep Old Key');
  const names = listPlaces(question.stuck.map((h) => h.name));
  const choice = await vscode.window.showWarningMessage(
    l10n.t("{0} could not be updated to the new key of '{1}' and may still use the old key {2}. Revoke the old key anyway?", names, question.profileName, question.keyName),
    { modal: true, detail: `${question.stuck.map((h) => `${h.name}: ${h.reason}`).join('\n')}\n\n${l10n.t('Revoking stops whatever still uses it at once. Keeping it leaves it live until you revoke it under API keys.')}` },
    revoke,
    keep,
  );
  return choice === revoke;
}
