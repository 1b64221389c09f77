// dist/webview/keys.js: the API key list, loaded by the page (main.ts) once an extension profile is
// signed in and in use. It has its own copy of @vscode/l10n: the page hands it the translations.
import * as l10n from '@vscode/l10n';
import { KeysSection } from './keysSection';

export type KeysSectionModule = {
  KeysSection: typeof KeysSection;
  useTranslations(contents: Record<string, string> | undefined): void;
};

const keysSectionModule: KeysSectionModule = {
  KeysSection,
  useTranslations(contents) {
    if (contents) l10n.config({ contents });
  },
};
(window as unknown as { coderflowKeys?: KeysSectionModule }).coderflowKeys = keysSectionModule;
