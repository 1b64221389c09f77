// knip's configuration: what counts as used. The bundles' entries are read from the table the build
// uses (scripts/bundles.mjs), so a new lazily loaded bundle is an entry here without a second list.
import { LAZY } from './scripts/bundles.mjs';

export default {
  entry: [
    'src/extension.ts',
    ...Object.values(LAZY),
    'src/shims/whatwg-url.ts',
    'src/shims/zodMini.ts',
    'src/shims/l10nConfigured.ts',
    'webview-ui/main.ts',
    'webview-ui/diagnosticSteps.ts',
    'test/**/*.test.ts',
    'test/integration/index.ts',
    'test/integration/runBrowser.ts',
    'test/integration/runDesktop.ts',
    'test/server/main.ts',
    'test/server/index.ts',
    'test/support/vscodeServer.ts',
    'test/bench/run.ts',
    'test/bench/compare.ts',
    'test/bench/trigger.ts',
    'test/fixtures/*/extension.js',
    'scripts/*.mjs',
    'scripts/*.cjs',
  ],
  project: ['src/**/*.ts', 'webview-ui/**/*.ts', 'test/**/*.{ts,js}', 'scripts/*.{mjs,cjs}'],
  ignoreExportsUsedInFile: true,
  ignoreDependencies: ['@vscode/codicons', 'oidc-provider'],
  ignoreBinaries: ['dpkg-query', 'openssl', 'chattr'],
  // Required as './<name>.js' by loaders that are not next to their entries: they resolve only in dist/.
  ignoreUnresolved: ['./terminal.js', './keys.js', './profileManager.js'],
};
