// The Quick Pick of `profoundCoder.manageApiKeys`: the keys with their state, revoke and rotate.
import vscode = require('vscode');
import type { ApiKeyInfo } from '../../core/http/protocol';
import type { RevokeOutcome } from '../../services/apiKeys/apiKeyService';
import { expiryText, staleKeys } from '../../shared/keyDates';
import type { KeyTarget, TargetListing } from './keyListing';
import { dayOf, toView } from './keyViews';
import * as l10n from '@vscode/l10n';

/** What the Quick Pick's items do: revoke keys (after the confirmation) and rotate the profile's key. */
export interface KeysQuickPickActions {
  revoke(chosen: ApiKeyInfo[], stale: boolean): Promise<RevokeOutcome | undefined>;
  rotate(profileId: string): Promise<unknown>;
}

export function showKeysQuickPick(target: KeyTarget, listing: TargetListing, actions: KeysQuickPickActions): void {
  type Item = vscode.QuickPickItem & { key?: ApiKeyInfo; action?: 'rotate' | 'revokeStale' };
  const revokeButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: l10n.t('Revoke') };
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = l10n.t('CoderFlow: API keys on {0}', target.serverUrl);
  pick.placeholder = l10n.t('Revoke a key with its trash button. Keys unused for 90 days or more are marked stale.');
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  let keys = listing.keys;
  const items = (): Item[] => {
    const now = Date.now();
    const stale = staleKeys(keys, listing.ownKeyId, now);
    const actionItems: Item[] = [];
    if (target.kind === 'profile') actionItems.push({ action: 'rotate', label: l10n.t('$(sync) Rotate key'), detail: l10n.t("Replace the key of '{0}' with a new one and revoke the old one.", target.profile.name) });
    if (stale.length > 0) actionItems.push({ action: 'revokeStale', label: l10n.t('$(trash) Revoke stale keys ({0})', stale.length), detail: stale.map((k) => k.name).join(', ') });
    const keyItems = keys.map((key): Item => {
      const view = toView(key, listing.ownKeyId, now);
      return {
        key,
        label: `${view.thisDevice ? '$(device-desktop) ' : ''}${key.name}`,
        description: [view.thisDevice ? l10n.t('this device') : undefined, view.stale ? l10n.t('stale') : undefined, expiryText(key.expiresAt, now)].filter(Boolean).join(' · '),
        detail: l10n.t('Created {0} · last used {1}', dayOf(key.createdAt), key.lastUsedAt ? dayOf(key.lastUsedAt) : l10n.t('never')),
        buttons: [revokeButton],
      };
    });
    return [...actionItems, ...(actionItems.length > 0 ? [{ label: l10n.t('Keys'), kind: vscode.QuickPickItemKind.Separator }] : []), ...keyItems];
  };
  pick.items = items();
  const revoke = async (chosen: ApiKeyInfo[], stale: boolean) => {
    const outcome = await actions.revoke(chosen, stale);
    if (!outcome) return;
    keys = keys.filter((k) => !outcome.revoked.some((r) => r.id === k.id));
    if (outcome.signedOut) pick.hide();
    else pick.items = items();
  };
  pick.onDidTriggerItemButton(({ item }) => {
    if (item.key) void revoke([item.key], false);
  });
  pick.onDidAccept(() => {
    const item = pick.selectedItems[0];
    if (item?.action === 'rotate' && target.kind === 'profile') {
      pick.hide();
      void actions.rotate(target.profile.id);
    } else if (item?.action === 'revokeStale') {
      void revoke(staleKeys(keys, listing.ownKeyId, Date.now()), true);
    } else if (item?.key) {
      void revoke([item.key], false);
    }
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}
