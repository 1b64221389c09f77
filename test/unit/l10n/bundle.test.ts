import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

// The English bundle (l10n/bundle.l10n.json) is what translators translate and what the page is
// sent: it must be what `npm run l10n` makes from the sources now, and the manifest's %keys% must
// all be in package.nls.json.
const root = join(__dirname, '..', '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

describe('localisation bundle', function () {
  // l10n-dev parses every source file with tree-sitter.
  this.timeout(60_000);

  it('l10n/bundle.l10n.json is what npm run l10n exports from the sources (run it and commit the result)', () => {
    const script = (readJson(join(root, 'package.json')).scripts as Record<string, string>).l10n;
    assert.ok(script, 'package.json has an l10n script');
    const out = mkdtempSync(join(tmpdir(), 'coderflow-l10n-'));
    try {
      // The script's own command line, with only the output folder changed.
      const args = script.split(/\s+/).slice(1).map((arg, i, all) => (all[i - 1] === '--outDir' ? out : arg));
      const cli = join(root, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
      const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(readFileSync(join(root, 'l10n', 'bundle.l10n.json'), 'utf8'), readFileSync(join(out, 'bundle.l10n.json'), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('holds the texts of the host and the page, so the export really reads every part', () => {
    const bundle = readJson(join(root, 'l10n', 'bundle.l10n.json'));
    for (const text of [
      'Invalid API key: the key was deleted, mistyped, or belongs to a deleted user.', // src/core/errors.ts
      'Not signed in to CoderFlow. Click to open the Profile Manager.', // src/vscode/statusBar.ts
      'CoderFlow connection report', // src/services/connectionCheck/diagnosticReport.ts
    ]) {
      assert.ok(text in bundle, `missing from the bundle: ${text}`);
    }
  });

  it('every text goes through @vscode/l10n as l10n.t(…): no vscode.l10n.t, no t imported alone (the export does not see it)', () => {
    const offenders = [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'webview-ui'))].flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const where = relative(root, file);
      return [
        ...(/\bvscode\.l10n\.t\s*\(/.test(text) ? [`${where}: vscode.l10n.t`] : []),
        ...(/import\s*\{[^}]*\bt\b[^}]*\}\s*from\s*['"]@vscode\/l10n['"]/.test(text) ? [`${where}: import { t }`] : []),
        ...(/import\s+\*\s+as\s+(?!l10n\b)\w+\s+from\s*['"]@vscode\/l10n['"]/.test(text) ? [`${where}: @vscode/l10n imported under another name`] : []),
      ];
    });
    assert.deepEqual(offenders, []);
  });

  it("package.json's %placeholders% are all in package.nls.json, and package.nls.json holds no other key", () => {
    const manifest = readFileSync(join(root, 'package.json'), 'utf8');
    const used = new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
    const defined = new Set(Object.keys(readJson(join(root, 'package.nls.json'))));
    assert.ok(used.size >= 20, `expected the manifest's texts as placeholders, found ${used.size}`);
    assert.deepEqual([...used].filter((key) => !defined.has(key)), [], 'placeholders without a text');
    assert.deepEqual([...defined].filter((key) => !used.has(key)), [], 'texts no placeholder uses');
  });

  it('the manifest shows no command title, setting description or walkthrough text in English directly', () => {
    const manifest = readJson(join(root, 'package.json')) as {
      contributes: {
        commands: Array<{ title: string; category?: string }>;
        configuration: { title: string; properties: Record<string, { description?: string; markdownDescription?: string }> };
        walkthroughs: Array<{ title: string; description: string; steps: Array<{ title: string; description: string; media: { altText?: string } }> }>;
        views: Record<string, Array<{ name: string }>>;
      };
    };
    const c = manifest.contributes;
    const texts = [
      ...c.commands.flatMap((cmd) => [cmd.title, ...(cmd.category ? [cmd.category] : [])]),
      c.configuration.title,
      ...Object.values(c.configuration.properties).flatMap((p) => [p.description, p.markdownDescription].filter((t): t is string => t !== undefined)),
      ...c.walkthroughs.flatMap((w) => [w.title, w.description, ...w.steps.flatMap((s) => [s.title, s.description, ...(s.media.altText ? [s.media.altText] : [])])]),
      ...Object.values(c.views).flatMap((views) => views.map((v) => v.name)),
    ];
    assert.deepEqual(texts.filter((text) => !/^%[^%]+%$/.test(text)), []);
  });
});
