import * as l10n from '@vscode/l10n';

/**
 * For a part of the page loaded as a script of its own (scriptLoader.ts): it has its own copy of
 * @vscode/l10n, which the page configures with the translations it read (l10n.ts).
 */
export function useTranslations(contents: Record<string, string> | undefined): void {
  if (contents) l10n.config({ contents });
}
