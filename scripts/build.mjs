// Bundles the extension (Node, CommonJS) and the Profile Manager page (browser) with esbuild.
// --production: minified, no source maps (the VSIX ships only what runs). --watch: rebuild on change.
// --analyze: also print what each bundle holds, module by module (esbuild's metafile).
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { LAZY, SHARED } from './bundles.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const analyze = process.argv.includes('--analyze');

// What a shared bundle is built from, when not the package itself: zod/mini's entry holds all of
// zod (some 430 KB), the shim only the functions the sources call; @vscode/l10n's configures itself.
const SHARED_ENTRY = { 'zod/mini': join(root, 'src/shims/zodMini.ts'), '@vscode/l10n': join(root, 'src/shims/l10nConfigured.ts') };
// A namespace import (`import * as l10n from '@vscode/l10n'`) of an external module costs each
// importing file its own copy of the module object (esbuild's __toESM). Such imports of the modules
// below go through one module per bundle that re-exports the names, so a bundle makes one copy.
const REEXPORTED = new Set(['@vscode/l10n']);
const require = createRequire(import.meta.url);
function sharedModulesPlugin(specifiers) {
  const pattern = new RegExp(`^(${specifiers.map((name) => name.replace(/[/]/g, '\\/')).join('|')})$`);
  return {
    name: 'shared-modules',
    setup(build) {
      build.onResolve({ filter: pattern }, (args) =>
        REEXPORTED.has(args.path) && args.namespace !== 'reexport' ? { path: args.path, namespace: 'reexport' } : { path: SHARED[args.path], external: true },
      );
      build.onLoad({ filter: /.*/, namespace: 'reexport' }, (args) => ({
        contents: `export { ${Object.keys(require(args.path)).join(', ')} } from ${JSON.stringify(args.path)};`,
        resolveDir: root,
      }));
    },
  };
}
const sharedModules = sharedModulesPlugin(Object.keys(SHARED));
/** The shared modules but one, which the bundle carries a copy of instead. */
const sharedModulesBut = (carried) => sharedModulesPlugin(Object.keys(SHARED).filter((name) => name !== carried));
// VS Code intercepts every require('vscode') to find the extension that makes it (a realpath of
// the requiring file each time), and esbuild writes one for each importing file: one per bundle.
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "module.exports = require('vscode');" }));
  },
};
// The schemas read at activation (the CLI config, stored profiles) carry the few zod functions
// they use instead of requiring the shared zod.js: what a window keeps after starting is measured
// (npm run bench), and the whole of zod.js costs it more than a second, small copy.
const INLINE_ZOD = new Set(['cliConfigSchema', 'profileSchema']);
// dist/extension.js bundles its own copy of @vscode/l10n (the shim, which configures itself)
// instead of requiring dist/l10n.js: one file less to find, read and compile at activation. The
// shim takes the package's ES module build (dist/browser.js): the same config() and t(), without
// the loading of translation files by path, which the extension never asks it for.
const l10nShim = {
  name: 'l10n-shim',
  setup(build) {
    const shim = SHARED_ENTRY['@vscode/l10n'];
    build.onResolve({ filter: /^@vscode\/l10n$/ }, (args) => ({ path: args.importer === shim ? join(root, 'node_modules/@vscode/l10n/dist/browser.js') : shim }));
  },
};

const lazyRequires = Object.keys(LAZY).map((name) => `./${name}.js`);

const extension = {
  entryPoints: [join(root, 'src/extension.ts')],
  outfile: join(root, 'dist/extension.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode', ...lazyRequires],
  plugins: [l10nShim, sharedModulesBut('@vscode/l10n'), vscodeOnce],
  // `import('node-fetch')` (src/core/http/fetchWithTimeout.ts) as a require of the shared bundle, like the others.
  supported: { 'dynamic-import': false },
  // See src/shims/whatwg-url.ts: keeps node-fetch's unused URL polyfill out of the bundle.
  // jsonc-parser's `main` is a UMD build whose require() calls esbuild cannot follow (the bundle
  // then fails at run time with "Cannot find module './impl/format'"): its ES module build instead.
  alias: { 'whatwg-url': join(root, 'src/shims/whatwg-url.ts'), 'jsonc-parser': join(root, 'node_modules/jsonc-parser/lib/esm/main.js') },
  minify: production,
  // ASCII, with the few other characters (…, ’) as \u escapes: V8 keeps a script's source, and
  // one character beyond Latin-1 makes all of it a two-byte string, twice the file's size in memory.
  charset: 'ascii',
  sourcemap: !production,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

const lazyBundles = Object.entries(LAZY).map(([name, entry]) => ({
  ...extension,
  entryPoints: [join(root, entry)],
  outfile: join(root, `dist/${name}.js`),
  plugins: [INLINE_ZOD.has(name) ? sharedModulesBut('zod/mini') : sharedModules, vscodeOnce],
}));

// The shared modules themselves (see SHARED above).
const sharedBundles = Object.entries(SHARED).map(([name, path]) => ({
  ...extension,
  entryPoints: [SHARED_ENTRY[name] ?? name],
  outfile: join(root, 'dist', path),
  // The l10n shim reads VS Code's translations.
  external: ['vscode'],
  plugins: [l10nShim],
}));

const webview = {
  // Loaded by the page when first needed (scriptLoader.ts): diagnostic, Test connection's view, on
  // the first result (diagnosticLoader.ts); keys, the API key list, once an extension profile is in use (main.ts);
  // sso, the SSO sign-in's code panel, when one starts (ssoSection.ts). The page's CSS, main.css,
  // is what main.ts's modules import, in import order (see main.ts).
  entryPoints: {
    main: join(root, 'webview-ui/main.ts'),
    diagnostic: join(root, 'webview-ui/diagnosticSteps.ts'),
    keys: join(root, 'webview-ui/keysSectionScript.ts'),
    sso: join(root, 'webview-ui/ssoPanelScript.ts'),
  },
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

const targets = [extension, ...lazyBundles, ...sharedBundles];
if (existsSync(webview.entryPoints.main)) targets.push(webview);

if (watch) {
  for (const options of targets) await (await esbuild.context(options)).watch();
  copyCodicons();
  console.log('watching for changes…');
} else {
  const results = await Promise.all(targets.map((options) => esbuild.build(options)));
  if (analyze) for (const result of results) console.log(await esbuild.analyzeMetafile(result.metafile));
  if (targets.includes(webview)) copyCodicons();
}
