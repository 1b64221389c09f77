import * as vscode from 'vscode';

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
   * the box open with that message under it (so a wrong password is fixed in place).
   */
  accept(value: string): Promise<string | undefined>;
}

/** An input box validated live on Enter; resolves undefined when the person closes it. */
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
      if (box.busy) return;
      box.busy = true;
      box.enabled = false;
      const value = box.value;
      let problem: string | undefined;
      try {
        problem = await options.accept(value);
      } catch (e) {
        problem = e instanceof Error ? e.message : String(e);
      }
      box.busy = false;
      box.enabled = true;
      if (problem === undefined) finish(value);
      else box.validationMessage = { message: problem, severity: vscode.InputBoxValidationSeverity.Error };
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

/** "message fix" for a notification or an input box. */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    const fix = (error as { fix?: string }).fix;
    return fix ? `${error.message} ${fix}` : error.message;
  }
  return String(error);
}
