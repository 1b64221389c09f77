import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { addProfileForm, signInWithPassword } from '../support/profileManager';
import { screenshotIfFailed, startSession, type Session } from '../support/session';

// A person's first look at the Profile Manager in a real VS Code: the Server URL already holds
// the server they work with, checked, so SSO is on offer before they type anything.

const serverUrlField = (page: Frame) => page.getByRole('textbox', { name: 'Server URL', exact: true });

/** A port free on `host` now, so a file can name the server before it starts. */
async function freePort(host: string): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, host, done));
  const { port } = probe.address() as AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

async function openProfileManager(session: Session): Promise<Frame> {
  await session.workbench.openViewContainer('CoderFlow');
  return session.workbench.webviewFrame({ text: 'Profiles' });
}

describe('First contact: the Profile Manager starts where the person is', function () {
  this.timeout(180_000);

  describe('in the playground: the workspace sets profoundCoder.serverUrl', () => {
    let session: Session | undefined;

    before(async () => {
      // As `npm start` runs it: the server on 127.0.0.2 with SSO, the demo workspace's setting.
      session = await startSession({
        server: { host: '127.0.0.2', testControl: true, sso: true, pollIntervalSeconds: 2 },
        workspaceSettings: (serverUrl) => ({ 'profoundCoder.serverUrl': serverUrl }),
        // No CoderFlow CLI configuration, whatever the machine running the tests has.
        env: { CODERFLOW_CONFIG: join(tmpdir(), 'coderflow-no-cli-config', 'config.json') },
      });
    });
    afterEach(async function () {
      await screenshotIfFailed(this, session);
    });
    after(async () => {
      await session?.stop();
    });

    it('opens with the server URL filled in and the SSO tab offered, without typing', async () => {
      const page = await openProfileManager(session!);
      await page.getByText('No profiles yet').waitFor();
      assert.equal(await serverUrlField(page).inputValue(), session!.server.url);
      await addProfileForm(page).getByText(/^Server reachable\. Sign in with username and password, SSO \(.+\) or an API key\.$/).waitFor();
      const sso = page.getByRole('tab', { name: 'SSO', exact: true });
      await sso.click();
      await page.getByRole('button', { name: 'Sign in with SSO', exact: true }).waitFor();
      await session!.workbench.screenshot('first-contact-sso-offered');
    });

    it('offers the walkthrough, whose steps are checked off by signing in and by the key list it shows', async () => {
      const { workbench, server } = session!;
      await workbench.runCommand('Welcome: Open Walkthrough...');
      await workbench.chooseQuickPickItem('Get Started with CoderFlow');
      // VS Code's walkthrough page marks a done step with its getting-started-step-checked icon.
      const step = (title: string) => workbench.page.locator('.getting-started-step').filter({ hasText: title });
      const checked = (title: string) => step(title).locator('.codicon-getting-started-step-checked');
      await step('Sign in to your CoderFlow server').waitFor();
      for (const title of ['Sign in to your CoderFlow server', "Use the CoderFlow CLI's configuration", 'Manage and rotate your API keys']) {
        assert.equal(await checked(title).count(), 0, `${title} is not done yet`);
      }

      // The step's own button opens the Profile Manager beside the walkthrough; signing in there
      // lists the new profile's keys too.
      // The view may get a new document when it is shown again (VS Code re-resolves a webview view
      // it had hidden): text typed into the old one while it is replaced would be lost, so the
      // page is used once a document marked before the click is gone or has stayed for 2 s.
      const before = await workbench.webviewFrame({ text: 'Profiles' });
      await before.evaluate(() => Object.assign(window, { beforeOpening: true }));
      await step('Sign in to your CoderFlow server').getByRole('button', { name: 'Open the Profile Manager' }).click();
      const stillOld = () => before.evaluate(() => 'beforeOpening' in window).catch(() => false);
      for (const until = Date.now() + 2000; Date.now() < until && (await stillOld()); ) await new Promise((resolve) => setTimeout(resolve, 100));
      const page = await workbench.webviewFrame({ text: 'Profiles' });
      await signInWithPassword(page, { name: 'Alice', serverUrl: server.url, username: 'alice', password: 'alice-password' });
      await checked('Sign in to your CoderFlow server').waitFor();
      await checked('Manage and rotate your API keys').waitFor();
      // No CoderFlow CLI configuration in this session: that step stays open.
      assert.equal(await checked("Use the CoderFlow CLI's configuration").count(), 0);
      await workbench.screenshot('walkthrough');
    });
  });

  describe('in an untrusted workspace, with a CoderFlow CLI configuration', () => {
    let session: Session | undefined;
    let cliDir: string;

    before(async () => {
      cliDir = mkdtempSync(join(tmpdir(), 'coderflow-cli-'));
      const cliConfig = join(cliDir, 'config.json');
      // In place before VS Code starts, as a person's CLI configuration is.
      const port = await freePort('127.0.0.2');
      writeFileSync(cliConfig, JSON.stringify({ server: `http://127.0.0.2:${port}` }));
      session = await startSession({
        server: { host: '127.0.0.2', port, testControl: true, sso: true },
        // A repository the person did not write names another server: not offered.
        workspaceSettings: { 'profoundCoder.serverUrl': 'https://attacker.example' },
        trust: 'restricted',
        env: { CODERFLOW_CONFIG: cliConfig },
      });
    });
    afterEach(async function () {
      await screenshotIfFailed(this, session);
    });
    after(async () => {
      await session?.stop();
      rmSync(cliDir, { recursive: true, force: true });
    });

    it("offers the CLI configuration's server, never the untrusted workspace's", async () => {
      const page = await openProfileManager(session!);
      await page.getByText(/This workspace is not trusted/).waitFor();
      assert.equal(await serverUrlField(page).inputValue(), session!.server.url);
      await page.getByRole('tab', { name: 'SSO', exact: true }).waitFor();
    });
  });
});
