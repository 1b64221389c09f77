import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Locator, type Page } from 'playwright-core';
import { installation, repoRoot } from './vscodeServer';

// A person's view of VS Code in the browser: Debian's Chromium driven by playwright-core.

export const EXTENSION_ID = 'profoundlogic.coderflow-vscode';
export const screenshotDir = join(repoRoot, '.artifacts/screenshots');

export async function launchChromium(): Promise<Browser> {
  const { chromiumPath } = await installation();
  return chromium.launch({
    executablePath: chromiumPath,
    // As root Chromium needs --no-sandbox; the rest keeps it off the network and quiet.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

async function isRendered(frame: Frame, text: string | RegExp | undefined): Promise<boolean> {
  try {
    const body = frame.locator('body');
    if (!(await body.isVisible()) || (await body.innerText()).trim() === '') return false;
    return text === undefined || (await frame.getByText(text).first().isVisible());
  } catch {
    // The frame navigated or detached while we looked: not this one, or not yet.
    return false;
  }
}

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

// The built-in theme of each kind, and the class VS Code puts on the workbench once it applies.
const THEMES: Record<ThemeKind, { label: string; bodyClass: string }> = {
  light: { label: 'Light Modern', bodyClass: 'vs' },
  dark: { label: 'Dark Modern', bodyClass: 'vs-dark' },
  'high-contrast': { label: 'Dark High Contrast', bodyClass: 'hc-black' },
  'high-contrast-light': { label: 'Light High Contrast', bodyClass: 'hc-light' },
};

export class Workbench {
  private constructor(readonly page: Page) {}

  /**
   * Opens a workbench URL in a new page and waits until VS Code has drawn its Activity Bar. In a
   * Browser the page gets a context of its own; in a BrowserContext it shares that context's
   * storage with the context's other pages, as tabs of one browser do.
   */
  static async open(browser: Browser | BrowserContext, url: string, viewport = { width: 1400, height: 900 }): Promise<Workbench> {
    let page: Page;
    if ('newContext' in browser) {
      page = await browser.newPage({ viewport });
    } else {
      page = await browser.newPage();
      await page.setViewportSize(viewport);
    }
    await page.goto(url);
    await page.locator('.monaco-workbench .activitybar').waitFor({ timeout: 90_000 });
    return new Workbench(page);
  }

  /**
   * Opens this workbench's page again in another tab of the same browser context: a second VS
   * Code window on the same server and folder, with its own extension host. Needs a context made
   * with browser.newContext() (startSession's `sharedContext`): Playwright refuses a second page
   * in the context browser.newPage() makes.
   */
  async openTab(url = this.page.url()): Promise<Workbench> {
    return Workbench.open(this.page.context(), url, this.page.viewportSize() ?? undefined);
  }

  /** Answers the workspace-trust dialog VS Code shows for a new folder. */
  async answerTrust(answer: 'trust' | 'restricted' = 'trust'): Promise<void> {
    const name = answer === 'trust' ? 'Yes, I trust the authors' : "No, I don't trust the authors";
    const button = this.page.locator('.monaco-dialog-box').getByRole('button', { name });
    await button.click({ timeout: 60_000 });
    await this.page.locator('.monaco-dialog-box').waitFor({ state: 'detached' });
  }

  /**
   * Trusts the folder from the Workspace Trust editor (Workspaces: Manage Workspace Trust → Trust).
   * VS Code shows no trust dialog in a window that runs extension tests: it opens in Restricted
   * Mode, and this is how a person leaves it.
   */
  async trustFromTrustEditor(): Promise<void> {
    await this.runCommand('Workspaces: Manage Workspace Trust');
    await this.page.locator('.workspace-trust-editor').getByRole('button', { name: 'Trust', exact: true }).click();
    await this.page.locator('.part.statusbar').getByText('Restricted Mode').waitFor({ state: 'hidden' });
  }

  /** Clicks a view container's icon in the Activity Bar (its title, e.g. "CoderFlow"). */
  async openViewContainer(title: string): Promise<void> {
    const item = this.page.locator(`.activitybar a.action-label[aria-label="${title}"], .activitybar a.action-label[aria-label^="${title} ("]`);
    await item.first().click({ timeout: 30_000 });
  }

  /**
   * The document of an extension's webview view, once it has rendered something visible (and
   * `text`, when given). VS Code hosts a webview in an iframe (the webview's host page) that holds
   * a second iframe with the extension's HTML; this returns that inner frame.
   */
  async webviewFrame(options: { text?: string | RegExp; extensionId?: string; timeoutMs?: number } = {}): Promise<Frame> {
    const extensionId = options.extensionId ?? EXTENSION_ID;
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const hosts = this.page
        .frames()
        .filter((frame) => frame.url().includes('/webview/') && frame.url().includes(`extensionId=${encodeURIComponent(extensionId)}`));
      for (const host of hosts) {
        for (const inner of host.childFrames()) {
          if (await isRendered(inner, options.text)) return inner;
        }
      }
      if (Date.now() > deadline) {
        const wanted = options.text === undefined ? 'visible content' : String(options.text);
        throw new Error(`no webview of ${extensionId} shows ${wanted} (${hosts.length} webview host frame(s) found)`);
      }
      await this.page.waitForTimeout(250);
    }
  }

  /** Runs a command from the Command Palette by its title as shown there, e.g. "CoderFlow: Sign In". */
  async runCommand(title: string): Promise<void> {
    // Right after the workbench appears its keybindings may not answer yet: retry a few times.
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await this.page.keyboard.press('Control+Shift+P');
        await this.quickInput().waitFor({ timeout: 5_000 });
        await this.quickInput().fill(`>${title}`);
        await this.pickQuickInputRow(title);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`could not run "${title}" from the Command Palette: ${(error as Error).message}`);
        await this.page.keyboard.press('Escape');
      }
    }
  }

  private quickInput() {
    return this.page.locator('.quick-input-widget input[type="text"]');
  }

  /** Clicks the quick-input row whose label is exactly `label` (not the first fuzzy match). */
  private async pickQuickInputRow(label: string): Promise<void> {
    const quoted = label.replace(/["\\]/g, '\\$&');
    const row = this.page.locator(`.quick-input-list .monaco-list-row[aria-label="${quoted}"], .quick-input-list .monaco-list-row[aria-label^="${quoted}, "]`);
    await row.first().click({ timeout: 5_000 });
  }

  /** The text field of the quick input now open (Command Palette, an extension's InputBox or QuickPick). */
  quickInputField(): Locator {
    // Not by type: a password box is an input of type password.
    return this.page.locator('.quick-input-widget .quick-input-box input');
  }

  /** Replaces what the open quick input holds with `value` and presses Enter. */
  async submitQuickInput(value: string): Promise<void> {
    const field = this.quickInputField();
    await field.waitFor();
    await field.fill(value);
    await field.press('Enter');
  }

  /** Clicks the item of the open QuickPick whose text contains `text` (icons are not text). */
  async chooseQuickPickItem(text: string | RegExp): Promise<void> {
    await this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: text }).first().click();
  }

  /** The line under the open quick input: its prompt, or the message of a value it refused. */
  quickInputMessage(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-message');
  }

  /** The title bar of the open quick input, e.g. "CoderFlow: Sign In (1/2)". */
  quickInputTitle(): Locator {
    return this.page.locator('.quick-input-widget .quick-input-title');
  }

  /**
   * Presses `button` in VS Code's modal dialog (an extension's showWarningMessage with
   * modal: true, a confirmation) and returns the dialog's text as shown.
   */
  async answerDialog(button: string, timeoutMs = 30_000): Promise<string> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: timeoutMs });
    const text = await dialog.locator('.dialog-message-row').innerText();
    await dialog.getByRole('button', { name: button, exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    return text;
  }

  /** A Status Bar entry by its accessible name (what a screen reader says for it). */
  statusBarItem(name: string | RegExp): Locator {
    return this.page.locator('.part.statusbar').getByRole('button', { name });
  }

  /**
   * Runs `action`, which makes VS Code open a web page (vscode.env.openExternal), and returns
   * the new tab once it has loaded. VS Code may first ask in a dialog whether to open the
   * external website, or say the browser blocked the pop-up: either way it offers "Open", which
   * this presses, as a person would.
   */
  async waitForExternalPage(action: () => Promise<void>, timeoutMs = 30_000): Promise<Page> {
    const opened = this.page.context().waitForEvent('page', { timeout: timeoutMs });
    await action();
    const openButton = this.page.locator('.monaco-dialog-box').getByRole('button', { name: 'Open', exact: true });
    const asked = openButton.waitFor({ timeout: timeoutMs }).then(() => true, () => false);
    if (await Promise.race([opened.then(() => false), asked])) await openButton.click();
    const page = await opened;
    await page.waitForLoadState('domcontentloaded');
    return page;
  }

  /** The messages of the notification toasts now on screen. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
  }

  /** Waits for a notification toast whose message matches, and returns its text. */
  async waitForNotification(text: string | RegExp, timeoutMs = 30_000): Promise<string> {
    const toast = this.page.locator('.notifications-toasts .notification-list-item-message').filter({ hasText: text });
    await toast.first().waitFor({ timeout: timeoutMs });
    return toast.first().innerText();
  }

  /** Switches the color theme as a person does (Preferences: Color Theme) and waits until it applies. */
  async setColorTheme(kind: ThemeKind): Promise<void> {
    const theme = THEMES[kind];
    await this.runCommand('Preferences: Color Theme');
    await this.quickInput().fill(theme.label);
    await this.pickQuickInputRow(theme.label);
    await this.page.locator(`.monaco-workbench.${theme.bodyClass}`).waitFor();
  }

  /** Saves a screenshot of the page to .artifacts/screenshots/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(screenshotDir, { recursive: true });
    const path = join(screenshotDir, `${name}.png`);
    // A hover left by the last click (an Activity Bar tooltip) would cover part of the picture.
    const editor = await this.page.locator('.part.editor').boundingBox();
    if (editor) await this.page.mouse.move(editor.x + editor.width / 2, editor.y + editor.height / 2);
    await this.page.screenshot({ path });
    return path;
  }
}
