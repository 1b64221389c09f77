// A first look at a pasted key, so that the warning appears while the person is still on the field.
// The host's check is the authoritative one; this only spares a round trip. The shapes are the
// host's own (src/shared/secretShapes.ts).
import * as l10n from '@vscode/l10n';
import { keyShape, type KeyShape } from '../src/shared/secretShapes';

export { keyShape, type KeyShape };

export function keyShapeWarning(shape: KeyShape): string | undefined {
  switch (shape.kind) {
    case 'aiProvider':
      return l10n.t(
        'This looks like an AI provider’s key ({0}), not a CoderFlow key. CoderFlow needs a personal API key, which starts with {1}. AI provider keys belong in CoderFlow’s provider authentication settings on the server.',
        shape.provider,
        'pc_',
      );
    case 'other':
      return l10n.t('CoderFlow personal API keys start with {0}. Check that you pasted the whole key.', 'pc_');
    case 'malformed':
      return l10n.t('This key contains spaces, line breaks or characters that CoderFlow keys do not have. Copy the whole key again, on one line.');
    default:
      return undefined;
  }
}
