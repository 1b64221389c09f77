// The page's translations: the host embeds `vscode.l10n.bundle` in the document (see
// src/profileManager/pageHtml.ts), so they are configured here, before any other module of the page
// draws text: main.ts imports this module first. Without a bundle (English), l10n.t returns the
// English text it is given.
import * as l10n from '@vscode/l10n';
import * as z from 'zod/mini';

// Checked as an object whose values are strings: zod's record schema would add 3 KB to the page.
const bundleValues = z.array(z.string());

function readBundle(): Record<string, string> | undefined {
  const text = document.getElementById('l10n-bundle')?.textContent;
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && bundleValues.safeParse(Object.values(value)).success) {
      return value as Record<string, string>;
    }
  } catch {
    // Reported below, like a bundle of another shape.
  }
  console.warn('CoderFlow Profile Manager: the translations are not a record of strings; the page shows English.');
  return undefined;
}

/** The translations in use, for the Test connection view's bundle (diagnosticLoader.ts). */
export const l10nContents = readBundle();
if (l10nContents) l10n.config({ contents: l10nContents });
