// Everything a person's action needs that activation does not: the HTTP clients (with node-fetch),
// the sign-in flows and their service, the commands' handlers, the Profile Manager's backend. A
// bundle of its own (dist/actions.js, scripts/build.mjs), loaded by the Core on first use.
import { CoderFlowClient } from './core/http/client';
import type { Core, Services } from './container';
import { SignInService } from './services/signInService';
import { CertificatePinStore } from './vscode/certificateTrust';
import type { KeyActions } from './vscode/keyManagement/keyActions';
import { tlsOptions } from './vscode/settings';

export { ProfileManagerBackendImpl } from './profileManager/backend';
export { commandHandlers } from './vscode/commands/commands';
export { signIn } from './vscode/paletteSignIn';
export { signOut } from './vscode/signOut';
export { moveWorkspaceKey } from './vscode/workspaceKeyMove';
export { requestAsPerson } from './requestAsPerson';
export { testingHooks } from './testingHooks';
export { explainSessionRemoval } from './vscode/sessionRemoval';

/** The Services over a Core: each built once, here. */
export function buildServices(core: Core): Services {
  const { log, context } = core;
  const certificatePins = new CertificatePinStore(context.globalState);
  const makeClient = (serverUrl: string, apiKey?: string): CoderFlowClient => {
    if (apiKey) log.addSecret(apiKey);
    return new CoderFlowClient({ serverUrl, ...(apiKey ? { apiKey } : {}), tls: tlsOptions(certificatePins), userAgent: 'coderflow-vscode' });
  };
  let keyActions: KeyActions | undefined;
  const services: Services = {
    ...core,
    makeClient,
    certificatePins,
    signIn: new SignInService(core.store, makeClient, (line) => log.info(line)),
    currentClient() {
      const credential = core.credentials.credential;
      return credential ? { credential, client: makeClient(credential.serverUrl, credential.apiKey) } : undefined;
    },
    // Key management, rotation and the CLI sharing load on the first key action (or when the key in
    // use may be near its expiry, src/vscode/keyWatch.ts), from a bundle of their own.
    keyActions() {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      keyActions ??= new (require('./keys.js') as typeof import('./vscode/keyManagement/keyActions')).KeyActions(services, core.terminal());
      return keyActions;
    },
  };
  // Sign-in's questions (a taken name, which key, retiring the old one) are the key lifecycle's.
  const choices = () => services.keyActions().choices;
  services.signIn.setChoices({
    nameTaken: (question) => choices().nameTaken(question),
    whichKey: (candidates) => choices().whichKey(candidates),
    retirement: {
      holders: () => choices().retirement.holders(),
      confirmRevoke: (question) => choices().retirement.confirmRevoke(question),
    },
  });
  return services;
}
