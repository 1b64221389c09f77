import type { Frame } from 'playwright-core';
import type { Workbench } from '../support/browser';
import { delay } from '../support/processes';

// Figures the bench reads from the workbench itself: the Profile Manager's first render (the
// page's own performance marks) and the activation time VS Code shows in Developer: Show Running
// Extensions. The extension API has no activation times; the workbench keeps them (codeLoadingTime
// + activateCallTime, whole ms from Date.now(), in VS Code's ExtensionActivationTimes) and shows
// them in that view and in Developer: Startup Performance.

export interface FirstRender {
  /** Inside the page: from its document's time origin to the `profile-list-painted` mark. */
  pageMs: number;
  /** From the click on CoderFlow in the Activity Bar to the same mark (workbench and page clocks). */
  clickToPaintMs: number;
  /** When the page's script bundle (main.js) had arrived, ms after the page's time origin. */
  scriptLoadedMs?: number;
}

const PAINT_MARK = 'profile-list-painted';
const CLICK_AT = '__coderflowBenchClickAt';

export async function measureFirstRender(workbench: Workbench): Promise<FirstRender> {
  const page = workbench.page;
  await page.evaluate((key) => {
    window.addEventListener(
      'pointerdown',
      (event) => {
        (window as unknown as Record<string, number>)[key] = performance.timeOrigin + event.timeStamp;
      },
      { capture: true, once: true },
    );
  }, CLICK_AT);
  await workbench.openViewContainer('CoderFlow');
  const frame = await workbench.webviewFrame({ timeoutMs: 60_000 });
  const marks = await waitForPaintMark(frame);
  const clickAt = await page.evaluate((key) => (window as unknown as Record<string, number>)[key], CLICK_AT);
  if (typeof clickAt !== 'number') throw new Error('the click on CoderFlow in the Activity Bar was not seen');
  return {
    pageMs: marks.painted,
    clickToPaintMs: marks.timeOrigin + marks.painted - clickAt,
    ...(marks.scriptLoaded === undefined ? {} : { scriptLoadedMs: marks.scriptLoaded }),
  };
}

/** The "Activation: N ms" VS Code shows for an extension in Developer: Show Running Extensions. */
export async function runningExtensionsActivation(workbench: Workbench, name: string): Promise<number> {
  await workbench.runCommand('Developer: Show Running Extensions');
  // Rows are labelled with the manifest's name (a development extension shows no display name).
  const row = workbench.page.locator(`.runtime-extensions-editor .monaco-list-row[aria-label="${name}"]`);
  const time = row.first().locator('.activation-time');
  await time.filter({ hasText: /\d+ms/ }).waitFor({ timeout: 30_000 });
  const text = await time.innerText();
  const match = /(\d+)ms/.exec(text);
  if (!match) throw new Error(`Running Extensions shows "${text}" for ${name}`);
  return Number(match[1]);
}

async function waitForPaintMark(frame: Frame): Promise<{ timeOrigin: number; painted: number; scriptLoaded?: number }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const marks = await frame.evaluate((name) => {
      const mark = performance.getEntriesByName(name, 'mark')[0];
      if (!mark) return undefined;
      const script = performance
        .getEntriesByType('resource')
        .find((entry) => /\/dist\/webview\/main\.js(\?|$)/.test(entry.name)) as PerformanceResourceTiming | undefined;
      return { timeOrigin: performance.timeOrigin, painted: mark.startTime, ...(script ? { scriptLoaded: script.responseEnd } : {}) };
    }, PAINT_MARK);
    if (marks) return marks;
    if (Date.now() > deadline) throw new Error(`the Profile Manager page never set the performance mark '${PAINT_MARK}'`);
    await delay(50);
  }
}
