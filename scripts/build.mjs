// Bundles the extension (Node, CommonJS) and the Profile Manager page (browser) with esbuild.
// --production: minified, no source maps (the VSIX ships only what runs). --watch: rebuild on change.
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const extension = {
  entryPoints: [join(root, 'src/extension.ts')],
  outfile: join(root, 'dist/extension.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // dist/profileManager.js is the Profile Manager's host, built below and required at run time
  // when the view first opens (see src/extension.ts); dist/connectionTest.js likewise on the
  // first Test connection (src/ui/commands.ts); dist/cliConfigText.js (jsonc-parser) on the first
  // write to the CLI config or the first one that does not parse (src/auth/cliConfig.ts).
  external: ['vscode', './profileManager.js', './connectionTest.js', './cliConfigText.js'],
  // See src/shims/whatwg-url.ts: keeps node-fetch's unused URL polyfill out of the bundle.
  // jsonc-parser's `main` is a UMD build whose require() calls esbuild cannot follow (the bundle
  // then fails at run time with "Cannot find module './impl/format'"): its ES module build instead.
  alias: { 'whatwg-url': join(root, 'src/shims/whatwg-url.ts'), 'jsonc-parser': join(root, 'node_modules/jsonc-parser/lib/esm/main.js') },
  minify: production,
  sourcemap: !production,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

// The Profile Manager's host and the page's message schemas: not needed until the view opens, so
// not loaded (nor compiled) when the extension activates in every window.
const profileManagerHost = {
  ...extension,
  entryPoints: [join(root, 'src/ui/profileManagerView.ts')],
  outfile: join(root, 'dist/profileManager.js'),
  external: ['vscode', './cliConfigText.js'],
};

// Test connection's diagnostic: needed only when someone tests a connection.
const connectionTest = {
  ...extension,
  entryPoints: [join(root, 'src/ui/connectionTest.ts')],
  outfile: join(root, 'dist/connectionTest.js'),
  external: ['vscode', './cliConfigText.js'],
};

// Editing the CoderFlow CLI config as text (jsonc-parser): needed only to write it, or to say where a broken one breaks.
const cliConfigText = {
  ...extension,
  entryPoints: [join(root, 'src/auth/cliConfigText.ts')],
  outfile: join(root, 'dist/cliConfigText.js'),
  external: [],
};

const webview = {
  // diagnostic: Test connection's view, loaded by the page on the first result (diagnosticLoader.ts).
  entryPoints: { main: join(root, 'webview-ui/main.ts'), diagnostic: join(root, 'webview-ui/connectionDiagnostic.ts') },
  outdir: join(root, 'dist/webview'),
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  minify: production,
  sourcemap: !production,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

// The page uses a handful of codicons; shipping the whole stylesheet (33 KB, one rule per icon)
// would cost more than the page's own CSS. Keep the font, the base rules, and the rules of the
// icons the page's code names (`icon('name')` in webview-ui).
function usedIconNames() {
  const names = new Set();
  const dir = join(root, 'webview-ui');
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.ts')) continue;
    for (const match of readFileSync(join(dir, file), 'utf8').matchAll(/\bicon\('([a-z0-9-]+)'/g)) names.add(match[1]);
  }
  return names;
}

function copyCodicons() {
  const from = join(root, 'node_modules/@vscode/codicons/dist');
  const to = join(root, 'dist/webview/codicons');
  mkdirSync(to, { recursive: true });
  cpSync(join(from, 'codicon.ttf'), join(to, 'codicon.ttf'));
  const css = readFileSync(join(from, 'codicon.css'), 'utf8');
  const names = usedIconNames();
  const kept = css
    .split('\n')
    .filter((line) => {
      const rule = /^\.codicon-([a-z0-9-]+):before\s*\{/.exec(line);
      return !rule || names.has(rule[1]);
    })
    .join('\n');
  writeFileSync(join(to, 'codicon.css'), kept);
}

// A production build starts from an empty dist/, so no source map of an earlier build is packaged.
if (production) rmSync(join(root, 'dist'), { recursive: true, force: true });

const targets = [extension, profileManagerHost, connectionTest, cliConfigText];
if (existsSync(webview.entryPoints.main)) targets.push(webview);

if (watch) {
  for (const options of targets) await (await esbuild.context(options)).watch();
  copyCodicons();
  console.log('watching for changes…');
} else {
  await Promise.all(targets.map((options) => esbuild.build(options)));
  if (targets.includes(webview)) copyCodicons();
}
