import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_IDS, CONTRIBUTED_COMMAND_IDS, INTERNAL_COMMAND_IDS } from '../../../../src/vscode/commands/commandIds';

// out/test/unit/vscode/commands → the repository root.
const root = join(__dirname, '..', '..', '..', '..', '..');

interface Manifest {
  contributes: {
    commands: Array<{ command: string }>;
    menus?: Record<string, Array<{ command?: string }>>;
    walkthroughs?: Array<{ steps: Array<{ completionEvents?: string[] }> }>;
  };
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('The command ids (src/vscode/commands/commandIds.ts)', () => {
  it('are the commands package.json contributes, no more and no fewer', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 10, `expected the palette's commands, found ${contributed.length}`);
    assert.deepEqual([...CONTRIBUTED_COMMAND_IDS].sort(), [...contributed].sort());
  });

  it('name the internal commands, which package.json does not contribute', () => {
    assert.deepEqual([...INTERNAL_COMMAND_IDS].sort(), ['profoundCoder.importFromCli', 'profoundCoder.saveToCliProfile']);
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    assert.deepEqual(INTERNAL_COMMAND_IDS.filter((id) => contributed.has(id)), []);
  });

  it('hold each id once', () => {
    assert.equal(new Set(COMMAND_IDS).size, COMMAND_IDS.length);
    assert.equal(COMMAND_IDS.length, CONTRIBUTED_COMMAND_IDS.length + INTERNAL_COMMAND_IDS.length);
  });

  it('include every command that package.json, its texts and the sources run', () => {
    const known = new Set<string>(COMMAND_IDS);
    const menus = Object.values(manifest.contributes.menus ?? {}).flatMap((items) => items.flatMap((item) => (item.command ? [item.command] : [])));
    const events = (manifest.contributes.walkthroughs ?? []).flatMap((w) => w.steps.flatMap((s) => s.completionEvents ?? []));
    const onCommand = events.filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length));
    const links = [...readFileSync(join(root, 'package.nls.json'), 'utf8').matchAll(/command:(profoundCoder\.[A-Za-z]+)/g)].map((m) => m[1] ?? '');
    const executed = sourceFiles(join(root, 'src')).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/executeCommand\(\s*'(profoundCoder\.[A-Za-z]+)'/g)].map((m) => m[1] ?? ''));
    assert.ok(menus.length > 0 && onCommand.length > 0 && links.length > 0 && executed.length > 0, 'each place names at least one command');
    assert.deepEqual([...menus, ...onCommand, ...links, ...executed].filter((id) => !known.has(id)), []);
  });
});
