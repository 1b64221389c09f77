import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';

// out/test/unit → the repository root.
const root = join(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The modules a TypeScript file imports or requires, by specifier. */
function importsOf(source: string): string[] {
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  return [...source.matchAll(pattern)].map((m) => m[1]);
}

describe('src/core is plain Node', () => {
  it('finds vscode imports in every form the check looks for', () => {
    const sample = `import * as vscode from 'vscode';\nimport type { Uri } from "vscode";\nconst v = require('vscode');\nawait import('vscode');\nimport 'vscode';`;
    assert.deepEqual(importsOf(sample), ['vscode', 'vscode', 'vscode', 'vscode', 'vscode']);
  });

  it('has no file that imports vscode', () => {
    const files = ['core', 'services', 'profiles', 'shared'].flatMap((folder) => sourceFiles(join(root, 'src', folder)));
    assert.ok(files.length >= 30, `expected the core, services, profiles and shared sources, found ${files.length}`);
    const offenders = files.filter((file) => importsOf(readFileSync(file, 'utf8')).some((spec) => spec === 'vscode' || spec.startsWith('vscode/')));
    assert.deepEqual(offenders, []);
  });

  it('imports nothing from outside src/core and src/shared except Node built-ins, zod/mini, node-fetch, jsonc-parser and @vscode/l10n', () => {
    const core = join(root, 'src', 'core');
    for (const file of sourceFiles(core)) {
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        // src/shared holds definitions the page shares, plain TypeScript without node: or vscode.
        const inside = spec.startsWith('.') && [core, join(root, 'src', 'shared')].some((folder) => resolve(dirname(file), spec).startsWith(folder + sep));
        const allowed = inside || spec.startsWith('node:') || spec === 'zod/mini' || spec === 'node-fetch' || spec === 'jsonc-parser' || spec === '@vscode/l10n';
        assert.ok(allowed, `${file} imports ${spec}`);
      }
    }
  });
});

describe('src/shared is plain TypeScript', () => {
  it('imports nothing but @vscode/l10n and zod/mini (which run in both): the page and the host both load it', () => {
    for (const file of sourceFiles(join(root, 'src', 'shared'))) {
      assert.deepEqual(importsOf(readFileSync(file, 'utf8')).filter((spec) => !spec.startsWith('./') && spec !== '@vscode/l10n' && spec !== 'zod/mini'), [], file);
    }
  });
});

describe('the source tree', () => {
  const files = ['src', 'webview-ui'].flatMap((folder) => allFiles(join(root, folder)));

  it('has no file under src/ or webview-ui/ over 350 lines', () => {
    const long = files.filter((file) => /\.(ts|css)$/.test(file)).filter((file) => readFileSync(file, 'utf8').split('\n').length > 351);
    assert.deepEqual(long, []);
  });

  it('has no two source files with the same name (index.ts aside)', () => {
    const byName = new Map<string, string[]>();
    for (const file of files.filter((name) => name.endsWith('.ts'))) {
      const name = basename(file);
      if (name !== 'index.ts') byName.set(name, [...(byName.get(name) ?? []), file]);
    }
    assert.deepEqual([...byName.values()].filter((paths) => paths.length > 1), []);
  });
});

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? allFiles(join(dir, entry.name)) : [join(dir, entry.name)]));
}
