import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { listedNames, profileEntries, startPasswordSignIn } from '../support/profileManager';
import { screenshotIfFailed, startSession, type Session } from '../support/session';

// Cancel means cancel, clicked as a person does in a real VS Code in Chromium: Cancel on the
// Profile Manager page while the server is slow to check a password, and Cancel in the palette's
// SSO progress notification while the sign-in waits for approval. Afterwards nothing is saved.

const SLOW_MS = 4000;

describe('Cancel in the Profile Manager and in the SSO notification', function () {
  this.timeout(120_000);
  let session: Session | undefined;
  let page: Frame;

  before(async function () {
    this.timeout(180_000);
    // Not 127.0.0.1, which VS Code in a browser sends through its port-forwarding proxy.
    session = await startSession({
      server: { host: '127.0.0.2', testControl: true, pollIntervalSeconds: 1 },
      // Never the CLI configuration of the machine running the tests: an empty folder's.
      env: { CODERFLOW_CONFIG: join(mkdtempSync(join(tmpdir(), 'coderflow-cancel-')), 'config.json') },
    });
    await session.workbench.openViewContainer('CoderFlow');
    page = await session.workbench.webviewFrame({ text: 'Profiles' });
  });

  afterEach(async function () {
    session?.server.faults.clear();
    await screenshotIfFailed(this, session);
  });

  after(async () => {
    await session?.stop();
  });

  it('Cancel on the page during a slow password check → nothing saved, even once the server answers', async () => {
    const { server } = session!;
    server.faults.set({ path: '/auth/cli-login', latencyMs: SLOW_MS, times: 1 });
    await startPasswordSignIn(page, { name: 'Cancelled on the page', serverUrl: server.url, username: 'alice', password: 'alice-password' });
    const cancel = page.getByRole('button', { name: 'Cancel', exact: true });
    await cancel.click();
    await cancel.waitFor({ state: 'hidden' });
    // Past the moment the server answers: a sign-in still running would list the profile now.
    await page.waitForTimeout(SLOW_MS + 1000);
    assert.deepEqual(await listedNames(page, profileEntries(page)), []);
  });

  it('Cancel in the SSO notification → polling stops and nothing is saved', async () => {
    const { server, workbench } = session!;
    await workbench.runCommand('CoderFlow: Sign In with SSO');
    await workbench.quickInputMessage().getByText('The address of your CoderFlow server').waitFor();
    const opened = workbench.page.context().waitForEvent('page', { timeout: 30_000 });
    await workbench.submitQuickInput(server.url);
    // The browser opens by itself (VS Code may ask first whether to open the site).
    const openButton = workbench.page.locator('.monaco-dialog-box').getByRole('button', { name: 'Open', exact: true });
    const tab = await Promise.race([opened, openButton.waitFor({ timeout: 30_000 }).then(async () => (await openButton.click(), opened))]);
    assert.ok(tab.url().startsWith(`${server.url}/auth/sso/verify`), tab.url());
    await tab.close();
    const progress = workbench.page.locator('.notifications-toasts .notification-toast').filter({ hasText: /Your code: / });
    await progress.waitFor();
    assert.match(await progress.innerText(), new RegExp(`${new URL(server.url).host.replace(/[.]/g, '\\.')}`), 'the notification names the host');
    await progress.getByRole('button', { name: 'Cancel', exact: true }).click();
    await progress.waitFor({ state: 'detached' });
    const polls = () => server.requests.filter((r) => r.path === '/auth/sso/token').length;
    const after = polls();
    await workbench.page.waitForTimeout(3000);
    assert.equal(polls(), after, 'no poll after the cancel');
    assert.deepEqual(await listedNames(page, profileEntries(page)), []);
  });
});
