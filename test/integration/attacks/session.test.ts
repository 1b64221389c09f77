import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vscode = require('vscode');
import { observe } from '../../support/attackTable';
import { api, issueKey, serverUrl, until } from '../support';

// The one way for another extension to get the key is VS Code's authentication API, where VS Code
// asks the person first. The session must be the credential CoderFlow actually uses, whatever its
// source; otherwise an extension would get nothing (and look elsewhere) or another key than the
// one in use.

describe('attack: the coderflow session hides or misnames the credential in use', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'coderflow-session-attack-'));
  const cliFile = join(dir, 'config.json');
  let cliKey: string;

  before(async () => {
    const { testing } = await api();
    await testing.store.select(undefined);
    await testing.store.select(undefined, 'workspace');
    cliKey = (await issueKey('bob', 'CLI session')).key;
    writeFileSync(cliFile, JSON.stringify({ activeProfile: 'work', profiles: { work: { server: serverUrl(), apiKey: cliKey } } }), { mode: 0o600 });
    await vscode.workspace.getConfiguration('profoundCoder').update('cliConfigPath', cliFile, vscode.ConfigurationTarget.Global);
    await until('the CLI profile is the credential in use', async () => ((await testing.credential())?.source === 'cli-profile' ? true : undefined), 5000);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('profoundCoder').update('cliConfigPath', undefined, vscode.ConfigurationTarget.Global);
    rmSync(dir, { recursive: true, force: true });
  });

  it('no profile chosen, the key comes from a CLI profile → the session is that key, labelled as the CLI profile', async () => {
    const sessions = await (await api()).testing.authProvider.getSessions(undefined, {});
    observe(`${sessions.length} session: ${sessions[0]?.account.label}`);
    assert.equal(sessions.length, 1);
    assert.equal(sessions[0]?.accessToken, cliKey);
    assert.match(sessions[0]?.account.label ?? '', /· CoderFlow CLI profile$/);
  });

  it('signing out of that session (Accounts menu) → nothing removed from the CLI config, the credential stays in use', async () => {
    const { testing } = await api();
    const [session] = await testing.authProvider.getSessions(undefined, {});
    assert.ok(session);
    const before = readFileSync(cliFile, 'utf8');
    await testing.authProvider.removeSession(session.id);
    observe('the CLI config is unchanged; the person is told where the key lives');
    assert.equal(readFileSync(cliFile, 'utf8'), before);
    assert.equal((await testing.credential())?.apiKey, cliKey);
  });
});
