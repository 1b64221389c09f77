// Whether new integrated terminals get the key in use: the injection (terminal.ts, a bundle of its
// own) loads only once its setting is on, so most windows never load it.
import vscode = require('vscode');
import type { Core } from '../container';

export const INJECT_SETTING = 'terminal.injectApiKey';

/** Starts the terminal's key injection (core.terminal()) when profoundCoder.terminal.injectApiKey is or turns on. */
export function watchTerminalSetting(core: Core): vscode.Disposable {
  const start = () => {
    if (vscode.workspace.getConfiguration('profoundCoder').get<boolean>(INJECT_SETTING) === true) core.terminal();
  };
  start();
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(`profoundCoder.${INJECT_SETTING}`)) start();
  });
}
