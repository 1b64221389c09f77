import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vscode = require('vscode');
import type { ProfileMeta } from '../../src/profiles/profile';
import { RIVAL_PROFILE, startCliConfigRival, type CliConfigRival } from '../support/cliConfigRival';
import { api, serverUrl } from './support';

// Races: the CoderFlow CLI config rewritten by another process while the extension
// saves a profile into it (Save to CLI profile). Whatever the order, the file must end as JSON
// that parses and keep mode 0600; a save that meets a file mid-write is refused with a message.

const ROUNDS = 30;
const WRITES_PER_ROUND = 12;
const CLI_PROFILE = 'work';

interface CliFile {
  profiles?: Record<string, { server?: string; apiKey?: string }>;
}

describe('Save to CLI profile while another process rewrites the CLI config (extension host)', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;
  let rival: CliConfigRival;
  let profile: ProfileMeta;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coderflow-cli-race-'));
    file = join(dir, 'config.json');
    await vscode.workspace.getConfiguration('profoundCoder').update('cliConfigPath', file, vscode.ConfigurationTarget.Global);
    profile = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signIn', {
      method: 'password', serverUrl: serverUrl(), username: 'alice', password: 'alice-password', profileName: 'IT cli race',
    });
    rival = await startCliConfigRival(file);
  });

  after(async () => {
    await rival?.stop();
    await vscode.workspace.getConfiguration('profoundCoder').update('cliConfigPath', undefined, vscode.ConfigurationTarget.Global);
    if (profile) await (await api()).testing.store.remove(profile.id);
    rmSync(dir, { recursive: true, force: true });
  });

  const save = async () => (await api()).testing.keyActions.saveToCli({ profileId: profile.id, cliProfile: CLI_PROFILE }, { replace: true });
  const mode = () => statSync(file).mode & 0o777;
  const read = (): CliFile => JSON.parse(readFileSync(file, 'utf8')) as CliFile;
  const leftovers = () => readdirSync(dir).filter((name) => name !== 'config.json');

  it('makes a config other users could read private (0600) on the first save', async () => {
    writeFileSync(file, `${JSON.stringify({ profiles: { [RIVAL_PROFILE]: { server: 'https://rival.example/0' } } }, null, 2)}\n`, { mode: 0o644 });
    assert.equal(mode(), 0o644);
    await save();
    assert.equal(mode(), 0o600);
    assert.equal(read().profiles?.[CLI_PROFILE]?.apiKey, await (await api()).testing.store.getKey(profile.id));
  });

  it(`ends every one of ${ROUNDS} rounds of concurrent writes with JSON that parses, mode 0600 and no temporary file left`, async function () {
    const outcomes = { saved: 0, refused: 0 };
    let corruptReads = 0;
    let overlapped = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const started = Date.now();
      const saving = save().then(
        () => 'saved' as const,
        (error: unknown) => {
          // A file caught in the middle of an in-place rewrite does not parse: refused, not written.
          const message = error instanceof Error ? error.message : String(error);
          assert.match(message, /CLI config|config\.json/, `round ${round}: the failure names the file: ${message}`);
          return 'refused' as const;
        },
      );
      const ended = saving.then(() => Date.now());
      const [outcome, burst, savedAt] = await Promise.all([saving, rival.burst(WRITES_PER_ROUND), ended]);
      // The other process's writes and the save overlapped in time (to the millisecond).
      if (burst.firstAt <= savedAt && burst.lastAt >= started) overlapped++;
      outcomes[outcome]++;
      corruptReads += burst.corruptReads;
      const text = readFileSync(file, 'utf8');
      assert.doesNotThrow(() => JSON.parse(text), `round ${round}: the file parses (${JSON.stringify(text.slice(0, 200))})`);
      assert.equal(mode().toString(8), '600', `round ${round}: mode`);
      assert.deepEqual(leftovers(), [], `round ${round}: no temporary file left beside the config`);
    }
    assert.equal(corruptReads, 0, 'the other process never found the file half-written by the extension');
    assert.ok(outcomes.saved > 0, `some saves went through (${JSON.stringify(outcomes)})`);
    assert.ok(overlapped >= ROUNDS / 2, `the two writers ran at the same time in ${overlapped} of ${ROUNDS} rounds`);
    this.test!.title += ` (overlapping in ${overlapped} rounds; ${outcomes.saved} saved, ${outcomes.refused} refused mid-write)`;
  });

  it('keeps the other process’s entry and holds the key after a last save on its own', async () => {
    await save();
    const config = read();
    assert.equal(config.profiles?.[CLI_PROFILE]?.apiKey, await (await api()).testing.store.getKey(profile.id));
    assert.equal(config.profiles?.[CLI_PROFILE]?.server, profile.serverUrl);
    assert.match(config.profiles?.[RIVAL_PROFILE]?.server ?? '', /^https:\/\/rival\.example\/\d+$/);
    assert.equal(mode(), 0o600);
  });
});
