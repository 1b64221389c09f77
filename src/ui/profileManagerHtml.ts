// The Profile Manager's HTML document. Kept free of `vscode` so that the component tests serve the
// very document (and Content Security Policy) the extension serves.

export interface ProfileManagerHtmlOptions {
  /** `webview.cspSource`: the origin the webview loads the extension's own files from. */
  cspSource: string;
  /** A fresh random value per document; only scripts carrying it run. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  codiconsUri: string;
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
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(profileManagerCsp(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(options.codiconsUri)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${attr(options.styleUri)}">
<title>CoderFlow Profile Manager</title>
</head>
<body>
<main id="app"></main>
<script nonce="${attr(options.nonce)}" src="${attr(options.scriptUri)}"></script>
</body>
</html>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
