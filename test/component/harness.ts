import assert from 'node:assert/strict';
// The Profile Manager page alone in Chromium: the document and Content Security Policy the
// extension serves, the bundle `scripts/build.mjs` makes, and in place of VS Code a stub host that
// records what the page posts and can post messages into it.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { profileManagerHtml } from '../../src/profileManager/pageHtml';
import type { Answer, PageNotification, ProfileView, RequestKind, RequestPayload, ToHost, ToPage } from '../../src/shared/webviewProtocol';

/** What the page sent, a request shown as its kind and payload (its id is the harness's business). */
export type PageMessage = PageNotification | { [K in RequestKind]: { type: K } & RequestPayload<K> }[RequestKind];
type PageMessageOf<T extends PageMessage['type']> = Extract<PageMessage, { type: T }>;

export const root = resolve(__dirname, '../../..');
export const screenshotDir = join(root, '.artifacts/screenshots');

let built = false;

/** Bundles the page once per test process. */
export function buildPage(): void {
  if (built) return;
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
  built = true;
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

async function servePage(): Promise<{ server: Server; origin: string }> {
  const webviewDir = join(root, 'dist/webview');
  const server = createServer((request, response) => {
    void (async () => {
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      if (path === '/') {
        const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        // A test's translations, as the host passes vscode.l10n.bundle (any shape: the page checks it).
        const l10n = new URL(request.url ?? '/', origin).searchParams.get('l10n');
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          profileManagerHtml({
            cspSource: origin,
            nonce: randomBytes(18).toString('base64'),
            scriptUri: `${origin}/webview/main.js`,
            styleUri: `${origin}/webview/main.css`,
            codiconsUri: `${origin}/webview/codicons/codicon.css`,
            ...(l10n ? { l10nBundle: JSON.parse(l10n) as Record<string, string> } : {}),
          }),
        );
        return;
      }
      const file = normalize(join(webviewDir, decodeURIComponent(path.replace(/^\/webview\//, ''))));
      if (!path.startsWith('/webview/') || !file.startsWith(webviewDir + sep)) {
        response.writeHead(404).end();
        return;
      }
      try {
        const body = await readFile(file);
        response.writeHead(200, { 'content-type': contentTypes[extname(file)] ?? 'application/octet-stream' });
        response.end(body);
      } catch {
        response.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Runs in the page before its own scripts: VS Code's `acquireVsCodeApi`, recorded. */
function installStubHost(): void {
  const w = window as unknown as Record<string, unknown>;
  const saved = sessionStorage.getItem('vscode-state');
  let state: unknown = saved === null ? undefined : JSON.parse(saved);
  const toHost: unknown[] = [];
  const violations: string[] = [];
  w.__toHost = toHost;
  w.__violations = violations;
  document.addEventListener('securitypolicyviolation', (event) => {
    violations.push(`${event.violatedDirective} ${event.blockedURI}`);
  });
  let acquired = false;
  w.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      // VS Code structured-clones messages; a JSON round trip is as strict for plain data.
      postMessage: (message: unknown) => toHost.push(JSON.parse(JSON.stringify(message))),
      getState: () => state,
      setState: (next: unknown) => {
        state = next;
        const text = JSON.stringify(next);
        sessionStorage.setItem('vscode-state', text);
        const history = JSON.parse(sessionStorage.getItem('vscode-state-history') ?? '[]') as string[];
        history.push(text);
        sessionStorage.setItem('vscode-state-history', JSON.stringify(history));
        return next;
      },
    });
  };
}

export type Theme = 'light' | 'dark' | 'high-contrast';

// Colours of VS Code's Light Modern, Dark Modern and High Contrast themes, set the way VS Code
// sets them for a webview: a class on <body> and custom properties on <html>.
const themes: Record<Theme, Record<string, string>> = {
  light: {
    'sideBar-background': '#f8f8f8',
    foreground: '#3b3b3b',
    descriptionForeground: '#717171',
    errorForeground: '#f85149',
    focusBorder: '#005fb8',
    'sideBarSectionHeader-foreground': '#3b3b3b',
    'input-background': '#ffffff',
    'input-foreground': '#3b3b3b',
    'input-border': '#cecece',
    'input-placeholderForeground': '#767676',
    'button-background': '#005fb8',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#0258a8',
    'button-border': '#0000001a',
    'button-secondaryBackground': '#e5e5e5',
    'button-secondaryForeground': '#3b3b3b',
    'button-secondaryHoverBackground': '#cccccc',
    'badge-background': '#cccccc',
    'badge-foreground': '#3b3b3b',
    'panel-border': '#e5e5e5',
    'panelTitle-activeBorder': '#005fb8',
    'panelTitle-activeForeground': '#3b3b3b',
    'panelTitle-inactiveForeground': '#3b3b3b',
    'list-inactiveSelectionBackground': '#e4e6f1',
    'inputValidation-errorBorder': '#be1100',
    'inputValidation-errorBackground': '#f2dede',
    'inputValidation-warningBorder': '#b89500',
    'inputValidation-warningBackground': '#f6f5d2',
    'testing-iconPassed': '#388a34',
    'editorWarning-foreground': '#bf8803',
    'textLink-foreground': '#005fb8',
  },
  dark: {
    'sideBar-background': '#181818',
    foreground: '#cccccc',
    descriptionForeground: '#9d9d9d',
    errorForeground: '#f85149',
    focusBorder: '#0078d4',
    'sideBarSectionHeader-foreground': '#cccccc',
    'input-background': '#313131',
    'input-foreground': '#cccccc',
    'input-border': '#3c3c3c',
    'input-placeholderForeground': '#989898',
    'button-background': '#0078d4',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#026ec1',
    'button-border': '#ffffff12',
    'button-secondaryBackground': '#313131',
    'button-secondaryForeground': '#cccccc',
    'button-secondaryHoverBackground': '#3c3c3c',
    'badge-background': '#616161',
    'badge-foreground': '#f8f8f8',
    'panel-border': '#2b2b2b',
    'panelTitle-activeBorder': '#0078d4',
    'panelTitle-activeForeground': '#cccccc',
    'panelTitle-inactiveForeground': '#9d9d9d',
    'list-inactiveSelectionBackground': '#37373d',
    'inputValidation-errorBorder': '#be1100',
    'inputValidation-errorBackground': '#5a1d1d',
    'inputValidation-warningBorder': '#b89500',
    'inputValidation-warningBackground': '#352a05',
    'testing-iconPassed': '#73c991',
    'editorWarning-foreground': '#cca700',
    'textLink-foreground': '#4daafc',
  },
  'high-contrast': {
    'sideBar-background': '#000000',
    foreground: '#ffffff',
    descriptionForeground: '#ffffffb3',
    errorForeground: '#f48771',
    focusBorder: '#f38518',
    contrastBorder: '#6fc3df',
    contrastActiveBorder: '#f38518',
    'sideBarSectionHeader-foreground': '#ffffff',
    'input-background': '#000000',
    'input-foreground': '#ffffff',
    'input-border': '#6fc3df',
    'input-placeholderForeground': '#ffffffb3',
    'button-background': '#000000',
    'button-foreground': '#ffffff',
    'button-border': '#6fc3df',
    'button-secondaryBackground': '#000000',
    'button-secondaryForeground': '#ffffff',
    'badge-background': '#000000',
    'badge-foreground': '#ffffff',
    'panel-border': '#6fc3df',
    'panelTitle-activeBorder': '#6fc3df',
    'panelTitle-activeForeground': '#ffffff',
    'panelTitle-inactiveForeground': '#ffffff',
    'inputValidation-errorBorder': '#be1100',
    'inputValidation-errorBackground': '#000000',
    'inputValidation-warningBorder': '#b89500',
    'inputValidation-warningBackground': '#000000',
    'testing-iconPassed': '#73c991',
    'editorWarning-foreground': '#ffcc00',
    'textLink-foreground': '#21a6ff',
  },
};

const common: Record<string, string> = {
  'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "monospace", monospace',
};

export async function applyTheme(page: Page, theme: Theme): Promise<void> {
  await page.evaluate(
    ({ theme, variables }) => {
      document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast');
      document.body.classList.add(`vscode-${theme}`);
      document.body.dataset.vscodeThemeKind = `vscode-${theme}`;
      const style = document.documentElement.style;
      for (let index = style.length - 1; index >= 0; index--) {
        const name = style.item(index);
        if (name.startsWith('--vscode-')) style.removeProperty(name);
      }
      for (const [name, value] of Object.entries(variables)) style.setProperty(`--vscode-${name}`, value);
      style.setProperty('background', 'var(--vscode-sideBar-background)');
    },
    { theme, variables: { ...common, ...themes[theme] } },
  );
}

/** One browser per test file, one fresh context per page. */
export class ComponentBrowser {
  private constructor(
    private readonly browser: Browser,
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async launch(): Promise<ComponentBrowser> {
    buildPage();
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const { server, origin } = await servePage();
    return new ComponentBrowser(browser, server, origin);
  }

  /** A sidebar-sized page with the stub host; the page has posted `ready` when this returns. */
  async open(options: { theme?: Theme; width?: number; l10nBundle?: unknown } = {}): Promise<StubHost> {
    const context = await this.browser.newContext({ viewport: { width: options.width ?? 340, height: 900 } });
    const page = await context.newPage();
    // Well under mocha's timeout, so that a failing wait names its locator.
    page.setDefaultTimeout(5000);
    const host = new StubHost(context, page);
    await page.addInitScript(installStubHost);
    await page.goto(options.l10nBundle === undefined ? this.origin : `${this.origin}/?l10n=${encodeURIComponent(JSON.stringify(options.l10nBundle))}`);
    await applyTheme(page, options.theme ?? 'dark');
    await host.waitFor('ready');
    return host;
  }

  async close(): Promise<void> {
    await this.browser.close();
    await new Promise((done) => this.server.close(done));
  }
}

/** VS Code's side of the page: what the page posted, and ways to answer it and post into it. */
export class StubHost {
  readonly errors: string[] = [];

  constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('pageerror', (error) => this.errors.push(error.message));
  }

  async received(): Promise<PageMessage[]> {
    return (await this.sent()).map((message) => (message.type === 'request' ? ({ type: message.kind, ...message.payload } as PageMessage) : message));
  }

  private async sent(): Promise<ToHost[]> {
    return this.page.evaluate(() => (window as unknown as { __toHost: ToHost[] }).__toHost.slice());
  }

  async receivedOf<T extends PageMessage['type']>(type: T): Promise<Array<PageMessageOf<T>>> {
    return (await this.received()).filter((message): message is PageMessageOf<T> => message.type === type);
  }

  /** Waits until the page posted a message of `type` (the `count`-th one, counting from 1). */
  async waitFor<T extends PageMessage['type']>(type: T, count = 1): Promise<PageMessageOf<T>> {
    return eventually(async () => {
      const messages = await this.receivedOf(type);
      if (messages.length < count) throw new Error(`the page has posted ${messages.length} "${type}" message(s), expected ${count}`);
      return messages[count - 1];
    });
  }

  /** Answers the page's `count`-th request of `kind` (its latest when not given), as the host would. */
  async answer<K extends RequestKind>(kind: K, answer: Answer<K>, count?: number): Promise<void> {
    await this.answerRaw(kind, answer, count);
  }

  /** Answers with anything, as a broken or hostile host could. */
  async answerRaw(kind: RequestKind, answer: Record<string, unknown>, count?: number): Promise<void> {
    const id = await eventually(async () => {
      const requests = (await this.sent()).filter((message) => message.type === 'request' && message.kind === kind);
      const request = requests[(count ?? requests.length) - 1];
      if (request?.type !== 'request') throw new Error(`the page has posted ${requests.length} "${kind}" request(s), expected ${count ?? 1}`);
      return request.id;
    });
    await this.sendRaw({ type: 'response', id, ...answer });
  }

  async send(message: ToPage): Promise<void> {
    await this.sendRaw(message);
  }

  /** Posts anything, as a broken or hostile host could. */
  async sendRaw(message: unknown): Promise<void> {
    await this.page.evaluate((data) => window.postMessage(data, '*'), message);
  }

  async sendState(profiles: ProfileView[], extra: Omit<Extract<ToPage, { type: 'state' }>, 'type' | 'profiles'> = {}): Promise<void> {
    await this.send({ type: 'state', profiles, ...extra });
  }

  /** Every value the page ever saved with setState, as JSON text. */
  async savedStates(): Promise<string[]> {
    return this.page.evaluate(() => JSON.parse(sessionStorage.getItem('vscode-state-history') ?? '[]') as string[]);
  }

  async cspViolations(): Promise<string[]> {
    return this.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations.slice());
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitFor('ready');
  }

  async close(): Promise<void> {
    await this.context.close();
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(screenshotDir, { recursive: true });
    const path = join(screenshotDir, `component-${name}.png`);
    await this.page.screenshot({ path, fullPage: true });
    return path;
  }
}

/** Retries `check` until it stops throwing (Playwright's `expect` polling, without @playwright/test). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((done) => setTimeout(done, 50));
    }
  }
}

export const profiles = {
  production: {
    id: 'ext-production',
    name: 'production',
    serverUrl: 'https://coderflow.example.com',
    user: 'alice',
    method: 'password',
    source: 'extension',
    active: true,
    activeSource: 'profile',
    maskedKey: 'pc_…a1b2',
    keyId: 'key-1',
    status: 'verified',
    lastVerifiedAt: '2025-01-15T10:30:00.000Z',
  },
  staging: {
    id: 'ext-staging',
    name: 'staging',
    serverUrl: 'https://staging.example.com/coderflow',
    user: 'alice',
    method: 'sso',
    source: 'extension',
    active: false,
    maskedKey: 'pc_…c3d4',
  },
  cli: {
    id: 'cli-ci',
    name: 'ci',
    serverUrl: 'https://coderflow.example.com',
    method: 'unknown',
    source: 'cli',
    active: false,
    maskedKey: 'pc_…e5f6',
  },
  signedOut: {
    id: 'ext-old',
    name: 'old-laptop',
    serverUrl: 'https://old.example.com',
    method: 'password',
    source: 'extension',
    active: false,
    status: 'signedOut',
  },
} satisfies Record<string, ProfileView>;

export interface PageFixture {
  /** Opens a page (closed and checked after the test), for tests that open their own. */
  open(options?: { theme?: Theme; width?: number; l10nBundle?: unknown }): Promise<StubHost>;
}

/**
 * Registers the mocha hooks every page test uses: one Chromium per file, pages closed after each
 * test with a check that they threw nothing. With `onOpen`, each test starts with a fresh page
 * handed to it first.
 */
export function usePage(onOpen?: (host: StubHost) => Promise<void> | void): PageFixture {
  let browser: ComponentBrowser | undefined;
  const opened: StubHost[] = [];
  const fixture: PageFixture = {
    async open(options) {
      if (!browser) throw new Error('the browser is not launched yet');
      const host = await browser.open(options);
      opened.push(host);
      return host;
    },
  };
  before(async () => {
    browser = await ComponentBrowser.launch();
  });
  after(async () => {
    await browser?.close();
  });
  if (onOpen) beforeEach(async () => onOpen(await fixture.open()));
  afterEach(async () => {
    const errors = opened.flatMap((host) => host.errors);
    for (const host of opened.splice(0)) await host.close();
    assert.deepEqual(errors, [], 'the page threw');
  });
  return fixture;
}
