import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Frame } from 'playwright-core';
import type { ThemeKind } from '../support/browser';
import { addProfileForm, enterServer, profileItem, signInWithPassword } from '../support/profileManager';
import { screenshotIfFailed, startSession, type Session } from '../support/session';

// Test connection as a person uses it in VS Code: the steps in the Profile Manager (their view
// loads on the first result, under the webview's Content Security Policy and resource
// addresses), Copy report onto the clipboard, the same from the Command Palette's dialog, and the
// steps in the light, dark and high-contrast themes.

describe('Test connection in the Profile Manager and the Command Palette', function () {
  this.timeout(180_000);
  let session: Session | undefined;
  let page: Frame;
  let cliFile: string;

  before(async () => {
    // A CLI configuration of the test's own, never the machine's: one CLI profile with a key.
    cliFile = join(mkdtempSync(join(tmpdir(), 'coderflow-diagnostic-e2e-')), 'config.json');
    session = await startSession({ env: { CODERFLOW_CONFIG: cliFile } });
    const { key } = await session.server.issueKey('alice', 'CLI Access');
    writeFileSync(cliFile, JSON.stringify({ profiles: { 'ci-e2e': { server: session.server.url, apiKey: key } } }), { mode: 0o600 });
    const { workbench } = session;
    await workbench.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(workbench.page.url()).origin });
    await workbench.openViewContainer('CoderFlow');
    page = await workbench.webviewFrame({ text: 'Profiles' });
  });

  afterEach(async function () {
    await screenshotIfFailed(this, session);
  });

  after(async () => {
    await session?.stop();
    if (cliFile) rmSync(dirname(cliFile), { recursive: true, force: true });
  });

  const clipboard = () => session!.workbench.page.evaluate(() => navigator.clipboard.readText());
  /** The clipboard once something was written to it (the write follows the click). */
  async function copied(): Promise<string> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const text = await clipboard();
      if (text !== '' || Date.now() > deadline) return text;
      await session!.workbench.page.waitForTimeout(100);
    }
  }

  it('from the Command Palette before signing in: asks for the server, then a dialog with every step', async () => {
    const { workbench } = session!;
    await workbench.runCommand('CoderFlow: Test Connection');
    await workbench.quickInputMessage().getByText('Not signed in. Test the connection to which CoderFlow server?').waitFor();
    await workbench.submitQuickInput('ftp://nowhere');
    await workbench.quickInputMessage().getByText(/must start with https:\/\/ or http:\/\//).waitFor();
    await workbench.submitQuickInput(session!.server.url);
    const dialog = workbench.page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    const text = await dialog.innerText();
    assert.match(text, /answers; every check passed/);
    assert.match(text, /\[SKIPPED\] API key \(\/auth\/me\) \(0 ms\): No API key to check: this tests the server only\./);
    await workbench.answerDialog('Copy Report');
    assert.match(await copied(), /^CoderFlow connection report\nServer: http:\/\/127\.0\.0\.1:\d+\n/);
  });

  it('shows every step under the profile, and Copy report puts the report, without the key, on the clipboard', async () => {
    await signInWithPassword(page, { name: 'e2e diagnostic', serverUrl: session!.server.url, username: 'alice', password: 'alice-password' });
    const item = profileItem(page, 'e2e diagnostic');
    await item.getByRole('button', { name: 'Test connection', exact: true }).click();
    const region = item.getByRole('region', { name: 'Connection test passed' });
    await region.waitFor();
    const text = await region.innerText();
    for (const step of ['Address', 'Proxy', 'Connection', 'TLS certificate', 'Server health (/health)', 'Sign-in options (/auth/sso/config)', 'API key (/auth/me)']) {
      assert.ok(text.includes(step), `the step ${step} is shown: ${text}`);
    }
    assert.match(text, /signed in as alice \(roles: /);
    assert.match(text, /127\.0\.0\.1 is an IP address/);

    await session!.workbench.page.evaluate(() => navigator.clipboard.writeText(''));
    await region.getByRole('button', { name: 'Copy report', exact: true }).click();
    await region.getByText('Report copied to the clipboard.', { exact: false }).waitFor();
    const report = await copied();
    assert.match(report, /^CoderFlow connection report\nServer: http:\/\/127\.0\.0\.1:\d+\n/);
    assert.match(report, /\[OK\] API key \(\/auth\/me\) \(\d+ ms\): The key works: signed in as alice/);
    assert.match(report, /VS Code: \d+\.\d+\.\d+/);
    assert.doesNotMatch(report, /pc_[A-Za-z0-9_-]{6,}/, 'no key in the report');
  });

  it('tests a CLI profile with the key and server the CLI configuration gives it', async () => {
    const item = profileItem(page, 'ci-e2e');
    await item.getByRole('button', { name: 'Test connection', exact: true }).click();
    const region = item.getByRole('region', { name: 'Connection test passed' });
    await region.waitFor();
    assert.match(await region.innerText(), /The key works: signed in as alice/);
  });

  it('tests the Add profile form’s server URL before signing in', async () => {
    await enterServer(page, 'not yet', session!.server.url);
    const form = addProfileForm(page);
    await form.getByRole('button', { name: 'Test connection to the server URL', exact: true }).click();
    const region = form.getByRole('region', { name: 'Connection test passed' });
    await region.waitFor();
    assert.match(await region.innerText(), /API key \(\/auth\/me\)\s+Skipped\s+No API key to check: this tests the server only\./);
  });

  it('from the Command Palette: a dialog with every step and Copy Report', async () => {
    const { workbench } = session!;
    await workbench.runCommand('CoderFlow: Test Connection');
    const dialog = workbench.page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    const detail = await dialog.innerText();
    assert.match(detail, /connected to http:\/\/127\.0\.0\.1:\d+ as alice/);
    assert.match(detail, /\[OK\] TLS certificate \(0 ms\): No TLS: plain http/);
    await workbench.page.evaluate(() => navigator.clipboard.writeText(''));
    await workbench.answerDialog('Copy Report');
    assert.match(await copied(), /^CoderFlow connection report\n/);
  });

  for (const kind of ['light', 'dark', 'high-contrast'] as const satisfies readonly ThemeKind[]) {
    it(`draws the steps in the ${kind} theme (screenshot diagnostic-e2e-${kind}.png)`, async () => {
      const { workbench } = session!;
      await workbench.setColorTheme(kind);
      page = await workbench.webviewFrame({ text: 'Profiles' });
      const item = profileItem(page, 'e2e diagnostic');
      await item.getByRole('button', { name: 'Test connection', exact: true }).click();
      const region = item.getByRole('region', { name: 'Connection test passed' });
      await region.waitFor();
      // The list is painted again when the profile's state changes (it was just verified): the
      // region is then a new element, which the locator finds on the next try.
      for (let attempt = 1; ; attempt++) {
        try {
          await region.scrollIntoViewIfNeeded({ timeout: 5_000 });
          break;
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
      await workbench.screenshot(`diagnostic-e2e-${kind}`);
    });
  }
});
