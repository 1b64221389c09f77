// The profile commands: open the Profile Manager, switch profile (everywhere or in this workspace), sign out.
import vscode = require('vscode');
import type { ProfileMeta } from '../../profiles/profile';
import type { Services } from '../../container';
import { signIn } from '../paletteSignIn';
import { signOut } from '../signOut';
import type { CommandHandlers } from './commandIds';
import * as l10n from '@vscode/l10n';

/** What the commands need from activation besides the services. */
export interface CommandHost {
  showProfileManager(): Promise<void>;
}

export function profileCommands(services: Services, host: CommandHost) {
  return {
    'profoundCoder.openProfileManager': () => host.showProfileManager(),
    'profoundCoder.switchProfile': (args?: { profileId?: string; scope?: 'global' | 'workspace' }) => switchProfile(services, args?.profileId, args?.scope),
    // Whether to revoke is always asked: no argument lets another extension skip that question.
    'profoundCoder.signOut': (args?: { profileId?: string }) => signOut(services, args?.profileId),
  } satisfies CommandHandlers;
}

async function switchProfile(services: Services, profileId?: string, scope: 'global' | 'workspace' = 'global'): Promise<ProfileMeta | undefined> {
  const { store } = services;
  if (profileId) {
    const profile = store.get(profileId);
    if (!profile) throw new Error(l10n.t('There is no CoderFlow profile with id {0}.', profileId));
    await store.select(profile.id, scope);
    await services.credentials.refresh();
    return profile;
  }
  const selected = store.selectedId();
  const workspaceOnly: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('root-folder'), tooltip: l10n.t('Use in this workspace only') };
  const items: Array<vscode.QuickPickItem & { id?: string }> = store.list().map((p) => ({
    id: p.id,
    label: `${p.id === selected ? '$(check) ' : ''}${p.name}`,
    description: p.username ? `${p.username} · ${p.serverUrl}` : p.serverUrl,
    detail: p.keyHint ? undefined : l10n.t('Signed out'),
    ...(vscode.workspace.workspaceFolders?.length ? { buttons: [workspaceOnly] } : {}),
  }));
  items.push({ label: l10n.t('$(sign-in) Sign in to another server…') });
  const picked = await new Promise<{ item: (typeof items)[number]; scope: 'global' | 'workspace' } | undefined>((resolve) => {
    const pick = vscode.window.createQuickPick<(typeof items)[number]>();
    pick.title = l10n.t('CoderFlow: Switch Profile');
    pick.placeholder = l10n.t('Profile to use in every window (the folder button: in this workspace only)');
    pick.items = items;
    let answer: { item: (typeof items)[number]; scope: 'global' | 'workspace' } | undefined;
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0];
      answer = item ? { item, scope: 'global' } : undefined;
      pick.hide();
    });
    pick.onDidTriggerItemButton((e) => {
      answer = { item: e.item, scope: 'workspace' };
      pick.hide();
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(answer);
    });
    pick.show();
  });
  if (!picked) return undefined;
  if (!picked.item.id) return signIn(services, undefined);
  return switchProfile(services, picked.item.id, picked.scope);
}
