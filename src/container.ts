// Every service of an activation, each built once with explicit arguments. Two halves: the Core,
// which activation builds (the profile store, the credential chain, the log, what the status bar
// and the walkthrough show), and the Services, which the first action of a person loads from a
// bundle of their own (dist/actions.js, src/actions.ts): the clients, sign-in, key management.
import { homedir } from 'node:os';
import type * as vscode from 'vscode';
import type { CoderFlowClient } from './core/http/client';
import type { Credential } from './core/credentialChain';
import { ProfileStore } from './profiles/store';
import { CredentialService } from './services/credentialService';
import { HealthTracker } from './services/credentialHealth';
import type { SignInService } from './services/signInService';
import type { CertificatePinStore } from './vscode/certificateTrust';
import { ContextKeys } from './vscode/contextKeys';
import type { KeyActions } from './vscode/keyManagement/keyActions';
import { createLog, type Log } from './vscode/log';
import { readSettings } from './vscode/settings';
import type { TerminalKeyInjector } from './vscode/terminal';

/** What activation builds: enough to resolve the credential and show it. */
export interface Core {
  context: vscode.ExtensionContext;
  log: Log;
  store: ProfileStore;
  credentials: CredentialService;
  health: HealthTracker;
  /** The walkthrough's context keys (package.json, contributes.walkthroughs). */
  contextKeys: ContextKeys;
  /** CODER_API_KEY of new integrated terminals, following the credential: loaded (dist/terminal.js) and started on first use. */
  terminal(): TerminalKeyInjector;
  /** The rest, loaded and built on first use. */
  services(): Services;
  /** The bundle of everything a person's action needs (src/actions.ts), loaded on first use. */
  actions(): typeof import('./actions');
}

/** The Core with what the person's actions use. */
export interface Services extends Core {
  signIn: SignInService;
  makeClient: (serverUrl: string, apiKey?: string) => CoderFlowClient;
  /** The certificates the person trusted per server (profoundCoder.tls.insecure), which every client uses. */
  certificatePins: CertificatePinStore;
  /** A client for the credential in use, or undefined when not signed in. */
  currentClient(): { client: CoderFlowClient; credential: Credential } | undefined;
  /**
   * The one KeyActions of an activation, loaded (dist/keys.js) and made on first use: the
   * commands, sign-in and the Profile Manager share it, and with it what was already warned about.
   */
  keyActions(): KeyActions;
}

/** Builds the Core; `logSink` also receives every log line (tests). Nothing here touches the network. */
export function createCore(context: vscode.ExtensionContext, logSink?: (line: string) => void): Core {
  const log = createLog(context, logSink);
  const store = new ProfileStore(context.globalState, context.secrets, context.workspaceState, { log: (line) => log.warn(line) });
  const credentials = new CredentialService({ store, settings: readSettings, env: process.env, homedir: homedir(), log: (line) => log.info(line) });
  let actions: typeof import('./actions') | undefined;
  let services: Services | undefined;
  let terminal: TerminalKeyInjector | undefined;
  const core: Core = {
    context,
    log,
    store,
    credentials,
    health: new HealthTracker(),
    contextKeys: new ContextKeys(credentials),
    terminal() {
      if (!terminal) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        terminal = new (require('./terminal.js') as typeof import('./vscode/terminal')).TerminalKeyInjector(core);
        context.subscriptions.push(terminal);
      }
      return terminal;
    },
    actions() {
      // A bundle of its own next to this one (scripts/bundles.mjs, LAZY).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      actions ??= require('./actions.js') as typeof import('./actions');
      return actions;
    },
    services() {
      services ??= core.actions().buildServices(core);
      return services;
    },
  };
  context.subscriptions.push(store, credentials, core.contextKeys);
  return core;
}
