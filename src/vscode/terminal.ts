import { homedir } from 'node:os';
import vscode = require('vscode');
import { findCliConfigPath } from '../core/cliConfig/cliConfigPath';
import { readCliConfig, type CliConfigState } from '../core/cliConfig/cliConfigRead';
import { watchCliConfig } from '../core/cliConfig/cliConfigWatch';
import { decideTerminalKey, TERMINAL_KEY_VARIABLE, type TerminalKeyDecision } from '../services/apiKeys/terminalPolicy';
import type { Core } from '../container';
import { affectsInjectApiKey, injectApiKeyOn } from './terminalSwitch';
import * as l10n from '@vscode/l10n';

/**
 * A bundle of its own (dist/terminal.js), loaded by core.terminal() when the setting is first on
 * (terminalSwitch.ts) or when the key lifecycle needs it as a key holder.
 * With `profoundCoder.terminal.injectApiKey` on, new integrated terminals get the key in use as
 * CODER_API_KEY, so `coder` there acts as the same user; it follows profile switches, sign-out and
 * every change of the CLI config that the coder CLI in those terminals reads, and is cleared when
 * the setting is turned off. The collection is not persistent: VS Code would otherwise keep the key
 * in its own storage, outside SecretStorage, across restarts.
 */
export class TerminalKeyInjector implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private last: string | undefined;
  private readonly told = new Set<string>();
  private watched: { path: string; handle: { dispose(): void } } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private readonly collection: vscode.GlobalEnvironmentVariableCollection;

  constructor(private readonly core: Pick<Core, 'context' | 'log' | 'store' | 'credentials'>) {
    this.collection = core.context.environmentVariableCollection;
    this.collection.persistent = false;
    this.subscriptions.push(
      core.credentials.onDidChangeCredential(() => void this.update()),
      core.store.onDidChange(() => void this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsInjectApiKey(e)) void this.update();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.update()),
    );
    void this.update();
  }

  /**
   * Puts the variable in or takes it out, as the setting, the credential and the CLI's own config
   * (read again now) say. Calls run one after the other.
   */
  update(): Promise<TerminalKeyDecision> {
    const run = this.queue.then(() => this.decide());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async decide(): Promise<TerminalKeyDecision> {
    const enabled = injectApiKeyOn();
    // Off (the default): neither read nor watch the CLI's file; most windows never need it.
    const cli = enabled ? await this.readCliFile() : this.stopWatching();
    const { credentials, store } = this.core;
    const state = credentials.current();
    const profileName = state.credential?.source === 'profile' ? store.selected()?.name : undefined;
    const decision = decideTerminalKey({
      enabled,
      workspaceTrusted: vscode.workspace.isTrusted,
      credential: state.credential,
      cli,
      ...(profileName ? { profileName } : {}),
    });
    if (this.disposed) return decision;
    if (decision.inject) {
      this.collection.replace(TERMINAL_KEY_VARIABLE, decision.apiKey);
      this.collection.description = decision.description;
    } else {
      this.collection.clear();
      this.collection.description = undefined;
    }
    // The log says what changed, once; the key itself is redacted by the log.
    const summary = decision.inject ? l10n.t('New terminals get {0}: {1}.', TERMINAL_KEY_VARIABLE, decision.description) : l10n.t('New terminals get no {0}: {1}', TERMINAL_KEY_VARIABLE, decision.reason);
    if (summary !== this.last) {
      this.last = summary;
      this.core.log.info(summary);
      if (!decision.inject && decision.notify && !this.told.has(decision.reason)) {
        this.told.add(decision.reason);
        void vscode.window.showWarningMessage(l10n.t('CoderFlow did not give new terminals {0}. {1}', TERMINAL_KEY_VARIABLE, decision.reason));
      }
    }
    return decision;
  }

  /**
   * The config the coder CLI in a new terminal reads: CODERFLOW_CONFIG of the environment
   * terminals inherit, else ~/.coderflow/config.json (profoundCoder.cliConfigPath is the
   * extension's own setting, which the CLI does not see). Watched, so that `coder profile
   * switch` re-decides at once.
   */
  private async readCliFile(): Promise<CliConfigState> {
    const { path } = findCliConfigPath({ env: process.env, homedir: homedir() });
    const state = await readCliConfig(path);
    if (!this.disposed && this.watched?.path !== path) {
      this.watched?.handle.dispose();
      this.watched = { path, handle: watchCliConfig(path, () => void this.update(), { initial: state }) };
    }
    return state;
  }

  private stopWatching(): undefined {
    this.watched?.handle.dispose();
    this.watched = undefined;
    return undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.watched?.handle.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
    this.collection.clear();
  }
}
