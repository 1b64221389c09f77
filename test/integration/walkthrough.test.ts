import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vscode = require('vscode');
import type { ProfileMeta } from '../../src/profiles/profile';
import { CONTEXT_KEYS, type ContextKeyName } from '../../src/vscode/contextKeys';
import { api, EXTENSION_ID, serverUrl, until } from './support';

// The walkthrough (package.json, contributes.walkthroughs) completes its steps on context keys and
// commands. VS Code has no API to read a walkthrough's progress or a context key, so this checks
// that every completion event names something the extension sets or registers, and that the
// context keys are set (as VS Code accepted them, through the testing hooks) by the real events.

interface Step {
  id: string;
  completionEvents?: string[];
  media: { svg?: string; image?: string; markdown?: string; altText?: string };
}

describe('Walkthrough: each step completes on the real event (extension host)', function () {
  this.timeout(60_000);
  let cliDir: string;
  let cliFile: string;
  const made: string[] = [];
  const settings = () => vscode.workspace.getConfiguration('profoundCoder');
  const contextKey = async (name: ContextKeyName) => (await api()).testing.contextKeys.get(name);
  /** Waits until the context key holds `value` (the CLI config watcher polls every 2 s). */
  const becomes = (name: ContextKeyName, value: boolean) =>
    until(`${CONTEXT_KEYS[name]} becomes ${value}`, async () => ((await contextKey(name)) === value ? true : undefined), 10_000);

  before(async () => {
    cliDir = mkdtempSync(join(tmpdir(), 'coderflow-walkthrough-'));
    cliFile = join(cliDir, 'config.json');
    // A CLI configuration that does not exist yet, never the machine's own ~/.coderflow.
    await settings().update('cliConfigPath', cliFile, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    const { testing } = await api();
    for (const id of made) {
      await testing.signOut(id, true).catch(() => undefined);
      await testing.store.remove(id).catch(() => undefined);
    }
    await settings().update('cliConfigPath', undefined, vscode.ConfigurationTarget.Global);
    rmSync(cliDir, { recursive: true, force: true });
  });

  it('names in its completion events only context keys the extension sets and commands it registers', async () => {
    const manifest = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { walkthroughs: Array<{ steps: Step[] }> } };
    const steps = manifest.contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps);
    assert.deepEqual(steps.map((step) => step.id), ['signIn', 'cliConfig', 'manageKeys']);
    const commands = new Set(await vscode.commands.getCommands(true));
    const keys = new Set<string>(Object.values(CONTEXT_KEYS));
    for (const step of steps) {
      const events = step.completionEvents ?? [];
      // Without completion events a step is done as soon as it is opened: not by the real event.
      assert.ok(events.length > 0, `${step.id} has completion events`);
      for (const event of events) {
        const [kind, name] = event.split(/:(.*)/s);
        if (kind === 'onContext') assert.ok(keys.has(name), `${step.id}: ${name} is a context key the extension sets`);
        else if (kind === 'onCommand') assert.ok(commands.has(name), `${step.id}: ${name} is a registered command`);
        else assert.fail(`${step.id}: unexpected completion event ${event}`);
      }
      assert.ok(step.media.altText, `${step.id}'s picture has a text alternative`);
    }
  });

  it(`sets ${CONTEXT_KEYS.cliConfigFound} once a CoderFlow CLI configuration appears`, async () => {
    await becomes('cliConfigFound', false);
    writeFileSync(cliFile, JSON.stringify({ server: serverUrl() }));
    await becomes('cliConfigFound', true);
    // A file that cannot be read as a configuration is not "found".
    writeFileSync(cliFile, '{ not json');
    await becomes('cliConfigFound', false);
  });

  it(`sets ${CONTEXT_KEYS.signedIn} when a sign-in gives a credential and clears it on sign-out, and ${CONTEXT_KEYS.keyListShown} when the Profile Manager lists the keys`, async () => {
    const { testing } = await api();
    // Signed out of everything: no profile chosen, and the CLI configuration above has no key.
    await testing.store.select(undefined);
    await becomes('signedIn', false);
    assert.notEqual(await contextKey('keyListShown'), true, 'no key list shown while signed out');
    const profile = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signIn', {
      method: 'password', serverUrl: serverUrl(), username: 'alice', password: 'alice-password', profileName: 'IT walkthrough',
    });
    made.push(profile.id);
    await becomes('signedIn', true);

    // The page lists the active profile's keys by itself once it opens.
    await vscode.commands.executeCommand('profoundCoder.openProfileManager');
    await until('the Profile Manager lists the keys', async () => ((await contextKey('keyListShown')) ? true : undefined), 30_000);

    await testing.signOut(profile.id, true);
    await becomes('signedIn', false);
    await becomes('keyListShown', false);
  });
});
