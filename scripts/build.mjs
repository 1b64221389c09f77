// Bundles the extension (Node, CommonJS) and the Profile Manager page (browser) with esbuild.
// --production: minified, no source maps (the VSIX ships only what runs). --watch: rebuild on change.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, existsSync } from 'node:fs';
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
  external: ['vscode'],
  // See src/shims/whatwg-url.ts: keeps node-fetch's unused URL polyfill out of the bundle.
  alias: { 'whatwg-url': join(root, 'src/shims/whatwg-url.ts') },
  minify: production,
  sourcemap: !production,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

const webview = {
  entryPoints: { main: join(root, 'webview-ui/main.ts') },
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

function copyCodicons() {
  const from = join(root, 'node_modules/@vscode/codicons/dist');
  const to = join(root, 'dist/webview/codicons');
  mkdirSync(to, { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) cpSync(join(from, file), join(to, file));
}

const targets = [extension];
if (existsSync(webview.entryPoints.main)) targets.push(webview);

if (watch) {
  for (const options of targets) await (await esbuild.context(options)).watch();
  copyCodicons();
  console.log('watching for changes…');
} else {
  await Promise.all(targets.map((options) => esbuild.build(options)));
  if (targets.includes(webview)) copyCodicons();
}
