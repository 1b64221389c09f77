import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vscode = require('vscode');
import type { ProfileMeta } from '../../src/profiles/profile';
import type { RotationOutcome } from '../../src/services/apiKeys/apiKeyService';
import { whileUnwritable } from '../support/unwritable';
import { api, control, issueKey, meStatus, serverUrl, until } from './support';

// Rotation and signing in again move every holder of the old key first (CoderFlow's docs: create,
// update every place that uses the old key, test, delete); a pasted key learns its id; a profile
// name of another server or user is never replaced silently. In the real extension host, against
// the reference server the runner started.

type Window = Record<string, unknown>;

/** Answers VS Code's dialogs of one kind as `answer` says, and records what they asked. */
function answer(name: 'showWarningMessage' | 'showQuickPick' | 'showInputBox', reply: (...args: unknown[]) => unknown) {
  const window = vscode.window as unknown as Window;
  const original = window[name];
  const calls: unknown[][] = [];
  window[name] = (...args: unknown[]) => {
    calls.push(args);
    return Promise.resolve(reply(...args));
  };
  return { calls, restore: () => void (window[name] = original) };
}

const settings = () => vscode.workspace.getConfiguration('profoundCoder');
const cliKeyOf = (file: string, profile: string): string | undefined =>
  (JSON.parse(readFileSync(file, 'utf8')) as { profiles?: Record<string, { apiKey?: string }> }).profiles?.[profile]?.apiKey;

describe('Rotation and sign-in hand a key over to every holder (extension host)', function () {
  this.timeout(60_000);
  let dir: string;
  let cliFile: string;
  const made: string[] = [];

  async function signIn(username: string, profileName: string, extra: Record<string, unknown> = {}): Promise<ProfileMeta> {
    const profile = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signIn', {
      method: 'password', serverUrl: serverUrl(), username, password: `${username}-password`, profileName, ...extra,
    });
    made.push(profile.id);
    return profile;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'coderflow-rotation-'));
    cliFile = join(dir, 'config.json');
    // Never the real ~/.coderflow of the machine: the extension's setting and the CLI's variable.
    await settings().update('cliConfigPath', cliFile, vscode.ConfigurationTarget.Global);
    process.env.CODERFLOW_CONFIG = cliFile;
  });
  after(async () => {
    delete process.env.CODERFLOW_CONFIG;
    await settings().update('terminal.injectApiKey', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('cliConfigPath', undefined, vscode.ConfigurationTarget.Global);
    const { testing } = await api();
    for (const id of made) await testing.store.remove(id);
    rmSync(dir, { recursive: true, force: true });
  });

  it('rotation moves the CLI profile it was saved to and the terminal variable to the new key, then revokes the old key', async () => {
    const { testing } = await api();
    writeFileSync(cliFile, '{}\n', { mode: 0o600 });
    const profile = await signIn('alice', 'IT rotate');
    const oldKey = (await testing.store.getKey(profile.id))!;
    await testing.keyActions.saveToCli({ profileId: profile.id, cliProfile: 'it-rotate' });
    assert.equal(cliKeyOf(cliFile, 'it-rotate'), oldKey);
    await settings().update('terminal.injectApiKey', true, vscode.ConfigurationTarget.Global);
    const variable = () => testing.environmentVariableCollection.get('CODER_API_KEY')?.value;
    await until('the terminal gets the key', () => (variable() === oldKey ? true : undefined), 5000);

    const outcome = await vscode.commands.executeCommand<RotationOutcome>('profoundCoder.rotateApiKey', { profileId: profile.id, quiet: true });
    assert.equal(outcome.rotated, true, outcome.message);
    assert.equal(outcome.oldKeyRevoked, true, outcome.message);
    const newKey = (await testing.store.getKey(profile.id))!;
    assert.notEqual(newKey, oldKey);
    assert.equal(cliKeyOf(cliFile, 'it-rotate'), newKey, 'the CLI profile holds the new key');
    assert.equal(await meStatus(newKey), 200, 'which the server accepts');
    assert.equal(await meStatus(oldKey), 401);
    assert.equal(variable(), newKey, 'new terminals get the new key');
    assert.ok(outcome.movedTo?.includes(`CLI profile 'it-rotate' in ${cliFile}`), JSON.stringify(outcome.movedTo));
    assert.ok(outcome.movedTo?.some((place) => place.startsWith('CODER_API_KEY of new terminals')), JSON.stringify(outcome.movedTo));
    await settings().update('terminal.injectApiKey', undefined, vscode.ConfigurationTarget.Global);
  });

  it('names a CLI config it cannot write before revoking, and keeps the old key when the person says so', async function () {
    if (process.platform === 'win32') this.skip();
    const { testing } = await api();
    writeFileSync(cliFile, '{}\n', { mode: 0o600 });
    const profile = await signIn('alice', 'IT rotate stuck');
    const oldKey = (await testing.store.getKey(profile.id))!;
    await testing.keyActions.saveToCli({ profileId: profile.id, cliProfile: 'it-stuck' });
    const dialogs = answer('showWarningMessage', (message) => (/could not be updated/.test(String(message)) ? 'Keep Old Key' : undefined));
    let outcome: RotationOutcome;
    try {
      outcome = await whileUnwritable(cliFile, () => Promise.resolve(vscode.commands.executeCommand<RotationOutcome>('profoundCoder.rotateApiKey', { profileId: profile.id, quiet: true })));
    } finally {
      dialogs.restore();
    }
    const question = dialogs.calls.find((call) => /could not be updated/.test(String(call[0])));
    assert.ok(question, 'the person was asked before the old key was revoked');
    assert.match(String(question[0]), new RegExp(`the CoderFlow CLI config ${cliFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} could not be updated`));
    assert.deepEqual(question.slice(2), ['Revoke Old Key', 'Keep Old Key']);
    assert.equal((question[1] as { modal?: boolean }).modal, true);
    assert.equal(outcome.keptOnPurpose, true, outcome.message);
    assert.equal(await meStatus(oldKey), 200, 'the CLI keeps working with the old key');
    assert.equal(cliKeyOf(cliFile, 'it-stuck'), oldKey);
    const newKey = (await testing.store.getKey(profile.id))!;
    assert.notEqual(newKey, oldKey);
    assert.equal(await meStatus(newKey), 200);
  });

  it('signing a profile in again moves the CLI profile holding its key before revoking that key', async () => {
    const { testing } = await api();
    writeFileSync(cliFile, '{}\n', { mode: 0o600 });
    const profile = await signIn('bob', 'IT again');
    const oldKey = (await testing.store.getKey(profile.id))!;
    await testing.keyActions.saveToCli({ profileId: profile.id, cliProfile: 'it-again' });
    const again = await signIn('bob', 'IT again');
    assert.equal(again.id, profile.id);
    const newKey = (await testing.store.getKey(profile.id))!;
    assert.notEqual(newKey, oldKey);
    assert.equal(cliKeyOf(cliFile, 'it-again'), newKey);
    await until('the old key is revoked', async () => ((await meStatus(oldKey)) === 401 ? true : undefined), 5000);
    assert.equal(await meStatus(newKey), 200);
  });

  it('a pasted key learns its id from the key list (asking which one only when several were just used)', async () => {
    const { testing } = await api();
    const pasted = await issueKey('alice', 'IT pasted');
    const picks = answer('showQuickPick', (items) => (items as Array<{ id?: string }>).find((item) => item.id === pasted.id));
    let profile: ProfileMeta;
    try {
      profile = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signIn', { method: 'apiKey', serverUrl: serverUrl(), apiKey: pasted.key, profileName: 'IT pasted' });
      made.push(profile.id);
    } finally {
      picks.restore();
    }
    assert.ok(picks.calls.length <= 1, 'asked at most once');
    if (picks.calls.length === 1) assert.ok((picks.calls[0][0] as Array<{ id?: string }>).some((item) => item.id === pasted.id), 'the pasted key is among the choices');
    assert.equal(profile.keyId, pasted.id);
    assert.equal(testing.store.get(profile.id)?.keyName, 'IT pasted');

    // With its id known, rotating it revokes it.
    const outcome = await vscode.commands.executeCommand<RotationOutcome>('profoundCoder.rotateApiKey', { profileId: profile.id, quiet: true });
    assert.equal(outcome.oldKeyRevoked, true, outcome.message);
    assert.equal(await meStatus(pasted.key), 401);
  });

  it('asks before replacing a profile of another user with the same name, and another name keeps both', async () => {
    const { testing } = await api();
    const alice = await signIn('alice', 'IT shared name');
    const dialogs = answer('showWarningMessage', (message) => (/exists already for alice/.test(String(message)) ? 'Use Another Name' : undefined));
    const names = answer('showInputBox', () => 'IT shared name (bob)');
    let bob: ProfileMeta;
    try {
      bob = await signIn('bob', 'IT shared name');
    } finally {
      dialogs.restore();
      names.restore();
    }
    const question = dialogs.calls.find((call) => /exists already for alice/.test(String(call[0])));
    assert.ok(question);
    assert.deepEqual(question.slice(2), ['Replace and Revoke Its Key', 'Replace, Keep Its Key', 'Use Another Name']);
    assert.equal(bob.name, 'IT shared name (bob)');
    assert.equal(testing.store.get(alice.id)?.username, 'alice');
    assert.equal(await meStatus((await testing.store.getKey(alice.id))!), 200);
  });

  it('replacing the other user’s profile revokes its key when the person chooses so', async () => {
    const { testing } = await api();
    const alice = await signIn('alice', 'IT replaced');
    const aliceKey = (await testing.store.getKey(alice.id))!;
    const dialogs = answer('showWarningMessage', (message) => (/exists already for alice/.test(String(message)) ? 'Replace and Revoke Its Key' : undefined));
    let bob: ProfileMeta;
    try {
      bob = await signIn('bob', 'IT replaced');
    } finally {
      dialogs.restore();
    }
    assert.equal(bob.name, 'IT replaced');
    assert.equal(testing.store.list().filter((p) => p.name === 'IT replaced').length, 1);
    assert.equal(testing.store.get(bob.id)?.username, 'bob');
    await until("alice's key is revoked", async () => ((await meStatus(aliceKey)) === 401 ? true : undefined), 5000);
  });

  it('warns about the expiry of a pasted key as soon as its id, and so its expiry, is known', async () => {
    const { testing } = await api();
    const pasted = await issueKey('bob', 'IT pasted expiring');
    const expiresAt = new Date(Date.now() + 2 * 86_400_000 - 3_600_000).toISOString();
    // The key list the server gives: the pasted key, just used, expiring in 2 days.
    const body = JSON.stringify({ keys: [{ id: pasted.id, name: 'IT pasted expiring', createdAt: new Date().toISOString(), lastUsedAt: new Date().toISOString(), expiresAt }] });
    assert.equal((await control('POST', 'faults', { path: '/api-keys', method: 'GET', status: 200, body, contentType: 'application/json' })).status, 204);
    const warnings = answer('showWarningMessage', () => undefined);
    try {
      const profile = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signIn', { method: 'apiKey', serverUrl: serverUrl(), apiKey: pasted.key, profileName: 'IT pasted expiring' });
      made.push(profile.id);
      assert.equal(profile.keyId, pasted.id);
      assert.equal(testing.store.get(profile.id)?.expiresAt, expiresAt);
      const warning = await until('the expiry warning', () => warnings.calls.find((call) => /IT pasted expiring/.test(String(call[0]))), 10_000);
      assert.match(String(warning[0]), /the API key of profile 'IT pasted expiring' expires in 2 days/);
    } finally {
      warnings.restore();
      await control('DELETE', 'faults');
    }
  });

  it('reads the key list again only when the expiry of the key in use is unknown or near, not at every start', async () => {
    const { testing } = await api();
    const pasted = await issueKey('bob', 'IT pasted far');
    const warnings = answer('showWarningMessage', () => undefined);
    try {
      const profile = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signIn', { method: 'apiKey', serverUrl: serverUrl(), apiKey: pasted.key, profileName: 'IT pasted far' });
      made.push(profile.id);
      const learned = testing.store.get(profile.id)?.expiresAt;
      assert.notEqual(learned, undefined, 'the sign-in learned when the key expires (null: never)');
      assert.ok(learned === null || Date.parse(learned ?? '') - Date.now() > 8 * 86_400_000, 'the reference server issues keys that do not expire within a week');
      // From now on the server says the key expires in 2 days: a key list read now would change
      // the profile and warn. The expiry check runs 3 s after the credential changed.
      const soon = new Date(Date.now() + 2 * 86_400_000).toISOString();
      const body = JSON.stringify({ keys: [{ id: pasted.id, name: 'IT pasted far', createdAt: new Date().toISOString(), lastUsedAt: new Date().toISOString(), expiresAt: soon }] });
      assert.equal((await control('POST', 'faults', { path: '/api-keys', method: 'GET', status: 200, body, contentType: 'application/json' })).status, 204);
      await new Promise((resolve) => setTimeout(resolve, 4500));
      assert.equal(testing.store.get(profile.id)?.expiresAt, learned, 'the key list was not read');
      assert.ok(!warnings.calls.some((call) => /IT pasted far/.test(String(call[0]))), 'no expiry warning');
    } finally {
      warnings.restore();
      await control('DELETE', 'faults');
    }
  });
});
