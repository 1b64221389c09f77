import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { generatePseudoLocale, PSEUDO_LOCALE, untranslated, type PseudoLocale, type ShownText } from '../support/pseudoLocale';
import { EXTENSION_ID } from '../support/browser';
import { screenshotIfFailed, startSession, type Session } from '../support/session';
import { repoRoot } from '../support/vscodeServer';

// VS Code in the pseudo-locale, as a person would see it: the Profile Manager in each of its
// states and the commands from the Command Palette. Any Latin word on screen that is not data
// (a user, a profile, a server's answer, an address) is a string that did not go through l10n,
// and the test names it.
//
// VS Code's server takes `--locale qps-ploc` only when a language pack for it is installed (it
// builds the workbench's messages from one; out/server-main.js, remoteLanguagePacks): the fixture
// test/fixtures/pseudo-language-pack is one that leaves VS Code's own text English, so only what
// the extension draws is pseudo, and only that is read.

// Dates and times are formatted by the browser's Intl, which has no pseudo-locale and falls back
// to English month names.
const INTL_WORDS = [
  ...Array.from({ length: 12 }, (_, month) => new Date(2026, month, 15).toLocaleDateString('en-US', { month: 'short' })),
  'AM',
  'PM',
];

/** Every text node, the accessible names and hints, and the title of the page's document. */
function shownOnPage(page: Frame): Promise<ShownText[]> {
  return page.evaluate(() => {
    const shown: Array<{ where: string; text: string }> = [];
    const describe = (element: Element) => `<${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className ? ` class="${String(element.className)}"` : ''}>`;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim();
      if (parent && text && !parent.closest('script, style')) shown.push({ where: `text of ${describe(parent)}`, text });
    }
    const attributes = ['aria-label', 'title', 'placeholder', 'alt', 'aria-roledescription', 'aria-valuetext'];
    for (const element of Array.from(document.body.querySelectorAll(attributes.map((name) => `[${name}]`).join(',')))) {
      for (const name of attributes) {
        const value = element.getAttribute(name);
        if (value) shown.push({ where: `${name} of ${describe(element)}`, text: value });
      }
    }
    shown.push({ where: 'document title', text: document.title });
    const announced = (window as unknown as { announced?: string[] }).announced ?? [];
    for (const text of announced) shown.push({ where: 'screen-reader announcement', text });
    return shown;
  });
}

/** Keeps every text the page's live regions say, from now on, for shownOnPage. */
async function recordAnnouncements(page: Frame): Promise<void> {
  await page.evaluate(() => {
    const record = window as unknown as { announced?: string[] };
    record.announced = [];
    for (const region of Array.from(document.querySelectorAll('[aria-live], [role="alert"], [role="status"]'))) {
      new MutationObserver(() => {
        const text = region.textContent?.trim();
        if (text) record.announced?.push(text);
      }).observe(region, { childList: true, characterData: true, subtree: true });
    }
  });
}

describe(`The extension in the pseudo-locale (${PSEUDO_LOCALE})`, function () {
  this.timeout(180_000);
  let session: Session | undefined;
  let pseudo: PseudoLocale;
  let page: Frame;
  const profileName = 'pseudo-e2e';
  /** The names of alice's keys on the server, once listed: the server's data. */
  let keyNames: string[] = [];
  const vsixDir = mkdtempSync(join(tmpdir(), 'coderflow-pseudo-locale-'));

  before(async function () {
    pseudo = generatePseudoLocale();
    const languagePack = join(vsixDir, 'pseudo-language-pack.vsix');
    execFileSync(
      join(repoRoot, 'node_modules/.bin/vsce'),
      ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', languagePack],
      { cwd: join(repoRoot, 'test/fixtures/pseudo-language-pack'), stdio: 'ignore' },
    );
    session = await startSession({ locale: PSEUDO_LOCALE, installExtensions: [languagePack] });
  });

  afterEach(async function () {
    await screenshotIfFailed(this, session);
  });

  after(async () => {
    await session?.stop();
    pseudo?.remove();
    rmSync(vsixDir, { recursive: true, force: true });
  });

  /** Data the page shows as it is: never translated. */
  function data(): string[] {
    const { server } = session!;
    // Anthropic: the AI provider the page recognises in a pasted key.
    return [profileName, 'alice', 'Alice Developer', server.url, new URL(server.url).host, 'Demo Identity Provider', 'Anthropic', ...keyNames, ...INTL_WORDS];
  }

  async function assertPageTranslated(state: string, extra: string[] = []): Promise<void> {
    keyNames = [...new Set([...keyNames, ...(await page.locator('.key-name').allInnerTexts())])];
    const facts = await page.locator('.step-facts dd').allInnerTexts();
    const english = untranslated(await shownOnPage(page), [...data(), ...facts, ...extra]);
    assert.deepEqual(english, [], `${state}: English outside l10n on the page:\n  ${english.join('\n  ')}`);
  }

  const command = (title: string) => `${pseudo.manifest('CoderFlow')}: ${pseudo.manifest(title)}`;

  it('the generated pseudo-locale would not be packaged, the English translations would', () => {
    const vsce = join(repoRoot, 'node_modules/@vscode/vsce/vsce');
    const listed = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8' }).split('\n');
    assert.deepEqual(listed.filter((file) => file.endsWith(`.${PSEUDO_LOCALE}.json`)), []);
    for (const english of ['package.nls.json', 'l10n/bundle.l10n.json']) assert.ok(listed.includes(english), `${english} is packaged`);
  });

  it('opens the Profile Manager in the pseudo-locale, and its empty state has no English', async () => {
    const { workbench } = session!;
    await workbench.runCommand(command('Open Profile Manager'));
    page = await workbench.webviewFrame({ text: pseudo.t('Profiles') });
    await page.locator('.empty:not([hidden])').waitFor();
    // The page gets VS Code's language: vscode.env.language is the pseudo-locale.
    assert.equal(await page.locator('html').getAttribute('lang'), PSEUDO_LOCALE);
    await recordAnnouncements(page);
    await assertPageTranslated('empty state');
  });

  it('the Add profile form, on each tab, with inline errors and a key that is not a CoderFlow key', async () => {
    const { server } = session!;
    await page.locator('#profileName').fill(profileName);
    await page.locator('#serverUrl').fill(server.url);
    await page.locator('#serverUrl').press('Tab');
    await page.locator('#tab-sso:not([hidden])').waitFor();
    await page.locator('#serverUrl-status .codicon-pass').waitFor();

    // The page's own checks: empty username and password.
    await page.locator('#tab-password').click();
    await page.locator('#panel-password .actions .button:not(.secondary)').click();
    await page.locator('#password-error:not([hidden])').waitFor();
    await assertPageTranslated('password tab, fields left empty');

    // The server's refusal, said by the host.
    await page.locator('#username').fill('alice');
    await page.locator('#password').fill('not-alices-password');
    await page.locator('#panel-password .actions .button:not(.secondary)').click();
    await page.locator('#password-error:not([hidden]), #form-error:not([hidden])').first().waitFor();
    await page.locator('section.add-section[aria-busy="true"]').waitFor({ state: 'detached' });
    await assertPageTranslated('password tab, wrong password');

    await page.locator('#tab-sso').click();
    await page.locator('#panel-sso:not([hidden])').waitFor();
    await assertPageTranslated('SSO tab');

    await page.locator('#tab-apiKey').click();
    await page.locator('#apiKey').fill('sk-ant-api03-not-a-coderflow-key');
    await page.locator('#apiKey-warning:not([hidden])').waitFor();
    await assertPageTranslated('API key tab, an AI provider’s key pasted');
  });

  it('Test connection on the Server URL before signing in: the steps have no English', async () => {
    await page.locator('[data-action="testServer"]').click();
    await page.locator('.server-test-result .diagnostic').waitFor();
    await assertPageTranslated('connection diagnostic of the server URL');
  });

  it('a signed-in profile with its key list and its connection diagnostic', async () => {
    await page.locator('#tab-password').click();
    await page.locator('#password').fill('alice-password');
    await page.locator('#panel-password .actions .button:not(.secondary)').click();
    await page.locator(`li.profile[aria-current="true"]`).filter({ hasText: profileName }).waitFor();
    await page.locator('.keys li.key').first().waitFor();
    await assertPageTranslated('signed in, key list');

    await page.locator('li.profile [data-action="testConnection"]').first().click();
    await page.locator('li.profile .diagnostic').waitFor();
    await assertPageTranslated('signed in, connection diagnostic');
  });

  it('the Command Palette lists every command in the pseudo-locale', async () => {
    const { workbench } = session!;
    // A row's accessible name is its title in the display language; the English title VS Code
    // shows beside it (to search by) is VS Code's.
    const rows = workbench.page.locator('.quick-input-list .monaco-list-row');
    for (const filter of [pseudo.manifest('CoderFlow'), 'CoderFlow']) {
      await workbench.page.keyboard.press('Control+Shift+P');
      const input = workbench.page.locator('.quick-input-widget input[type="text"]');
      await input.fill(`>${filter}`);
      await workbench.page.waitForTimeout(500);
      const labels = (await rows.evaluateAll((elements) => elements.map((row) => row.getAttribute('aria-label') ?? '')))
        // VS Code's own command for the view, named after the view container (VS Code's English).
        // The palette's own group names, which VS Code appends to a row's name.
        .map((text) => text.replace(/, (recently used|other commands|similar commands)$/, ''))
        .filter((text) => !/^[^:]+: Focus on .+ View$/.test(text))
        .map((text) => ({ where: `Command Palette row for "${filter}"`, text }));
      await workbench.page.keyboard.press('Escape');
      if (filter !== 'CoderFlow') assert.ok(labels.length >= 5, `the palette lists the commands by their pseudo category (${labels.length} rows)`);
      const english = untranslated(labels, []);
      assert.deepEqual(english, [], `English command titles:\n  ${english.join('\n  ')}`);
    }
  });

  /** The quick input's title, prompt, placeholder and items as shown now. */
  async function quickInputTexts(): Promise<ShownText[]> {
    const widget = session!.workbench.page.locator('.quick-input-widget');
    const texts: ShownText[] = [];
    for (const [where, selector] of [
      ['quick input title', '.quick-input-title'],
      ['quick input message', '.quick-input-message'],
    ] as const) {
      for (const text of await widget.locator(selector).allInnerTexts()) {
        // VS Code's own hint after an input box's prompt.
        const own = text.replace(/\(?Press 'Enter' to confirm (your input )?or 'Escape' to cancel\)?/, '').trim();
        if (own) texts.push({ where, text: own });
      }
    }
    // An item's accessible name holds its label, description and detail; an icon of the label,
    // $(name), is said as its name and two spaces.
    const items = await widget.locator('.quick-input-list .monaco-list-row:visible').evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label') ?? ''));
    for (const item of items) {
      const text = item.replace(/^[a-z-]+ {2}/, '').trim();
      if (text) texts.push({ where: 'quick input item', text });
    }
    const placeholder = await widget.locator('.quick-input-box input').first().getAttribute('placeholder');
    if (placeholder) texts.push({ where: 'quick input placeholder', text: placeholder });
    return texts;
  }

  it('Sign In, Switch Profile, Manage API Keys and Show Credential Source ask in the pseudo-locale', async () => {
    const { workbench } = session!;
    for (const title of ['Sign In', 'Switch Profile', 'Manage API Keys', 'Show Credential Source']) {
      await workbench.runCommand(command(title));
      // The command's own quick input, with its title, replaces the palette (which has none).
      await workbench.quickInputTitle().filter({ hasText: /\S/ }).waitFor();
      // The items arrive with the quick input or just after (a list read from the server).
      await workbench.page.waitForTimeout(1_000);
      const english = untranslated(await quickInputTexts(), data());
      await workbench.page.keyboard.press('Escape');
      assert.deepEqual(english, [], `${title}: English in the quick input:\n  ${english.join('\n  ')}`);
    }
  });

  it('Sign Out asks in the pseudo-locale, and the status bar then says so in it', async () => {
    const { workbench } = session!;
    await workbench.runCommand(command('Sign Out'));
    const dialog = workbench.page.locator('.monaco-dialog-box');
    await dialog.waitFor();
    const texts: ShownText[] = [];
    for (const [where, selector] of [
      ['dialog message', '.dialog-message-text'],
      ['dialog detail', '.dialog-message-detail'],
      ['dialog button', '.dialog-buttons .monaco-button'],
    ] as const) {
      for (const text of await dialog.locator(selector).allInnerTexts()) {
        // Cancel is the button VS Code adds to every modal dialog, in VS Code's language.
        if (text.trim() && text.trim() !== 'Cancel') texts.push({ where, text });
      }
    }
    const keep = pseudo.t('Sign Out, Keep Key on Server');
    await dialog.getByRole('button', { name: keep, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    // Signed out: the extension's status bar entry says so.
    const entry = workbench.page.locator(`.part.statusbar .statusbar-item[id^="${EXTENSION_ID}"]`).first();
    await entry.filter({ hasNotText: profileName }).waitFor();
    texts.push({ where: 'status bar entry', text: await entry.innerText() });
    const label = await entry.locator('[aria-label]').first().getAttribute('aria-label');
    if (label) texts.push({ where: 'status bar entry’s accessible name', text: label });
    const english = untranslated(texts, data());
    assert.deepEqual(english, [], `English in Sign Out's dialog and the status bar:\n  ${english.join('\n  ')}`);
  });
});
