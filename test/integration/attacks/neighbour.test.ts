import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vscode = require('vscode');
import type { ProfileMeta } from '../../../src/profiles/profile';
import { observe } from '../../support/attackTable';
import { api, issueKey, meStatus, serverUrl, until } from '../support';

// Another installed extension (test/fixtures/malicious-neighbour, installed as a VSIX by
// runBrowser --attacks) tries to get the key and to act behind the person's back. A confirmation
// is answered as Cancel here: VS Code refuses to show modal dialogs in a window that runs
// extension tests (its DialogService: "refused to show dialog in tests"). An argument that skipped
// the confirmation would act anyway, which is what these rows look for.

interface Attempt {
  ok: boolean;
  value?: unknown;
  kind?: string;
  message?: string;
}

const neighbour = (what: Record<string, unknown>) => vscode.commands.executeCommand<Attempt>('maliciousNeighbour.try', what);

describe('attack: a malicious neighbour extension', function () {
  this.timeout(60_000);
  let profile: ProfileMeta;
  let key: string;
  const cliDir = mkdtempSync(join(tmpdir(), 'coderflow-neighbour-cli-'));
  const cliFile = join(cliDir, 'config.json');

  before(async () => {
    profile = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signIn', {
      method: 'password', serverUrl: serverUrl(), username: 'alice', password: 'alice-password', profileName: 'Neighbour target',
    });
    const credential = await (await api()).testing.credential();
    assert.ok(credential?.apiKey);
    key = credential.apiKey;
  });
  after(async () => {
    await vscode.workspace.getConfiguration('profoundCoder').update('cliConfigPath', undefined, vscode.ConfigurationTarget.Global);
    rmSync(cliDir, { recursive: true, force: true });
  });

  it('getCredential() from the exports → server, source, user, key id and masked key; never the key', async () => {
    const got = await neighbour({ action: 'exports' });
    const text = JSON.stringify(got.value);
    const credential = (got.value as { credential: Record<string, unknown> }).credential;
    observe(`got ${Object.keys(credential).join(', ')}; maskedKey ${String(credential.maskedKey)}`);
    assert.ok(!text.includes(key), 'the key is not in anything getCredential() answers');
    assert.equal(credential.maskedKey, `pc_…${key.slice(-4)}`);
    assert.equal(credential.user, 'alice');
    assert.equal(credential.keyId, profile.keyId);
  });

  it('listening to onDidChangeCredential across a switch of profile → no event carries the key', async () => {
    await neighbour({ action: 'heard' });
    const other = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signIn', {
      method: 'password', serverUrl: serverUrl(), username: 'bob', password: 'bob-password', profileName: 'Neighbour other',
    });
    const otherKey = await (await api()).testing.store.getKey(other.id);
    await vscode.commands.executeCommand('profoundCoder.switchProfile', { profileId: profile.id });
    const heard = await until('the neighbour heard the switches', async () => {
      const events = (await neighbour({ action: 'heard' })).value as unknown[];
      return events.length >= 2 ? events : undefined;
    }, 10_000);
    observe(`${heard.length} events, masked keys only`);
    const text = JSON.stringify(heard);
    assert.ok(!text.includes(key) && !(otherKey && text.includes(otherKey)));
  });

  it('vscode.authentication.getSession("coderflow") silently, without the person’s consent → no session', async () => {
    const got = await neighbour({ action: 'silentSession' });
    observe(got.ok ? `answered ${JSON.stringify(got.value)}` : `refused: ${got.message}`);
    assert.ok(!JSON.stringify(got).includes(key));
    assert.ok(!got.ok || got.value === null, 'no session without consent');
  });

  for (const path of ['/../health', '/%2e%2e/health', '/auth/..%2f..%2fhealth']) {
    it(`request(${JSON.stringify(path)}) from the exports, server URL under /cf → bad input, nothing sent outside /cf`, async () => {
      const got = await neighbour({ action: 'request', path });
      observe(`${got.kind}: ${got.message}`);
      assert.equal(got.ok, false);
      assert.equal(got.kind, 'bad-input');
    });
  }

  it('runs profoundCoder.signOut {profileId, revoke: true} → not confirmed, so nothing done: still signed in, key live', async () => {
    const got = await neighbour({ action: 'command', command: 'profoundCoder.signOut', args: { profileId: profile.id, revoke: true } });
    observe(`${got.ok ? `command answered ${JSON.stringify(got.value)}` : `command ended: ${got.message}`}; key still live`);
    assert.ok(!(got.ok && got.value === true), 'the command did not report a sign-out');
    assert.equal(await (await api()).testing.store.getKey(profile.id), key, 'still signed in');
    assert.equal(await meStatus(key), 200, 'the key still works');
  });

  it('runs profoundCoder.manageApiKeys {revoke: [id], confirmed: true} → not confirmed, so nothing revoked', async () => {
    const victim = await issueKey('alice', 'Nightly job');
    const got = await neighbour({ action: 'command', command: 'profoundCoder.manageApiKeys', args: { revoke: [victim.id], confirmed: true } });
    observe(`${got.ok ? `revoke outcome ${JSON.stringify((got.value as { revoke?: unknown } | null)?.revoke ?? null)}` : `command ended: ${got.message}`}; the key still works`);
    assert.equal(await meStatus(victim.key), 200, 'the key was not revoked');
  });

  it('runs profoundCoder.saveToCliProfile {cliProfile, replace: true} over another CLI profile → not confirmed, so the file is unchanged', async () => {
    const original = `${JSON.stringify({ profiles: { victim: { server: 'https://other.example.com', apiKey: `pc_${'0f'.repeat(20)}` } } }, null, 2)}\n`;
    writeFileSync(cliFile, original, { mode: 0o600 });
    await vscode.workspace.getConfiguration('profoundCoder').update('cliConfigPath', cliFile, vscode.ConfigurationTarget.Global);
    const got = await neighbour({ action: 'command', command: 'profoundCoder.saveToCliProfile', args: { profileId: profile.id, cliProfile: 'victim', replace: true } });
    observe(`${got.ok ? `command answered ${JSON.stringify(got.value ?? null)}` : `command ended: ${got.message}`}; file unchanged`);
    assert.equal(readFileSync(cliFile, 'utf8'), original, 'the CLI config is unchanged');
  });
});
