// dist/webview/keys.js: the API key list, loaded by the page (main.ts) once an extension profile is
// signed in and in use.
import { KeysSection } from './keysSection';
import { useTranslations } from './scriptTranslations';

export type KeysSectionModule = { KeysSection: typeof KeysSection; useTranslations: typeof useTranslations };

(window as unknown as { coderflowKeys?: KeysSectionModule }).coderflowKeys = { KeysSection, useTranslations };
