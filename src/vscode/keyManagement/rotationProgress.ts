// Rotating a profile's key with its four steps in a cancellable progress notification.
import vscode = require('vscode');
import type { RotationStep } from '../../core/keyRotation';
import type { KeyService, RotationOutcome } from '../../services/apiKeys/apiKeyService';
import type { Services } from '../../container';
import * as l10n from '@vscode/l10n';

// Getters: each text is looked up in the l10n bundle when used, after activation loaded it.
const ROTATION_STEPS: Record<RotationStep, string> = {
  get create() {
    return l10n.t('1 of 4: creating a new key…');
  },
  get update() {
    return l10n.t('2 of 4: switching every place that uses the old key…');
  },
  get test() {
    return l10n.t('3 of 4: testing the new key…');
  },
  get delete() {
    return l10n.t('4 of 4: revoking the old key (no longer cancellable)…');
  },
};

/**
 * `profoundCoder.rotateApiKey`: rotates with a progress notification and tells the outcome.
 * Resolves undefined when there is no signed-in profile to rotate.
 */
export async function rotateWithProgress(services: Pick<Services, 'credentials' | 'store'>, keys: KeyService, profileId?: string, options: { quiet?: boolean } = {}): Promise<RotationOutcome | undefined> {
  if (profileId === undefined) await services.credentials.refresh();
  const profile = profileId !== undefined ? services.store.get(profileId) : services.store.selected();
  if (!profile || !profile.keyHint) {
    if (!options.quiet) void vscode.window.showInformationMessage(l10n.t('Rotate works on a signed-in Profile Manager profile. Sign in first.'));
    return undefined;
  }
  // The docs' four steps, each shown; Cancel works until the old key's deletion starts.
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: l10n.t("CoderFlow: rotating the key of '{0}'", profile.name), cancellable: true },
    (progress, token) => {
      const cancel = new AbortController();
      const subscription = token.onCancellationRequested(() => cancel.abort());
      return keys
        .rotate(profile.id, { signal: cancel.signal, onStep: (step) => progress.report({ message: ROTATION_STEPS[step] }) })
        .finally(() => {
          subscription.dispose();
        });
    },
  );
  await services.credentials.refresh();
  if (!options.quiet) {
    const message = l10n.t('CoderFlow: {0}', outcome.message);
    if (!outcome.rotated) void vscode.window.showErrorMessage(message);
    else if (!outcome.oldKeyRevoked) void vscode.window.showWarningMessage(message);
    else void vscode.window.showInformationMessage(message);
  }
  return outcome;
}
