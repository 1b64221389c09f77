// SSO sign-in in a cancellable progress notification: the code, the browser, Open again and Copy code.
import vscode = require('vscode');
import { toAuthError } from '../core/errors';
import type { DeviceCodePrompt } from '../core/flows/sso';
import type { ProfileMeta } from '../profiles/profile';
import { errorText } from '../shared/errorText';
import type { Services } from '../container';
import * as l10n from '@vscode/l10n';

/**
 * SSO with the code in a progress notification that Cancel aborts. Asking for SSO is the consent
 * to open the browser, so it opens as soon as the code is there, after the notification has named
 * the host it opens; a second notification offers Open again and Copy code until the sign-in ends.
 */
export async function ssoWithProgress(
  services: Pick<Services, 'signIn'>,
  to: { serverUrl: string; profileName?: string },
  onCode?: (prompt: DeviceCodePrompt) => void,
): Promise<ProfileMeta | undefined> {
  const running = { done: false };
  try {
    const profile = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: l10n.t('CoderFlow SSO'), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        try {
          progress.report({ message: l10n.t('Asking the server for a code…') });
          return await services.signIn.sso(
            to,
            (prompt) => {
              const waiting = l10n.t('Your code: {0}. Check that {1} shows the same code, then approve.', prompt.userCode, prompt.browserHost);
              progress.report({ message: l10n.t('Opening {0} in your browser. {1}', prompt.browserHost, waiting) });
              onCode?.(prompt);
              void openBrowser(prompt).then(() => progress.report({ message: waiting }));
              void offerCodeActions(prompt, running);
            },
            controller.signal,
            (error, waitSeconds) => progress.report({ message: l10n.t('{0} Trying again in {1} s.', error.message, waitSeconds) }),
          );
        } finally {
          running.done = true;
          cancel.dispose();
        }
      },
    );
    void vscode.window.showInformationMessage(l10n.t("Signed in to CoderFlow with SSO as {0} (profile '{1}').", String(profile.username), profile.name));
    return profile;
  } catch (e) {
    const error = toAuthError(e);
    if (error.kind === 'cancelled') return undefined;
    if (onCode) throw error;
    void vscode.window.showErrorMessage(l10n.t('CoderFlow SSO: {0}', errorText(error)));
    return undefined;
  }
}

/** Opens the checked verification address; says where to go when no browser opened. */
async function openBrowser(prompt: DeviceCodePrompt): Promise<void> {
  const opened = await vscode.env.openExternal(vscode.Uri.parse(prompt.browserUri, true)).then(undefined, () => false);
  if (!opened) void vscode.window.showWarningMessage(l10n.t('CoderFlow SSO: the browser did not open. Go to {0} and enter the code {1}.', prompt.verificationUri, prompt.userCode));
}

/** Open again / Copy code, offered again after each use until the sign-in ends. */
async function offerCodeActions(prompt: DeviceCodePrompt, running: { done: boolean }): Promise<void> {
  const openAgain = l10n.t('Open again');
  const copy = l10n.t('Copy code');
  while (!running.done) {
    const choice = await vscode.window.showInformationMessage(
      l10n.t('Your CoderFlow sign-in code is {0}. Approve it at {1}.', prompt.userCode, prompt.browserHost),
      openAgain,
      copy,
    );
    if (!choice || running.done) return;
    if (choice === openAgain) await openBrowser(prompt);
    else await vscode.env.clipboard.writeText(prompt.userCode).then(undefined, () => void vscode.window.showWarningMessage(l10n.t('CoderFlow SSO: the code could not be copied. Enter {0} by hand.', prompt.userCode)));
  }
}
