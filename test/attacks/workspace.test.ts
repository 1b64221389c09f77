import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthError } from '../../src/core/errors';
import type { Credential } from '../../src/core/credentialChain';
import { decideTerminalKey } from '../../src/services/apiKeys/terminalPolicy';
import { pickSettings } from '../../src/services/settingsPolicy';
import { folderHolding } from '../../src/services/workspacePaths';
import { observe } from '../support/attackTable';

// A repository a person opens (and trusts, to work on it) must not be able to redirect their
// credentials: not by pointing the extension at a CLI config it ships, not by having a key saved
// into its folder, and not by making a terminal's coder CLI send the key to another server.

const KEY = `pc_${'d4'.repeat(32)}`;
const SERVER = 'https://coderflow.example.com';
const profile: Credential = { serverUrl: SERVER, apiKey: KEY, source: 'profile', detail: "Profile 'work' (Profile Manager)" };
const cliFile = '/home/alice/.coderflow/config.json';
const cliConfig = (config: object) => ({ state: 'ok' as const, path: cliFile, config, raw: JSON.stringify(config) });
const terminal = (cli: Parameters<typeof decideTerminalKey>[0]['cli']) => decideTerminalKey({ enabled: true, workspaceTrusted: true, credential: profile, cli, profileName: 'work' });

describe('attack: a workspace or a CLI config redirects credentials', () => {
  it('a trusted workspace sets profoundCoder.cliConfigPath to a file in the repository → ignored, the User settings’ value used', () => {
    const settings = pickSettings({ cliConfigPath: { globalValue: '~/.coderflow/config.json', workspaceValue: './attacker-cli.json' } }, true);
    observe(settings.ignored.join(' '));
    assert.equal(settings.cliConfigPath, '~/.coderflow/config.json');
    assert.match(settings.ignored.join(' '), /cliConfigPath in Workspace settings is ignored: it is read from your User settings only/);
  });

  it('a workspace sets its own profoundCoder.serverUrl next to your User settings key → your key stays with your server', () => {
    const settings = pickSettings({ apiKey: { globalValue: KEY }, serverUrl: { globalValue: SERVER, workspaceValue: 'https://attacker.example' } }, true);
    observe(`key paired with ${settings.serverUrl}`);
    assert.equal(settings.apiKey, KEY);
    assert.equal(settings.serverUrl, SERVER);
  });

  it('an untrusted workspace brings its own profoundCoder.apiKey and serverUrl → both ignored, and said so', () => {
    const settings = pickSettings({ apiKey: { workspaceValue: `pc_${'0b'.repeat(20)}` }, serverUrl: { workspaceValue: 'https://attacker.example' } }, false);
    observe(settings.ignored.join(' '));
    assert.equal(settings.apiKey, undefined);
    assert.equal(settings.serverUrl, undefined);
    assert.equal(settings.ignored.length, 2);
  });

  it('profoundCoder.cliConfigPath in package.json → application scope (VS Code takes it from User settings only)', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> } };
    };
    const scope = manifest.contributes.configuration.properties['profoundCoder.cliConfigPath']?.scope;
    observe(`scope: ${scope}`);
    assert.ok(scope === 'application' || scope === 'machine', String(scope));
  });

  it('Save to CLI profile into a config inside the workspace folder (directly or through a symbolic link) → refused', () => {
    const home = mkdtempSync(join(tmpdir(), 'coderflow-ws-'));
    try {
      const workspace = join(home, 'repo');
      const outside = join(home, 'cli');
      for (const dir of [workspace, outside]) mkdirSync(dir);
      symlinkSync(workspace, join(outside, 'link'));
      const inside = [join(workspace, 'cf.json'), join(workspace, 'sub', 'new', 'cf.json'), join(outside, 'link', 'cf.json'), join(workspace, '..', 'repo', 'cf.json')];
      const found = inside.map((file) => folderHolding(file, [workspace]));
      observe(`refused: ${found.filter(Boolean).length} of ${inside.length}; allowed: ${join(outside, 'config.json')}`);
      assert.deepEqual(found, inside.map(() => workspace));
      assert.equal(folderHolding(join(outside, 'config.json'), [workspace]), undefined);
      assert.equal(folderHolding(join(home, 'repo-other', 'cf.json'), [workspace]), undefined, 'a sibling whose name starts the same is outside');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('`coder profile switch staging` (the CLI config now names another server) → new terminals get no key', () => {
    const before = terminal(cliConfig({ activeProfile: 'prod', profiles: { prod: { server: SERVER }, staging: { server: 'https://staging.example.com' } } }));
    const after = terminal(cliConfig({ activeProfile: 'staging', profiles: { prod: { server: SERVER }, staging: { server: 'https://staging.example.com' } } }));
    observe(after.inject ? 'injected' : after.reason);
    assert.equal(before.inject, true);
    assert.equal(after.inject, false);
  });

  it('the CLI’s config is missing → new terminals get no key (the CLI’s server is unknown)', () => {
    const decision = terminal({ state: 'missing', path: cliFile });
    observe(decision.inject ? 'injected' : decision.reason);
    assert.equal(decision.inject, false);
  });

  it('the CLI’s config cannot be read → new terminals get no key', () => {
    const decision = terminal({ state: 'error', path: cliFile, error: new AuthError('bad-input', 'not JSON') });
    observe(decision.inject ? 'injected' : decision.reason);
    assert.equal(decision.inject, false);
  });
});
