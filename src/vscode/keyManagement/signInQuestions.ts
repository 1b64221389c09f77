// What sign-in asks the person: whether to replace a profile of the same name, and which key was pasted.
import vscode = require('vscode');
import type { ApiKeyInfo } from '../../core/http/protocol';
import type { ProfileStore } from '../../profiles/store';
import { describeKey } from '../../services/apiKeys/apiKeyService';
import type { NameTakenAnswer, NameTakenQuestion } from '../../services/signInService';
import { dayOf } from './keyViews';
import * as l10n from '@vscode/l10n';

/** A sign-in under the name of another server's or user's profile: replace it, or another name. */
export async function askNameTaken(store: ProfileStore, question: NameTakenQuestion): Promise<NameTakenAnswer | undefined> {
  const { existing } = question;
  const revokable = existing.keyId !== undefined && existing.keyHint !== undefined;
  const replaceRevoke = l10n.t('Replace and Revoke Its Key');
  const replaceKeep = existing.keyHint ? l10n.t('Replace, Keep Its Key') : l10n.t('Replace');
  const rename = l10n.t('Use Another Name');
  const choice = await vscode.window.showWarningMessage(
    l10n.t("A profile named '{0}' exists already for {1} on {2}. Replace it with {3} on {4}?", question.name, existing.username ?? l10n.t('another user'), existing.serverUrl, question.username, question.serverUrl),
    {
      modal: true,
      detail: existing.keyHint
        ? revokable
          ? l10n.t('Its key {0} is revoked, or kept live if other programs use it.', describeKey(existing))
          : l10n.t('Its key {0} stays live: CoderFlow does not know which of your keys it is. Revoke it on its server if nothing uses it.', describeKey(existing))
        : undefined,
    },
    ...(revokable ? [replaceRevoke] : []),
    replaceKeep,
    rename,
  );
  if (choice === replaceRevoke) return { replace: true, revokeOldKey: true };
  if (choice === replaceKeep) return { replace: true, revokeOldKey: false };
  if (choice !== rename) return undefined;
  const name = await vscode.window.showInputBox({
    title: l10n.t('CoderFlow: a name for the new profile'),
    value: `${question.username}@${hostOf(question.serverUrl)}`,
    ignoreFocusOut: true,
    validateInput: (value) => {
      const trimmed = value.trim();
      if (trimmed === '') return l10n.t('Enter a name.');
      const taken = store.findByName(trimmed);
      return taken ? l10n.t("A profile named '{0}' exists already.", trimmed) : undefined;
    },
  });
  return name === undefined ? undefined : { rename: name };
}

/** Several of the person's keys were used just now: which one did they paste? Asked once. */
export async function askWhichKey(keys: ApiKeyInfo[]): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { id?: string };
  const items: Item[] = [
    ...keys.map((key): Item => ({ id: key.id, label: key.name, detail: l10n.t('Created {0} · last used {1}', dayOf(key.createdAt), key.lastUsedAt ? new Date(key.lastUsedAt).toLocaleString() : l10n.t('never')) })),
    { label: l10n.t('None of these / not sure'), detail: l10n.t('The profile works without knowing; expiry, rotation and revoking its key then need you.') },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: l10n.t('CoderFlow: which of your keys did you paste?'),
    placeHolder: l10n.t('Several of your keys were used just now. Knowing which one lets CoderFlow show its expiry and rotate or revoke it.'),
    ignoreFocusOut: true,
  });
  return picked?.id;
}

function hostOf(serverUrl: string): string {
  try {
    return new URL(serverUrl).host;
  } catch {
    return serverUrl;
  }
}
