import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { profileItem, signInWithPassword } from '../support/profileManager';
import { screenshotIfFailed, startSession, type Session } from '../support/session';
import { whileUnwritable } from '../support/unwritable';

// A person who shares a profile's key with the coder CLI (Save to CLI profile) rotates that key
// in the Profile Manager of a real VS Code, in Chromium: the CLI config must then hold a key the
// server accepts and the old key be revoked; with the CLI config unwritable, VS Code names it
// before revoking and keeps the old key when the person says so.

const PROFILE = 'Alice (rotation)';
const CLI_PROFILE = 'alice-rotation';

describe('Rotation journey: Save to CLI profile, then Rotate key', function () {
  this.timeout(120_000);
  let session: Session | undefined;
  let page: Frame;
  let dir: string;
  let cliFile: string;

  const cliKey = (): string | undefined =>
    (JSON.parse(readFileSync(cliFile, 'utf8')) as { profiles?: Record<string, { apiKey?: string }> }).profiles?.[CLI_PROFILE]?.apiKey;
  const meStatus = async (key: string) => (await fetch(`${session!.server.url}/auth/me`, { headers: { authorization: `Bearer ${key}` } })).status;
  async function untilCliKey(test: (key: string | undefined) => boolean, what: string): Promise<string> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const key = cliKey();
      if (test(key) && key) return key;
      if (Date.now() > deadline) assert.fail(`${what} within 20 s (the CLI config holds ${key === undefined ? 'no key' : 'another key'})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  before(async function () {
    this.timeout(180_000);
    dir = mkdtempSync(join(tmpdir(), 'coderflow-e2e-rotation-'));
    cliFile = join(dir, 'config.json');
    writeFileSync(cliFile, '{\n  "telemetry": { "level": "off" }\n}\n', { mode: 0o600 });
    session = await startSession({
      // Another loopback address stands for a server on another machine (see journeys.e2e).
      server: { host: '127.0.0.2', testControl: true },
      // The CLI config the extension and the coder CLI read, instead of the machine's own.
      env: { CODERFLOW_CONFIG: cliFile },
    });
    await session.workbench.openViewContainer('CoderFlow');
    page = await session.workbench.webviewFrame({ text: 'Profiles' });
    await signInWithPassword(page, { name: PROFILE, serverUrl: session.server.url, username: 'alice', password: 'alice-password' });
  });

  afterEach(async function () {
    await screenshotIfFailed(this, session);
  });

  after(async () => {
    await session?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function saveToCli(): Promise<string> {
    const { workbench } = session!;
    await profileItem(page, PROFILE).getByRole('button', { name: 'Save to CLI profile', exact: true }).click();
    await workbench.quickInputMessage().getByText(/The CoderFlow CLI profile in/).waitFor();
    await workbench.submitQuickInput(CLI_PROFILE);
    return untilCliKey((key) => key !== undefined, 'the key is saved to the CLI profile');
  }

  async function rotate(): Promise<void> {
    await page.getByRole('button', { name: 'Rotate key', exact: true }).click();
  }

  it('moves the CLI profile to the new key before revoking the old one', async () => {
    const oldKey = await saveToCli();
    assert.equal(await meStatus(oldKey), 200);
    await rotate();
    await page.locator('.keys-status').getByText(/was rotated: it now holds ".*", as CLI profile 'alice-rotation' in .* do/).waitFor({ timeout: 30_000 });
    const newKey = await untilCliKey((key) => key !== oldKey, 'the CLI profile gets the new key');
    assert.equal(await meStatus(newKey), 200, 'the server accepts the key the CLI config now holds');
    assert.equal(await meStatus(oldKey), 401, 'the old key is revoked');
    assert.match(readFileSync(cliFile, 'utf8'), /^\{\n {2}"telemetry": \{ "level": "off" \},\n/, 'the rest of the file is as it was');
  });

  it('with the CLI config unwritable, names it before revoking and keeps the old key when the person says so', async () => {
    const { workbench } = session!;
    const oldKey = cliKey();
    assert.ok(oldKey && (await meStatus(oldKey)) === 200);
    const before = readFileSync(cliFile, 'utf8');
    await whileUnwritable(cliFile, async () => {
      await rotate();
      const question = await workbench.answerDialog('Keep Old Key');
      assert.match(question, new RegExp(`the CoderFlow CLI config ${cliFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} could not be updated to the new key of '${PROFILE.replace(/[()]/g, '\\$&')}'`));
      assert.match(question, /Revoke the old key anyway\?/);
      await page.locator('.keys-status').getByText(/is kept live because the CoderFlow CLI config .* could not be updated/).waitFor({ timeout: 30_000 });
    });
    assert.equal(readFileSync(cliFile, 'utf8'), before, 'the CLI config is untouched');
    assert.equal(await meStatus(oldKey), 200, 'the coder CLI keeps working with the old key');
  });

  it('Cancel in the progress notification before the old key is deleted changes nothing', async () => {
    const { workbench, server } = session!;
    // The CLI profile still holds the key kept above: save the profile's current key over it.
    const kept = cliKey();
    await profileItem(page, PROFILE).getByRole('button', { name: 'Save to CLI profile', exact: true }).click();
    await workbench.submitQuickInput(CLI_PROFILE);
    assert.match(await workbench.answerDialog('Replace'), /The CLI profile 'alice-rotation' exists already/);
    const oldKey = await untilCliKey((key) => key !== kept, 'the CLI profile gets the profile’s key');
    assert.equal(await meStatus(oldKey), 200);
    const before = readFileSync(cliFile, 'utf8');
    const keyCount = async () => ((await (await fetch(`${server.url}/api-keys`, { headers: { authorization: `Bearer ${oldKey}` } })).json()) as { keys: unknown[] }).keys.length;
    const count = await keyCount();
    // Step 3 (the test of the new key) is slow, so there is time to press Cancel.
    server.faults.set({ path: '/auth/me', method: 'GET', latencyMs: 10_000 });
    try {
      const sent = server.requests.length;
      await rotate();
      // Step 3 has started once the server sees the new key's /auth/me after the create.
      const deadline = Date.now() + 30_000;
      while (!server.requests.slice(sent).some((r, i, all) => r.method === 'GET' && r.path === '/auth/me' && all.slice(0, i).some((p) => p.method === 'POST' && p.path === '/api-keys'))) {
        assert.ok(Date.now() < deadline, 'the rotation reached its test step');
        await new Promise((r) => setTimeout(r, 50));
      }
      const toasts = workbench.page.locator('.notifications-toasts .notification-list-item').filter({ visible: true, hasText: /3 of 4: testing the new key/ });
      await toasts.first().waitFor({ timeout: 30_000 });
      assert.match(await toasts.first().innerText(), /rotating the key of 'Alice \(rotation\)'/);
      // VS Code may draw the notification twice while it animates, and a click can miss a moving
      // button: press Cancel until the notification goes, within the 10 s the test step is held.
      let pressed = false;
      for (const until = Date.now() + 8_000; Date.now() < until && (await toasts.count()) > 0; ) {
        const cancel = toasts.first().getByRole('button', { name: 'Cancel', exact: true });
        pressed = (await cancel.click({ timeout: 1_000 }).then(() => true, () => false)) || pressed;
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(pressed, 'Cancel was pressed in the progress notification');
      await toasts.first().waitFor({ state: 'detached', timeout: 30_000 });
    } finally {
      server.faults.clear();
    }
    // The page is done once Rotate key can be pressed again.
    await page.locator('button[data-action="rotateKey"]:not([aria-disabled="true"])').waitFor({ timeout: 30_000 });
    assert.equal(readFileSync(cliFile, 'utf8'), before, 'the CLI config holds the old key, byte for byte');
    assert.equal(await meStatus(oldKey), 200, 'the old key still works');
    assert.equal(await keyCount(), count, 'the new key was revoked: no key is left that nothing holds');
  });
});
