// The Profile Manager's HTML document. Kept free of `vscode` so that the component tests serve the
// very document (and Content Security Policy) the extension serves.
import * as l10n from '@vscode/l10n';

export interface ProfileManagerHtmlOptions {
  /** `webview.cspSource`: the origin the webview loads the extension's own files from. */
  cspSource: string;
  /** A fresh random value per document; only scripts carrying it run. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
  /** `vscode.env.language`, for assistive technology's pronunciation. */
  language?: string;
  /**
   * `vscode.l10n.bundle`: the page's translations (undefined in English). Embedded in the document
   * so that the page's first text is already translated (webview-ui/l10n.ts reads it).
   */
  l10nBundle?: Record<string, string>;
}

export function profileManagerCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

export function profileManagerHtml(options: ProfileManagerHtmlOptions): string {
  const attr = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="${attr(options.language ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(profileManagerCsp(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(options.codiconsUri)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${attr(options.styleUri)}">
<title>${escapeText(l10n.t('CoderFlow Profile Manager'))}</title>
</head>
<body>
<main id="app"></main>
${options.l10nBundle ? `<script type="application/json" id="l10n-bundle">${jsonForScript(options.l10nBundle)}</script>\n` : ''}<script nonce="${attr(options.nonce)}" src="${attr(options.scriptUri)}"></script>
</body>
</html>`;
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

// A data block is not parsed as HTML except for its end tag: with every `<` escaped, no text of
// the bundle can close the element early. It never runs (type application/json), so the Content
// Security Policy needs no exception.
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
