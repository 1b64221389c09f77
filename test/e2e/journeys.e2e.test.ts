import * as assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import type { Frame, Locator } from 'playwright-core';
import { screenshotDir } from '../support/browser';
import { addProfileForm, enterServer, listedNames, openAddProfile, profileEntries, profileItem } from '../support/profileManager';
import { screenshotIfFailed, startSession, type Session } from '../support/session';

// A person adding, switching and removing CoderFlow profiles in the Profile Manager of a real
// VS Code, in Chromium, against the reference server. The journeys share one window and run in
// order: the switching and removing journeys work on the profiles the first three added.

const ALICE = 'Alice (password)';
const BOB = 'Bob (SSO)';
const CAROL = 'Carol (pasted key)';

describe('Profile Manager journeys', function () {
  this.timeout(120_000);
  let session: Session | undefined;
  let page: Frame;

  before(async function () {
    this.timeout(180_000);
    session = await startSession({
      server: {
        // VS Code in a browser (code-server) sends a page VS Code opens at localhost or 127.0.0.1
        // through its port-forwarding proxy, which drops the path: the verification page would
        // not open. Another loopback address stands for a server on another machine.
        host: '127.0.0.2',
        testControl: true,
        // The device flow polls every second instead of five, so the SSO journey waits less.
        pollIntervalSeconds: 1,
      },
    });
    await session.workbench.openViewContainer('CoderFlow');
    page = await session.workbench.webviewFrame({ text: 'Profiles' });
  });

  afterEach(async function () {
    await screenshotIfFailed(this, session);
  });

  after(async () => {
    await session?.stop();
  });

  it('adds a profile with username and password, listed as the active one', async () => {
    await page.getByText('No profiles yet').waitFor();
    await enterServer(page, ALICE, session!.server.url);
    await page.getByRole('textbox', { name: 'Username', exact: true }).fill('alice');
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('alice-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    const alice = profileItem(page, ALICE);
    await alice.waitFor();
    await activeProfile(page, ALICE).waitFor();
    assert.match(await alice.innerText(), /Signed in as Alice Developer \(alice\)/);
    assert.match(await alice.innerText(), /via password/);
    // The form is cleared for the next sign-in and folded; the password is not kept anywhere on the page.
    await openAddProfile(page);
    assert.equal(await page.getByRole('textbox', { name: 'Password', exact: true }).inputValue(), '');
  });

  it('shows a wrong password next to the Password field and keeps the username', async () => {
    await enterServer(page, 'Bob (typo)', session!.server.url);
    const username = page.getByRole('textbox', { name: 'Username', exact: true });
    const password = page.getByRole('textbox', { name: 'Password', exact: true });
    await username.fill('bob');
    await password.fill('not-bobs-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    const error = addProfileForm(page).getByText('Wrong username or password.');
    await error.waitFor();
    assert.equal(await password.getAttribute('aria-invalid'), 'true');
    assert.match(await describedText(password), /Wrong username or password\.\s*Check both and try again\./);
    await assertDirectlyBelow(error, password, page.getByRole('button', { name: 'Sign in', exact: true }));
    assert.equal(await username.inputValue(), 'bob');
    assert.equal(await password.inputValue(), '');
    assert.equal(await profileItem(page, 'Bob (typo)').count(), 0);
  });

  it('adds a profile with SSO, approved in the tab VS Code opens, and lists it by itself', async () => {
    const { workbench, server } = session!;
    await enterServer(page, BOB, server.url);
    await page.getByRole('tab', { name: 'SSO', exact: true }).click();
    const cancelSignIn = () => page.getByRole('button', { name: 'Cancel', exact: true }).click({ timeout: 5_000 }).catch(() => undefined);
    // Asking for SSO is the consent: VS Code opens the browser by itself once the code is there.
    const tab = await workbench.waitForExternalPage(() => page.getByRole('button', { name: 'Sign in with SSO', exact: true }).click()).catch(async (error: unknown) => {
      // A sign-in left running keeps the form busy for the journeys after this one.
      await cancelSignIn();
      throw error;
    });
    const code = page.getByRole('textbox', { name: 'Verification code', exact: true });
    await code.waitFor();
    const shownCode = await code.inputValue();
    assert.match(shownCode, /\S{4,}/, 'the page shows a verification code');
    await page.getByText(/Code expires in \d+:\d\d/).waitFor();
    try {
      assert.ok(tab.url().startsWith(`${server.url}/auth/sso/verify`), `VS Code opened ${tab.url()}`);
      // The person checks that the browser shows the code VS Code shows.
      assert.equal(await tab.getByLabel('Code').inputValue(), shownCode);
      await tab.getByRole('button', { name: 'Continue' }).click();
      await tab.getByLabel('Username').fill('bob');
      await tab.getByLabel('Password').fill('bob-password');
      await tab.getByRole('button', { name: 'Sign in' }).click();
      await tab.getByRole('button', { name: 'Allow' }).click();
      await tab.getByText('Approved — you can close this tab and return to VS Code').waitFor();
    } catch (error) {
      await tab.screenshot({ path: `${screenshotDir}/FAILED-sso-tab.png` }).catch(() => undefined);
      await cancelSignIn();
      throw error;
    } finally {
      await tab.close();
    }

    const bob = profileItem(page, BOB);
    await bob.waitFor({ timeout: 20_000 });
    await activeProfile(page, BOB).waitFor();
    assert.match(await bob.innerText(), /Signed in as Bob Admin \(bob\)/);
    assert.match(await bob.innerText(), /via SSO/);
    assert.equal(await code.isVisible(), false, 'the code panel closes by itself');
  });

  it('adds a profile with a pasted API key', async () => {
    const { server } = session!;
    const issued = await fetch(`${server.url}/__test/keys`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'carol', name: 'Carol laptop' }),
    });
    assert.equal(issued.status, 201);
    const { key } = (await issued.json()) as { key: string };

    await enterServer(page, CAROL, server.url);
    await page.getByRole('tab', { name: 'API key', exact: true }).click();
    const apiKey = page.getByRole('textbox', { name: 'API key', exact: true });
    await apiKey.fill(key);
    await page.getByRole('button', { name: 'Save key', exact: true }).click();

    const carol = profileItem(page, CAROL);
    await carol.waitFor();
    await activeProfile(page, CAROL).waitFor();
    const text = await carol.innerText();
    assert.match(text, /pasted key/);
    assert.ok(text.includes(`key pc_…${key.slice(-4)}`), `the key is shown masked: ${text}`);
    assert.ok(!(await page.locator('body').innerText()).includes(key), 'the whole key is shown nowhere on the page');
    await openAddProfile(page);
    assert.equal(await apiKey.inputValue(), '');
  });

  it('switches between two profiles with Use, and the active marker follows', async () => {
    await activeProfile(page, CAROL).waitFor();
    await profileItem(page, ALICE).getByRole('button', { name: 'Use', exact: true }).click();
    await activeProfile(page, ALICE).waitFor();
    assert.deepEqual(await activeNames(page), [ALICE]);
    // The active profile offers no Use; the one left behind offers it again.
    assert.equal(await profileItem(page, ALICE).getByRole('button', { name: 'Use', exact: true }).count(), 0);

    await profileItem(page, CAROL).getByRole('button', { name: 'Use', exact: true }).click();
    await activeProfile(page, CAROL).waitFor();
    assert.deepEqual(await activeNames(page), [CAROL]);
  });

  it('removes a profile after VS Code asks to confirm, and it leaves the list', async () => {
    const { workbench } = session!;
    await profileItem(page, BOB).getByRole('button', { name: 'Remove', exact: true }).click();
    const question = await workbench.answerDialog('Remove and Revoke Key');
    assert.match(question, new RegExp(`Remove the CoderFlow profile '${escapeRegExp(BOB)}'\\?`));

    await profileItem(page, BOB).waitFor({ state: 'detached' });
    assert.deepEqual(await listedNames(page), [ALICE, CAROL]);
    assert.deepEqual(await activeNames(page), [CAROL]);
  });

  it('looks right with profiles in the light, dark and high-contrast themes', async () => {
    const { workbench } = session!;
    const pageClass = { light: 'vscode-light', dark: 'vscode-dark', 'high-contrast': 'vscode-high-contrast' } as const;
    for (const kind of ['light', 'dark', 'high-contrast'] as const) {
      await workbench.setColorTheme(kind);
      // The page itself takes the theme, not only the workbench around it.
      await page.locator(`body.${pageClass[kind]}`).waitFor();
      await page.getByRole('heading', { name: 'Profiles' }).scrollIntoViewIfNeeded();
      assert.deepEqual(await listedNames(page), [ALICE, CAROL]);
      const shot = await workbench.screenshot(`journeys-profiles-${kind}`);
      assert.ok(statSync(shot).size > 10_000, `${shot} holds a picture`);
    }
  });
});

function activeProfile(page: Frame, name: string): Locator {
  return profileItem(page, name).and(page.locator('[aria-current="true"]'));
}

async function activeNames(page: Frame): Promise<string[]> {
  return listedNames(page, profileEntries(page).and(page.locator('[aria-current="true"]')));
}

/** What a screen reader reads after a field's name: the texts its aria-describedby points at. */
async function describedText(field: Locator): Promise<string> {
  return field.evaluate((input) => {
    const ids = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    return ids.map((id) => input.ownerDocument.getElementById(id)?.textContent?.trim() ?? '').join(' ');
  });
}

/** `message` is on screen between `field` and `next`, where a person looks after pressing `next`. */
async function assertDirectlyBelow(message: Locator, field: Locator, next: Locator): Promise<void> {
  const [m, f, n] = await Promise.all([message.boundingBox(), field.boundingBox(), next.boundingBox()]);
  assert.ok(m && f && n, 'the message, the field and the button are all on screen');
  assert.ok(m.y >= f.y + f.height - 1 && m.y + m.height <= n.y + 1, `message at y=${m.y}, field ends at ${f.y + f.height}, button at ${n.y}`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
