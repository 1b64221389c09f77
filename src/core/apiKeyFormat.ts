// Whether a key could be a CoderFlow personal key, checked before any server sees it: a key typed
// or pasted, and one from the settings, the CLI config or CODER_API_KEY.
import { AuthError } from './errors';
import { keyShape, PERSONAL_KEY_PREFIX } from '../shared/secretShapes';
import * as l10n from '@vscode/l10n';

/**
 * Why a key cannot be a CoderFlow personal key, as an AuthError for the field it came from; the
 * server is asked only about a key that could be one. `where` names the key's source for a key
 * that was not typed ("the key in CODER_API_KEY").
 */
export function keyFormatError(input: string, where?: string): AuthError | undefined {
  const shape = keyShape(input);
  const the = where ?? l10n.t('The key');
  switch (shape.kind) {
    case 'personal':
      return undefined;
    case 'empty':
      return new AuthError('bad-input', where ? l10n.t('{0} is empty.', the) : l10n.t('Paste a CoderFlow personal API key (pc_…).'), { field: 'apiKey' });
    case 'aiProvider':
      // The docs' "Confusing personal keys with AI provider keys".
      return new AuthError('bad-input', where ? l10n.t("{0} looks like an AI provider's key ({1}), not a CoderFlow personal API key.", the, shape.provider) : l10n.t("This looks like an AI provider's key ({0}), not a CoderFlow personal API key.", shape.provider), {
        field: 'apiKey',
        fix:
          l10n.t('Personal API keys (pc_…) authenticate you to CoderFlow. AI provider keys are configured under provider authentication settings on the server and are injected into task containers so agents can call model providers. Sign in with your password or SSO to get a personal key.'),
      });
    case 'other':
      return new AuthError('bad-input', where ? l10n.t('{0} is not a CoderFlow personal API key: those start with {1}.', the, PERSONAL_KEY_PREFIX) : l10n.t('CoderFlow personal API keys start with {0}.', PERSONAL_KEY_PREFIX), {
        field: 'apiKey',
        fix: l10n.t('Copy the whole key as it was shown when it was created, or sign in to create a new one.'),
      });
    case 'malformed':
      if (shape.problem === 'whitespace') {
        return new AuthError('bad-input', l10n.t('{0} contains spaces or line breaks.', the), { field: 'apiKey', fix: l10n.t('Paste the key alone, on one line.') });
      }
      return new AuthError('bad-input', shape.problem === 'length' ? l10n.t('{0} is not as long as CoderFlow keys are.', the) : l10n.t('{0} contains characters that CoderFlow keys do not have.', the), {
        field: 'apiKey',
        fix: l10n.t('Copy the whole key again, as it was shown when it was created, or sign in to create a new one.'),
      });
  }
}
