import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const repoRoot = join(__dirname, '../../../..');

interface Sizes {
  packageInCopy(): Promise<{ vsix: string; remove(): void }>;
  unpackVsix(vsix: string, into: string): string;
}

// The extension is several bundles that require each other when first needed (scripts/build.mjs).
// Read from the VSIX as VS Code installs it: what one bundle requires must ship, and the modules
// they share must be one instance.
describe('the packaged bundles', function () {
  this.timeout(120_000);
  let installed: string;
  let cleanup: () => void = () => undefined;

  before(async () => {
    const sizes = (await import(pathToFileURL(join(repoRoot, 'scripts/sizes.mjs')).href)) as Sizes;
    const packaged = await sizes.packageInCopy();
    const into = mkdtempSync(join(tmpdir(), 'coderflow-installed-'));
    cleanup = () => {
      packaged.remove();
      rmSync(into, { recursive: true, force: true });
    };
    installed = sizes.unpackVsix(packaged.vsix, into);
  });
  after(() => cleanup());

  it('ships every bundle another one requires', () => {
    const dist = join(installed, 'dist');
    const shipped = new Set(readdirSync(dist));
    const required = new Set<string>();
    for (const file of shipped) {
      if (!file.endsWith('.js')) continue;
      for (const match of readFileSync(join(dist, file), 'utf8').matchAll(/require\("\.\/([^"]+)"\)/g)) required.add(match[1]);
    }
    // The lazily loaded ones at least: a change that drops one of them from the requires is seen here too.
    for (const lazy of ['actions.js', 'profileSchema.js', 'terminal.js', 'cliConfigSchema.js', 'apiKeyFormat.js', 'profileWrites.js', 'legacyList.js', 'storageErrors.js', 'serverUrlProblems.js', 'zod.js', 'profileManager.js', 'connectionTest.js', 'keys.js', 'cliConfigText.js', 'nodeFetch.js', 'l10n.js']) assert.ok(required.has(lazy), lazy);
    for (const file of required) assert.ok(shipped.has(file), `dist/${file} is required but not in the VSIX`);
  });

  it("gives a lazily loaded bundle VS Code's translations: the shared @vscode/l10n configures itself as it loads", () => {
    // A `vscode` module whose display language has a translation, where Node finds it from dist/;
    // then a bundle (the CLI config's text editing) says where a broken file breaks. The bundles
    // as VS Code loads them: require() of the installed files.
    mkdirSync(join(installed, 'node_modules/vscode'), { recursive: true });
    writeFileSync(join(installed, 'node_modules/vscode/index.js'), `exports.l10n = { bundle: ${JSON.stringify({ 'a value': 'ein Wert' })} };`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const text = require(join(installed, 'dist/cliConfigText.js')) as typeof import('../../../src/core/cliConfig/cliConfigText');
    assert.deepEqual(text.findJsonError('{"a": }'), { line: 1, column: 7, expected: 'ein Wert' });
  });
});
