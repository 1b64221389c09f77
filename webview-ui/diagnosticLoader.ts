import type { DiagnosticModule } from './diagnosticSteps';
import { l10nContents } from './l10n';
import * as l10n from '@vscode/l10n';
import { loadScript } from './scriptLoader';

// The Test connection view (dist/webview/diagnostic.js and .css) loads on first use.
let loaded: DiagnosticModule | undefined;

/** The view once loadDiagnostic resolved, for code that paints synchronously. */
export function loadedDiagnostic(): DiagnosticModule | undefined {
  return loaded;
}

export async function loadDiagnostic(): Promise<DiagnosticModule> {
  const module = await loadScript<DiagnosticModule>('diagnostic', 'coderflowDiagnostic', { style: true, failed: l10n.t('The connection test view did not load.') });
  if (!loaded) {
    module.useTranslations(l10nContents);
    loaded = module;
  }
  return module;
}
