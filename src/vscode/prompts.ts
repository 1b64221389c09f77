import vscode = require('vscode');
import { messageOf } from '../shared/errorText';

export interface AskOptions {
  title: string;
  prompt: string;
  value?: string;
  placeholder?: string;
  password?: boolean;
  step?: number;
  totalSteps?: number;
  /**
   * Runs when the person presses Enter, with the box showing progress; a returned message keeps
   * the box open with that message under it (so a wrong password is fixed in place). `signal`
   * aborts when the person closes the box (Escape) meanwhile: pass it down to the request.
   */
  accept(value: string, signal: AbortSignal): Promise<string | undefined>;
}

const shown = new vscode.EventEmitter<vscode.InputBox>();
/** Every input box ask() shows, as it opens; the extension's testing hooks hand it to host tests. */
export const onDidShowInputBox = shown.event;

/**
 * An input box validated live on Enter; resolves undefined when the person closes it. Closing it
 * while `accept` runs aborts that run, and the box resolves once the run has ended: with the value
 * when the run still completed (its result stands, so the caller must not report a cancel), else
 * undefined.
 */
export function ask(options: AskOptions): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.prompt = options.prompt;
    box.value = options.value ?? '';
    box.placeholder = options.placeholder;
    box.password = options.password === true;
    box.ignoreFocusOut = true;
    if (options.step) box.step = options.step;
    if (options.totalSteps) box.totalSteps = options.totalSteps;
    let settled = false;
    let hidden = false;
    let running: { controller: AbortController; done: Promise<string | undefined>; value: string } | undefined;
    const finish = (value: string | undefined) => {
      if (settled) return;
      settled = true;
      resolve(value);
      box.dispose();
    };
    box.onDidChangeValue(() => {
      box.validationMessage = undefined;
    });
    box.onDidAccept(async () => {
      if (running) return;
      box.busy = true;
      box.enabled = false;
      const value = box.value;
      const controller = new AbortController();
      const done = options.accept(value, controller.signal).catch(messageOf);
      running = { controller, done, value };
      const problem = await done;
      running = undefined;
      if (hidden) return;
      box.busy = false;
      box.enabled = true;
      if (problem === undefined) finish(value);
      else box.validationMessage = { message: problem, severity: vscode.InputBoxValidationSeverity.Error };
    });
    box.onDidHide(() => {
      hidden = true;
      const inFlight = running;
      if (!inFlight) return finish(undefined);
      inFlight.controller.abort();
      void inFlight.done.then((problem) => finish(problem === undefined ? inFlight.value : undefined));
    });
    box.show();
    shown.fire(box);
  });
}
