import type { Browser } from 'playwright-core';
import { startServer } from '../server/index';
import { launchChromium, Workbench } from './browser';
import { createWorkspace, startVscodeServer, type VscodeServer } from './vscodeServer';

// Everything one e2e journey needs, started in order and stopped in reverse: the reference
// CoderFlow server, VS Code's server with the extension loaded from this repository, Chromium
// on a fresh workspace folder.

export const TEST_SERVER_URL_ENV = 'CODERFLOW_TEST_SERVER_URL';

export type ReferenceServer = Awaited<ReturnType<typeof startServer>>;

export interface SessionOptions {
  /** Options of the reference server (test/server). */
  server?: Parameters<typeof startServer>[0];
  /** The workspace's .vscode/settings.json, or a function of the reference server's URL that returns it. */
  workspaceSettings?: Record<string, unknown> | ((serverUrl: string) => Record<string, unknown>);
  /** How to answer the workspace-trust dialog. */
  trust?: 'trust' | 'restricted';
  /** Extra environment of the VS Code server, which its extension hosts inherit. */
  env?: NodeJS.ProcessEnv;
  /**
   * Open the workbench in a browser context that takes more pages, so `workbench.openTab()` can
   * open a second window on the same server, sharing the browser's storage as tabs do.
   */
  sharedContext?: boolean;
  /** VSIX files of other extensions to install in VS Code first (e.g. a fixture that borrows the sign-in). */
  installExtensions?: string[];
  /** VS Code's display language (its server's `--locale`), e.g. the pseudo-locale `qps-ploc`. */
  locale?: string;
}

export interface Session {
  readonly server: ReferenceServer;
  readonly vscode: VscodeServer;
  readonly browser: Browser;
  readonly workbench: Workbench;
  readonly workspaceFolder: string;
  stop(): Promise<void>;
}

/**
 * A mocha afterEach hook body: saves a screenshot named after a failed test, so a failure in CI
 * shows what the person would have seen.
 */
export async function screenshotIfFailed(context: Mocha.Context, session: Session | undefined): Promise<void> {
  const test = context.currentTest;
  if (!session || test?.state !== 'failed') return;
  const name = `FAILED-${test.fullTitle().replace(/[^A-Za-z0-9]+/g, '-').slice(0, 100)}`;
  const path = await session.workbench.screenshot(name).catch(() => undefined);
  if (path) console.log(`      screenshot of the failure: ${path}`);
}

export async function startSession(options: SessionOptions = {}): Promise<Session> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse().splice(0)) {
      try {
        await cleanup();
      } catch (error) {
        console.error(`cleanup failed: ${(error as Error).message}`);
      }
    }
  };
  try {
    const server = await startServer(options.server ?? { testControl: true });
    cleanups.push(() => server.stop());
    const settings = typeof options.workspaceSettings === 'function' ? options.workspaceSettings(server.url) : options.workspaceSettings;
    const workspace = createWorkspace(settings);
    cleanups.push(() => workspace.remove());
    const vscode = await startVscodeServer({
      name: 'vscode-e2e',
      env: { [TEST_SERVER_URL_ENV]: server.url, ...options.env },
      ...(options.installExtensions ? { installExtensions: options.installExtensions } : {}),
      ...(options.locale ? { locale: options.locale } : {}),
    });
    cleanups.push(() => vscode.stop());
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const opener = options.sharedContext ? await browser.newContext() : browser;
    const workbench = await Workbench.open(opener, vscode.workbenchUrl({ folder: workspace.folder }));
    await workbench.answerTrust(options.trust ?? 'trust');
    return { server, vscode, browser, workbench, workspaceFolder: workspace.folder, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
