import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vscode = require('vscode');
import type { TestingHooks } from '../../src/api';
import type { PublicCredential } from '../../src/services/publicCredential';
import type { ProfileMeta } from '../../src/profiles/profile';
import { completeSsoLogin } from '../server/browserless';
import { api, issueKey as issue, meStatus, serverUrl, until } from './support';

const issueKey = async (username: string, name: string) => (await issue(username, name)).key;

// Signing in, in the real extension host against the reference server the runner
// started (its URL arrives in CODERFLOW_TEST_SERVER_URL).

/** Every place outside SecretStorage a key could leak to in the extension host. */
async function everythingButSecrets(t: TestingHooks): Promise<string> {
  const state = (m: vscode.Memento) => JSON.stringify(m.keys().map((k) => [k, m.get(k)]));
  const settings = JSON.stringify(vscode.workspace.getConfiguration('profoundCoder').inspect('apiKey'));
  return [state(t.globalState), state(t.workspaceState), settings, t.logLines.join('\n')].join('\n');
}

describe('Signing in from the command palette (extension host)', function () {
  this.timeout(60_000);
  let cliDir: string;
  let cliFile: string;

  before(async () => {
    cliDir = mkdtempSync(join(tmpdir(), 'coderflow-cli-'));
    cliFile = join(cliDir, 'config.json');
    // Never read the real ~/.coderflow of the machine running the tests.
    await vscode.workspace.getConfiguration('profoundCoder').update('cliConfigPath', cliFile, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('profoundCoder').update('cliConfigPath', undefined, vscode.ConfigurationTarget.Global);
    rmSync(cliDir, { recursive: true, force: true });
  });

  it('signs in with a username and password and keeps the key only in SecretStorage', async () => {
    const { testing } = await api();
    const profile = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signIn', {
      method: 'password', serverUrl: serverUrl(), username: 'alice', password: 'alice-password', profileName: 'IT password',
    });
    assert.equal(profile.username, 'alice');
    const credential = await testing.credential();
    assert.equal(credential?.source, 'profile');
    assert.ok(credential && (await meStatus(credential.apiKey)) === 200);
    const stored = await testing.secrets.get(`profoundCoder.profile/${profile.id}`);
    assert.ok(stored?.includes(credential.apiKey), 'the key is in context.secrets');
    const elsewhere = await everythingButSecrets(testing);
    assert.ok(!elsewhere.includes(credential.apiKey), 'the key is nowhere outside SecretStorage');
    assert.ok(!elsewhere.includes('alice-password'), 'the password is nowhere');
  });

  it('signs in with a pasted key, and switching profiles changes the credential and fires the event', async () => {
    const { testing, onDidChangeCredential } = await api();
    const key = await issueKey('bob', 'IT pasted');
    const pasted = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signInWithApiKey', { serverUrl: serverUrl(), apiKey: key, profileName: 'IT key' });
    assert.equal(pasted.method, 'apiKey');
    assert.equal((await testing.credential())?.apiKey, key);
    const other = (await api()).testing.store.list().find((p) => p.name === 'IT password');
    assert.ok(other);
    const fired = new Promise<PublicCredential | undefined>((resolve) => {
      const d = onDidChangeCredential((c) => {
        d.dispose();
        resolve(c);
      });
    });
    await vscode.commands.executeCommand('profoundCoder.switchProfile', { profileId: other.id });
    const next = await fired;
    assert.equal(next?.source, 'profile');
    assert.ok(next && !Object.values(next).some((value) => String(value).includes(key)), 'the event carries no key');
    const otherKey = await testing.store.getKey(other.id);
    assert.ok(otherKey);
    assert.equal(next.maskedKey, `pc_…${otherKey.slice(-4)}`);
    assert.equal((await testing.credential())?.apiKey, otherKey);
  });

  it('lets a workspace use its own profile while other windows keep the global one', async () => {
    const { testing } = await api();
    const [first, second] = testing.store.list();
    assert.ok(first && second);
    await vscode.commands.executeCommand('profoundCoder.switchProfile', { profileId: first.id });
    await vscode.commands.executeCommand('profoundCoder.switchProfile', { profileId: second.id, scope: 'workspace' });
    assert.equal(testing.store.selectedId(), second.id);
    assert.equal((await testing.credential())?.apiKey, await testing.store.getKey(second.id));
    assert.equal(testing.globalState.get('profoundCoder.selectedProfile'), first.id, 'the global choice is unchanged');
    await testing.store.select(undefined, 'workspace');
    assert.equal(testing.store.selectedId(), first.id);
  });

  it('signs in with SSO, approving at the identity provider', async () => {
    const { testing } = await api();
    const profile = await vscode.commands.executeCommand<ProfileMeta>('profoundCoder.signInWithSso', {
      serverUrl: serverUrl(),
      profileName: 'IT sso',
      onCode: (prompt: { verificationUri: string; userCode: string }) =>
        void completeSsoLogin(prompt.verificationUri, prompt.userCode, { username: 'bob', password: 'bob-password' }),
    });
    assert.equal(profile.method, 'sso');
    assert.equal(profile.username, 'bob');
    assert.equal((await testing.credential())?.source, 'profile');
  });

  // VS Code hands a session to another extension only after the person allowed that extension
  // (its consent dialog), so this checks what the provider answers VS Code, and that the provider
  // is registered under the id other extensions ask for.
  it('offers the active profile as the coderflow authentication session', async () => {
    const { testing } = await api();
    const credential = await testing.credential();
    const sessions = await testing.authProvider.getSessions(undefined, {});
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0]?.accessToken, credential?.apiKey);
    assert.equal(sessions[0]?.id, testing.store.selectedId());
    assert.match(sessions[0]?.account.label ?? '', /^bob \(127\.0\.0\.1:\d+\) · Profile Manager$/);
    // Asked silently, VS Code answers without prompting: undefined until access is allowed, never an error.
    const silent = await vscode.authentication.getSession('coderflow', [], { silent: true });
    assert.ok(silent === undefined || silent.accessToken === credential?.apiKey);
  });

  it('tests the connection and reports the user and roles', async () => {
    const report = await vscode.commands.executeCommand<{ ok: boolean; user?: { username: string; roles: string[] }; tls: string }>('profoundCoder.testConnection', { quiet: true });
    assert.equal(report.ok, true);
    assert.equal(report.user?.username, 'bob');
    assert.deepEqual(report.user?.roles, ['admin']);
  });

  it('signs out, removes the secret and revokes the key on the server when asked', async () => {
    const { testing } = await api();
    const active = testing.store.selectedId();
    assert.ok(active);
    const key = (await testing.credential())?.apiKey;
    assert.ok(key);
    const done = await testing.signOut(active, true);
    assert.equal(done, true);
    assert.equal(await testing.secrets.get(`profoundCoder.profile/${active}`), undefined);
    assert.equal(await meStatus(key), 401, 'the revoked key is refused');
    assert.notEqual((await testing.credential())?.apiKey, key);
  });

  it('does nothing when asked to sign out of a profile that is signed out already', async () => {
    const { testing } = await api();
    const signedOut = testing.store.list().find((profile) => !profile.keyHint);
    assert.ok(signedOut, 'the test before signed a profile out');
    const before = JSON.stringify(testing.store.get(signedOut.id));
    assert.equal(await testing.signOut(signedOut.id, true), false);
    assert.equal(JSON.stringify(testing.store.get(signedOut.id)), before);
    assert.equal(await testing.signOut(signedOut.id, false), false, 'asked again without revoking');
  });

  it('picks up a CLI config edited on disk within 2 s, without a reload', async () => {
    const { testing } = await api();
    await testing.store.select(undefined);
    const key = await issueKey('alice', 'IT cli');
    const write = (config: unknown) => {
      writeFileSync(`${cliFile}.tmp`, JSON.stringify(config, null, 2), { mode: 0o600 });
      renameSync(`${cliFile}.tmp`, cliFile);
    };
    write({ activeProfile: 'work', profiles: { work: { server: serverUrl() } } });
    await until('the CLI config without a key is read', async () => ((await testing.credential())?.apiKey === undefined ? true : undefined));
    write({ activeProfile: 'work', profiles: { work: { server: serverUrl(), apiKey: key } } });
    const credential = await until('the new CLI key is used', async () => {
      const c = await testing.credential();
      return c?.apiKey === key ? c : undefined;
    });
    assert.equal(credential.source, 'cli-profile');
  });

  it('explains every source in the chain', async () => {
    const report = await vscode.commands.executeCommand<{ considered: Array<{ source: string; used: boolean; reason: string }> }>('profoundCoder.showCredentialSource', { quiet: true });
    assert.deepEqual(report.considered.map((c) => c.source), ['profile', 'cli-env', 'cli-profile', 'cli-base', 'setting']);
    assert.equal(report.considered.filter((c) => c.used).length, 1);
  });

  it('never wrote an issued key outside SecretStorage during the run', async () => {
    const { testing } = await api();
    const elsewhere = await everythingButSecrets(testing);
    assert.ok(!/pc_[0-9a-f]{16,}/.test(elsewhere), 'no full key in state, settings or log');
  });
});
