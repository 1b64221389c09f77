// Whether new integrated terminals get the key in use: the injection (terminal.ts, a bundle of its
// own) loads only once its setting is on, so most windows never load it.
import vscode = require('vscode');
import type { Core } from '../container';

/** Whether profoundCoder.terminal.injectApiKey is on. */
export function injectApiKeyOn(): boolean {
  return vscode.workspace.getConfiguration('profoundCoder').get<boolean>('terminal.injectApiKey') === true;
}

export function affectsInjectApiKey(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('profoundCoder.terminal.injectApiKey');
}

/** Starts the terminal's key injection (core.terminal()) when profoundCoder.terminal.injectApiKey is or turns on. */
export function watchTerminalSetting(core: Core): vscode.Disposable {
  const start = () => {
    if (injectApiKeyOn()) core.terminal();
  };
  start();
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (affectsInjectApiKey(e)) start();
  });
}
