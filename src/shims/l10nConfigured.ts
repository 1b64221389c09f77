// @vscode/l10n as the extension host's bundles use it: configured, as it loads, with VS Code's
// translations for the display language (vscode.l10n.bundle; none for English, whose texts are in
// the sources). Each copy configures itself, so dist/extension.js carries its own copy instead of
// loading the one the lazily loaded bundles share (dist/l10n.js; scripts/build.mjs).
import vscode = require('vscode');
import * as l10n from '@vscode/l10n';

if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });

export { config, t } from '@vscode/l10n';
