import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vscode = require('vscode');
import { deviceKeyName } from '../../src/core/flows/types';
import type { ProfileMeta } from '../../src/profiles/profile';
import { localDay } from '../../src/shared/keyDates';
import type { RotationOutcome } from '../../src/services/apiKeys/apiKeyService';
import type { ManageResult } from '../../src/vscode/keyManagement/keyActions';
import { api, control, issueKey, meStatus, serverUrl, until } from './support';

// The key lifecycle in the real extension host, against the reference server the runner
// started with its test control routes (CODERFLOW_TEST_SERVER_URL).
const DAY = 86_400_000;

async function setFault(fault: Record<string, unknown>): Promise<void> {
  assert.equal((await control('POST', 'faults', fault)).status, 204);
}

async function clearFaults(): Promise<void> {
  await control('DELETE', 'faults');
}

/** Records calls to one of VS Code's notification functions instead of showing them. */
function recordNotifications(name: 'showWarningMessage' | 'showErrorMessage' | 'showInformationMessage') {
  const window = vscode.window as unknown as Record<string, unknown>;
  const original = window[name];
  const calls: unknown[][] = [];
  window[name] = (...args: unknown[]) => {
    calls.push(args);
    return Promise.resolve(undefined);
  };
  return { calls, restore: () => void (window[name] = original) };
}

const settings = () => vscode.workspace.getConfiguration('profoundCoder');

describe('API keys: manage, revoke, rotate, share with the CLI and the terminal (extension host)', function () {
  this.timeout(60_000);
  let cliDir: string;
  let cliFile: string;
  let profile: ProfileMeta;
  const made: string[] = [];

  async function signIn(username: string, profileName: string): Promise<ProfileMeta> {
    const signedIn = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signIn', {
      method: 'password', serverUrl: serverUrl(), username, password: `${username}-password`, profileName,
    });
    made.push(signedIn.id);
    return signedIn;
  }

  before(async () => {
    cliDir = mkdtempSync(join(tmpdir(), 'coderflow-keys-'));
    cliFile = join(cliDir, 'config.json');
    // Never the real ~/.coderflow of the machine running the tests.
    await settings().update('cliConfigPath', cliFile, vscode.ConfigurationTarget.Global);
    profile = await signIn('alice', 'IT keys');
  });
  after(async () => {
    await clearFaults();
    await settings().update('terminal.injectApiKey', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('cliConfigPath', undefined, vscode.ConfigurationTarget.Global);
    const { testing } = await api();
    for (const id of made) await testing.store.remove(id);
    rmSync(cliDir, { recursive: true, force: true });
  });

  it('lists the user’s keys without secrets, marking the one this device holds', async () => {
    const other = await issueKey('alice', 'IT other device');
    const result = await vscode.commands.executeCommand<ManageResult>('profoundCoder.manageApiKeys', { quiet: true });
    assert.equal(result.profileId, profile.id);
    assert.equal(result.serverUrl, profile.serverUrl);
    const own = result.keys.find((k) => k.thisDevice);
    assert.equal(own?.id, profile.keyId);
    assert.equal(own?.name, deviceKeyName());
    assert.ok(result.keys.some((k) => k.id === other.id && k.name === 'IT other device' && !k.thisDevice && !k.stale));
    assert.ok(!/pc_[0-9a-f]{16,}/.test(JSON.stringify(result)), 'no key in what the command answers');
  });

  it('revokes a key, which the server then refuses with 401', async () => {
    const other = await issueKey('alice', 'IT to revoke');
    assert.equal(await meStatus(other.key), 200);
    const result = await (await api()).testing.keyActions.manage({ revoke: [other.id] }, { confirmed: true });
    assert.ok(result);
    assert.deepEqual(result.revoke, { revoked: [{ id: other.id, name: 'IT to revoke' }], failed: [], signedOut: false });
    assert.equal(await meStatus(other.key), 401);
    assert.ok(!result.keys.some((k) => k.id === other.id), 'the list no longer has it');
    assert.ok((await (await api()).testing.credential())?.apiKey, 'the profile is still signed in');
  });

  it('rotates the profile’s key: the old key gets 401, the new one 200, and the profile holds the new one', async () => {
    const { testing } = await api();
    const oldKey = await testing.store.getKey(profile.id);
    assert.ok(oldKey);
    const outcome = await vscode.commands.executeCommand<RotationOutcome>('profoundCoder.rotateApiKey', { quiet: true });
    assert.equal(outcome.rotated, true, outcome.message);
    assert.equal(outcome.oldKeyRevoked, true, outcome.message);
    const newKey = await testing.store.getKey(profile.id);
    assert.ok(newKey && newKey !== oldKey);
    assert.equal(await meStatus(oldKey), 401);
    assert.equal(await meStatus(newKey), 200);
    assert.equal((await testing.credential())?.apiKey, newKey, 'the credential in use is the new key');
    const name = `${deviceKeyName()} (rotated ${localDay(new Date())})`;
    assert.equal(testing.store.get(profile.id)?.keyName, name);
    assert.equal(outcome.message, `The key of 'IT keys' was rotated: it now holds "${name}", and "${deviceKeyName()}" is revoked.`);
  });

  it('keeps a working key when rotation fails between create and delete, and says exactly which key is live', async () => {
    const { testing } = await api();
    const heldBefore = await testing.store.getKey(profile.id);
    const keyName = testing.store.get(profile.id)?.keyName;
    assert.ok(heldBefore && keyName);
    await setFault({ path: '/auth/me', method: 'GET', status: 503, body: JSON.stringify({ error: 'unavailable', message: 'maintenance' }), contentType: 'application/json' });
    let outcome: RotationOutcome;
    try {
      outcome = await vscode.commands.executeCommand<RotationOutcome>('profoundCoder.rotateApiKey', { quiet: true });
    } finally {
      await clearFaults();
    }
    assert.equal(outcome.rotated, false);
    assert.equal(
      outcome.message,
      `Rotating the key of 'IT keys' failed while testing the new key with /auth/me: The server had a problem (503 Service Unavailable): maintenance. Try again later. If it keeps happening, tell the server's administrator. The profile still holds its key "${keyName}", which is still live.`,
    );
    assert.equal(await testing.store.getKey(profile.id), heldBefore);
    assert.equal(await meStatus(heldBefore), 200, 'the key the profile holds works');
    const listed = await vscode.commands.executeCommand<ManageResult>('profoundCoder.manageApiKeys', { quiet: true });
    assert.equal(listed.keys.filter((k) => k.name === keyName).length, 1, 'the unconfirmed new key was deleted again');
  });

  it('saves the profile’s server and key to a CLI profile, leaving every other field as it was, mode 0600', async () => {
    const { testing } = await api();
    const before = {
      activeProfile: 'staging',
      editor: { theme: 'dark' },
      profiles: { staging: { server: 'https://staging.example.com', apiKey: 'pc_staging_key_123', default_environment: 'webapp' } },
    };
    writeFileSync(cliFile, JSON.stringify(before, null, 2), { mode: 0o644 });
    const saved = await vscode.commands.executeCommand<{ file: string; cliProfile: string; message: string }>('profoundCoder.saveToCliProfile', { profileId: profile.id, cliProfile: 'it-saved' });
    assert.equal(saved.file, cliFile);
    const after = JSON.parse(readFileSync(cliFile, 'utf8')) as { profiles: Record<string, unknown> };
    const key = await testing.store.getKey(profile.id);
    assert.deepEqual(after.profiles['it-saved'], { server: profile.serverUrl, apiKey: key });
    assert.deepEqual({ ...after, profiles: { staging: after.profiles.staging } }, before);
    assert.equal(statSync(cliFile).mode & 0o777, 0o600);
    assert.equal(saved.message, `Saved to CLI profile 'it-saved' in ${cliFile}. Use it with coder --profile=it-saved or coder profile switch it-saved.`);
    assert.ok(!testing.logLines.join('\n').includes(key ?? 'no key'), 'the key is not logged');
  });

  it('refuses to save into a CLI config that does not parse, says where, and leaves it untouched', async () => {
    const broken = '{\n  "activeProfile": "staging",\n  "profiles": {,}\n}\n';
    writeFileSync(cliFile, broken, { mode: 0o600 });
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('profoundCoder.saveToCliProfile', { profileId: profile.id, cliProfile: 'it-saved' })),
      /is not valid JSON at line 3, column \d+/,
    );
    assert.equal(readFileSync(cliFile, 'utf8'), broken);
  });

  it('imports a CLI profile as a profile once the server confirmed its key', async () => {
    const { testing } = await api();
    const issued = await issueKey('bob', 'IT CLI key');
    writeFileSync(cliFile, JSON.stringify({ profiles: { 'it-import': { server: serverUrl(), apiKey: issued.key } } }, null, 2), { mode: 0o600 });
    const imported = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.importFromCli', { cliProfile: 'it-import' });
    made.push(imported.id);
    assert.equal(imported.name, 'it-import');
    assert.equal(imported.username, 'bob');
    assert.equal(await testing.store.getKey(imported.id), issued.key);
    const credential = await testing.credential();
    assert.equal(credential?.source, 'profile');
    assert.equal(credential?.apiKey, issued.key);

    writeFileSync(cliFile, JSON.stringify({ profiles: { 'it-bad': { server: serverUrl(), apiKey: 'pc_0000000000000000000000000000dead' } } }), { mode: 0o600 });
    const count = testing.store.list().length;
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('profoundCoder.importFromCli', { cliProfile: 'it-bad' })), /Invalid API key/);
    assert.equal(testing.store.list().length, count, 'a key the server refuses makes no profile');
  });

  it('puts CODER_API_KEY into new terminals only while the setting is on and a profile is signed in', async () => {
    const { testing } = await api();
    const collection = testing.environmentVariableCollection;
    const variable = () => collection.get('CODER_API_KEY')?.value;
    // The coder CLI in a terminal reads CODERFLOW_CONFIG (terminals inherit the extension host's
    // environment); that config names no server, so the CLI would send the key where it belongs.
    process.env.CODERFLOW_CONFIG = cliFile;
    writeFileSync(cliFile, '{}\n', { mode: 0o600 });
    await vscode.commands.executeCommand('profoundCoder.switchProfile', { profileId: profile.id });
    const key = await testing.store.getKey(profile.id);
    assert.equal((await testing.credential())?.apiKey, key);

    assert.equal(settings().get('terminal.injectApiKey'), false, 'off by default');
    assert.equal(variable(), undefined, 'nothing while the setting is off');
    assert.equal(collection.persistent, false, 'VS Code does not store the key');

    await settings().update('terminal.injectApiKey', true, vscode.ConfigurationTarget.Global);
    await until('the variable is set', () => (variable() === key ? true : undefined), 5000);
    assert.match(typeof collection.description === 'string' ? collection.description : (collection.description?.value ?? ''), /CoderFlow: CODER_API_KEY of profile 'IT keys'/);

    // It follows a switch of profile.
    const other = await signIn('bob', 'IT terminal');
    const otherKey = await testing.store.getKey(other.id);
    await until('the variable follows the switch', () => (variable() === otherKey ? true : undefined), 5000);

    await settings().update('terminal.injectApiKey', false, vscode.ConfigurationTarget.Global);
    await until('the variable is gone when the setting is off', () => (variable() === undefined ? true : undefined), 5000);
    await settings().update('terminal.injectApiKey', true, vscode.ConfigurationTarget.Global);
    await until('the variable is back', () => (variable() === otherKey ? true : undefined), 5000);

    assert.equal(await testing.signOut(other.id, true), true);
    await until('the variable is gone after signing out', () => (variable() === undefined ? true : undefined), 5000);
    delete process.env.CODERFLOW_CONFIG;
  });

  it('warns a week before the profile’s key expires and offers to rotate it', async () => {
    const { testing } = await api();
    const expiring = await signIn('alice', 'IT expiring');
    const expiresAt = new Date(Date.now() + 3 * DAY - 3_600_000).toISOString();
    const body = JSON.stringify({ keys: [{ id: expiring.keyId, name: expiring.keyName, createdAt: new Date().toISOString(), lastUsedAt: null, expiresAt }] });
    const warnings = recordNotifications('showWarningMessage');
    try {
      await setFault({ path: '/api-keys', method: 'GET', status: 200, body, contentType: 'application/json' });
      const result = await vscode.commands.executeCommand<ManageResult>('profoundCoder.manageApiKeys', { quiet: true });
      assert.equal(result.keys[0]?.expiresAt, expiresAt);
      assert.equal(testing.store.get(expiring.id)?.expiresAt, expiresAt, 'the profile keeps the expiry');
      const warning = await until('the expiry warning', () => warnings.calls.find((call) => /IT expiring/.test(String(call[0]))), 5000);
      assert.match(String(warning[0]), /^CoderFlow: the API key of profile 'IT expiring' expires in 3 days \(\d{4}-\d{2}-\d{2}\)\. Rotate it now so nothing stops working\.$/);
      assert.deepEqual(warning.slice(1), ['Rotate Key']);
      assert.ok(testing.logLines.some((line) => line.includes("The key of profile 'IT expiring' expires in 3 days.")));
    } finally {
      warnings.restore();
      await clearFaults();
    }
  });
});
