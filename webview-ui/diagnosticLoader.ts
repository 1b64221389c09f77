import type { DiagnosticModule } from './connectionDiagnostic';
import { l10nContents } from './l10n';
import * as l10n from '@vscode/l10n';

// Loads the Test connection view (dist/webview/diagnostic.js and .css, next to this page's own
// script) on first use. The script carries this page's nonce, which the Content Security Policy
// asks of every script; the stylesheet comes from the same origin as the page's own.
const page = document.currentScript as HTMLScriptElement | null;
let loading: Promise<DiagnosticModule> | undefined;
let loaded: DiagnosticModule | undefined;

/** The view once loadDiagnostic resolved, for code that paints synchronously. */
export function loadedDiagnostic(): DiagnosticModule | undefined {
  return loaded;
}

export function loadDiagnostic(): Promise<DiagnosticModule> {
  loading ??= new Promise<DiagnosticModule>((resolve, reject) => {
    if (!page?.src) return reject(new Error(l10n.t('The page script’s address is unknown.')));
    const style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = new URL('diagnostic.css', page.src).toString();
    const script = document.createElement('script');
    script.nonce = page.nonce;
    script.src = new URL('diagnostic.js', page.src).toString();
    script.addEventListener('load', () => {
      loaded = (window as unknown as { coderflowDiagnostic?: DiagnosticModule }).coderflowDiagnostic;
      if (!loaded) return reject(new Error(l10n.t('The connection test view did not load.')));
      loaded.useTranslations(l10nContents);
      resolve(loaded);
    });
    script.addEventListener('error', () => reject(new Error(l10n.t('The connection test view did not load.'))));
    document.head.append(style, script);
  }).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
