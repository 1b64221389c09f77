import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { screenshotIfFailed, startSession, type Session } from '../support/session';

// A key in a workspace's .vscode/settings.json, in a real VS Code in Chromium: nothing is offered
// while the folder is untrusted; trusting it later brings the offer to move the key into secure
// storage, and after the move the suggestion to revoke it from the key list, since a copy may be
// in source control already.

describe('A key in the workspace settings, trusted later', function () {
  this.timeout(180_000);
  let session: Session | undefined;
  let key = '';
  let settingsFile = '';

  before(async function () {
    this.timeout(180_000);
    // Never the CLI configuration of the machine running the tests: an empty folder's.
    session = await startSession({ trust: 'restricted', env: { CODERFLOW_CONFIG: join(mkdtempSync(join(tmpdir(), 'coderflow-wskey-')), 'config.json') } });
    key = (await session.server.issueKey('alice', 'IT workspace key')).key;
    settingsFile = join(session.workspaceFolder, '.vscode', 'settings.json');
    mkdirSync(join(session.workspaceFolder, '.vscode'), { recursive: true });
    // Like a `git pull` that brings the settings in while the folder is open and untrusted.
    writeFileSync(settingsFile, `${JSON.stringify({ 'profoundCoder.serverUrl': session.server.url, 'profoundCoder.apiKey': key }, null, 2)}\n`);
  });

  afterEach(async function () {
    await screenshotIfFailed(this, session);
  });

  after(async () => {
    await session?.stop();
  });

  const toast = (text: RegExp) => session!.workbench.page.locator('.notifications-toasts .notification-toast').filter({ hasText: text });
  const OFFER = /stores a CoderFlow API key in its settings/;

  it('offers nothing while the folder is untrusted', async () => {
    await session!.workbench.statusBarItem(/CoderFlow: not signed in/).waitFor({ timeout: 60_000 });
    // Time for VS Code to read the new settings file and for the extension to react, if it would.
    await session!.workbench.page.waitForTimeout(3000);
    assert.equal(await toast(OFFER).count(), 0);
  });

  it('offers Move to Secure Storage once the folder is trusted, then the key list to revoke the key', async () => {
    const { workbench, server } = session!;
    await workbench.trustFromTrustEditor();
    const offer = toast(OFFER);
    await offer.waitFor({ timeout: 30_000 });
    assert.match(await offer.innerText(), /may be there already/);
    await offer.getByRole('button', { name: 'Move to Secure Storage', exact: true }).click();

    const moved = toast(/now in secure storage and removed from the workspace settings/);
    await moved.waitFor({ timeout: 30_000 });
    assert.match(await moved.innerText(), /A copy may remain in source control: revoke it/);
    const settings = readFileSync(settingsFile, 'utf8');
    assert.ok(!settings.includes(key), 'the key is gone from .vscode/settings.json');
    assert.ok(settings.includes(server.url), 'the rest of the file stays');
    await workbench.statusBarItem(new RegExp(`CoderFlow: alice@${new URL(server.url).host.replace(/[.]/g, '\\.')}`)).waitFor();

    await moved.getByRole('button', { name: 'Open Key List', exact: true }).click();
    // The key list of the new profile: the moved key is there to revoke.
    await workbench.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: 'IT workspace key' }).first().waitFor({ timeout: 30_000 });
    await workbench.page.keyboard.press('Escape');
  });
});
