import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credential } from '../../../src/core/credentialChain';
import { ProfileStore } from '../../../src/profiles/store';
import { CredentialService, type SettingsSnapshot } from '../../../src/services/credentialService';
import { MemoryMemento, MemorySecrets } from '../profiles/memoryStorage';

const PROFILE_KEY = 'pc_' + '1'.repeat(64);
const CLI_KEY = 'pc_' + '2'.repeat(64);
const CLI_KEY_2 = 'pc_' + '3'.repeat(64);
const SETTING_KEY = 'pc_' + '4'.repeat(64);

describe('CredentialService', () => {
  let home: string;
  let settings: SettingsSnapshot;
  let store: ProfileStore;
  let service: CredentialService;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'coderflow-cred-'));
    settings = { ignored: [] };
    store = new ProfileStore(new MemoryMemento(), new MemorySecrets(), new MemoryMemento());
    service = new CredentialService({ store, settings: () => settings, env: {}, homedir: home, log: () => undefined });
  });
  afterEach(async () => {
    service.dispose();
    await rm(home, { recursive: true, force: true });
  });

  async function writeCliConfig(config: unknown) {
    await import('node:fs/promises').then((fs) => fs.mkdir(join(home, '.coderflow'), { recursive: true }));
    const file = join(home, '.coderflow', 'config.json');
    await writeFile(`${file}.tmp`, JSON.stringify(config, null, 2), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }

  it('says nothing is signed in, and why, when no source has a key', async () => {
    const state = await service.refresh();
    assert.equal(state.credential, undefined);
    assert.equal(state.considered.length, 5);
    assert.ok(state.considered.every((c) => !c.used && c.reason.length > 0));
  });

  it('falls back to the settings when there is no profile and no CLI config', async () => {
    settings = { serverUrl: 'https://cf.example.com', apiKey: SETTING_KEY, scope: 'User settings', ignored: [] };
    const state = await service.refresh();
    assert.equal(state.credential?.source, 'setting');
    assert.equal(state.credential?.apiKey, SETTING_KEY);
  });

  it('prefers the chosen profile over the CLI config and tells when the choice changes', async () => {
    await writeCliConfig({ server: 'https://cli.example.com', apiKey: CLI_KEY });
    assert.equal((await service.refresh()).credential?.source, 'cli-base');
    const seen: Array<Credential | undefined> = [];
    service.onDidChangeCredential((c) => seen.push(c));
    const profile = await store.save({ name: 'Work', serverUrl: 'https://cf.example.com', method: 'password', createdByExtension: true }, PROFILE_KEY);
    await store.select(profile.id);
    const state = await service.refresh();
    assert.equal(state.credential?.source, 'profile');
    assert.equal(state.credential?.apiKey, PROFILE_KEY);
    assert.ok(seen.some((c) => c?.source === 'profile'));
  });

  it('picks up a CLI config rewritten on disk (a `coder login` in a terminal) within 2 s', async () => {
    await writeCliConfig({ server: 'https://cli.example.com', apiKey: CLI_KEY });
    await service.refresh();
    const changed = new Promise<Credential | undefined>((resolve) => service.onDidChangeCredential(resolve));
    await writeCliConfig({ server: 'https://cli.example.com', apiKey: CLI_KEY_2 });
    const started = Date.now();
    const credential = await Promise.race([changed, new Promise<undefined>((r) => setTimeout(r, 2000))]);
    assert.equal(credential?.apiKey, CLI_KEY_2, `no change seen within ${Date.now() - started} ms`);
  });

  it('reports settings that were ignored', async () => {
    settings = { ignored: ['profoundCoder.apiKey in Workspace settings is ignored: this workspace is not trusted.'] };
    const state = await service.refresh();
    assert.deepEqual(state.ignoredSettings, settings.ignored);
  });
});
