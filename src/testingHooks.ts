// What the tests inspect through the API under ExtensionMode.Test (api.ts, `testing`).
import type * as vscode from 'vscode';
import type { TestingHooks } from './api';
import type { Credential } from './core/credentialChain';
import type { Core } from './container';
import { signOut } from './vscode/signOut';
import { onDidShowInputBox } from './vscode/prompts';

export function testingHooks(
  core: Core,
  credential: () => Promise<Credential | undefined>,
  test: { authProvider: vscode.AuthenticationProvider; logLines: string[] },
): TestingHooks {
  const { context, store } = core;
  // Getters: the Services are built only when a test asks for one of them.
  const testing: TestingHooks = {
    secrets: context.secrets,
    globalState: context.globalState,
    workspaceState: context.workspaceState,
    store,
    authProvider: test.authProvider,
    logLines: test.logLines,
    environmentVariableCollection: context.environmentVariableCollection,
    contextKeys: core.contextKeys,
    onDidShowInputBox,
    get certificatePins() {
      return core.services().certificatePins;
    },
    get makeClient() {
      return core.services().makeClient;
    },
    credential,
    get keyActions() {
      return core.services().keyActions();
    },
    signOut: (profileId, revoke) => signOut(core.services(), profileId, revoke),
  };
  return testing;
}
