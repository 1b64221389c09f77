import vscode = require('vscode');
import { Redactor } from '../core/redact';
import { errorLogText } from '../shared/errorText';

export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  debug(message: string): void;
  /** Masks this value wherever it appears in a later line. */
  addSecret(secret: string | undefined): void;
  show(): void;
}

/**
 * The "CoderFlow" log. Every line passes one redaction function before it is written. The Output
 * channel is made with the first line (or Show Log): making one starts VS Code's log writer for
 * it (a module import, a folder, a file), work a window that logs nothing need not do.
 */
export function createLog(context: vscode.ExtensionContext, onLine?: (line: string) => void): Log {
  let made: vscode.LogOutputChannel | undefined;
  const channel = () => {
    if (!made) {
      made = vscode.window.createOutputChannel('CoderFlow', { log: true });
      context.subscriptions.push(made);
    }
    return made;
  };
  const redactor = new Redactor();
  const clean = (text: string) => {
    const line = redactor.redact(text);
    onLine?.(line);
    return line;
  };
  return {
    info: (m) => channel().info(clean(m)),
    warn: (m) => channel().warn(clean(m)),
    debug: (m) => channel().debug(clean(m)),
    error: (m, e) => channel().error(clean(e === undefined ? m : `${m}: ${errorLogText(e)}`)),
    addSecret: (s) => redactor.add(s),
    show: () => channel().show(true),
  };
}
