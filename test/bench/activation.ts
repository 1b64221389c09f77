import { existsSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import type { ReceivedRequest, ReferenceServer } from '../server/index';
import { launchChromium, Workbench } from '../support/browser';
import { delay, removeOnExit } from '../support/processes';
import { createWorkspace, startVscodeServer } from '../support/vscodeServer';
import { PROBE_ENV, type ActivationRecord, type ProbeConfig, type ProbeRecord, type WorkRecord } from './probe';

// Fresh starts of a real VS Code (VS Code's server from code-server, its workbench in Chromium),
// alternating between CoderFlow and the empty extension, both loaded the same way: as the
// development extension of the window (the `payload` URL). Each start is a new browser context,
// so a new workbench and a new extension host process. The probe (probe.ts) preloaded into the
// extension host times activation; the reference server's request log shows the network use.

export type ExtensionKind = 'coderflow' | 'empty';

export interface FirstRender {
  /** Inside the page: from its document's time origin to the `profile-list-painted` mark. */
  pageMs: number;
  /** From the click on CoderFlow in the Activity Bar to the same mark (workbench and page clocks). */
  clickToPaintMs: number;
  /** When the page's script bundle (main.js) had arrived, ms after the page's time origin. */
  scriptLoadedMs?: number;
}

export interface Start {
  kind: ExtensionKind;
  activation: ActivationRecord;
  work: WorkRecord;
  /** Requests the reference server received while the probe recorded this start's work. */
  serverRequests: ReceivedRequest[];
  firstRender?: FirstRender;
  /** The activation time VS Code itself shows (Developer: Show Running Extensions), whole ms. */
  vscodeReportedMs: number;
  /** From opening the workbench URL to the Activity Bar drawn, for context. */
  workbenchLoadMs: number;
}

export interface StartsOptions {
  coderflowDir: string;
  emptyDir: string;
  /** Starts of each extension; one more unmeasured start warms VS Code's server up first. */
  starts: number;
  settleMs: number;
  server: ReferenceServer;
  /** The CoderFlow CLI config the extension host sees (CODERFLOW_CONFIG). */
  cliConfigPath: string;
  log(line: string): void;
}

const PAINT_MARK = 'profile-list-painted';
const CLICK_AT = '__coderflowBenchClickAt';

function manifestOf(extensionDir: string): { main: string; name: string } {
  const manifest = JSON.parse(readFileSync(join(extensionDir, 'package.json'), 'utf8')) as { main: string; name: string };
  const main = join(realpathSync(extensionDir), manifest.main);
  return { main: main.endsWith('.js') ? main : `${main}.js`, name: manifest.name };
}

export async function measureStarts(options: StartsOptions): Promise<Start[]> {
  const probeDir = mkdtempSync(join(tmpdir(), 'coderflow-bench-probe-'));
  const removeProbeDir = removeOnExit(probeDir);
  const probeOut = join(probeDir, 'records.jsonl');
  writeFileSync(probeOut, '');
  const dirs: Record<ExtensionKind, string> = { coderflow: realpathSync(options.coderflowDir), empty: realpathSync(options.emptyDir) };
  const manifests = { coderflow: manifestOf(dirs.coderflow), empty: manifestOf(dirs.empty) };
  const mains: Record<ExtensionKind, string> = { coderflow: manifests.coderflow.main, empty: manifests.empty.main };
  const probe: ProbeConfig = { out: probeOut, mains: Object.values(mains), settleMs: options.settleMs };
  const preload = join(__dirname, 'probe.js');
  const workspace = createWorkspace();
  const stops: (() => Promise<void> | void)[] = [() => workspace.remove(), removeProbeDir];
  try {
    const vscode = await startVscodeServer({
      name: 'vscode-bench',
      env: {
        NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require ${preload}`].filter(Boolean).join(' '),
        [PROBE_ENV]: JSON.stringify(probe),
        CODERFLOW_CONFIG: options.cliConfigPath,
      },
    });
    stops.push(() => vscode.stop());
    const browser = await launchChromium();
    stops.push(() => browser.close());
    const seenPids = new Set<number>();

    const start = async (kind: ExtensionKind, measureRender: boolean): Promise<Start> => {
      const opened = Date.now();
      const workbench = await Workbench.open(browser, vscode.workbenchUrl({ folder: workspace.folder, extensionDevelopmentPath: dirs[kind] }));
      const workbenchLoadMs = Date.now() - opened;
      try {
        const activation = await waitForRecord(probeOut, (r): r is ActivationRecord => r.kind === 'activation' && r.main === mains[kind] && !seenPids.has(r.pid), 60_000);
        seenPids.add(activation.pid);
        if (activation.failed) throw new Error(`${kind} failed to activate: ${activation.failed}`);
        const work = await waitForRecord(probeOut, (r): r is WorkRecord => r.kind === 'work' && r.pid === activation.pid && r.main === mains[kind], options.settleMs + 30_000);
        const serverRequests = options.server.requests.filter((request) => request.at >= work.from && request.at <= work.to);
        // Only now, after the recorded window: trusting the folder is a person's action, not activation.
        await workbench.answerTrust('trust');
        const firstRender = measureRender ? await measureFirstRender(workbench) : undefined;
        const vscodeReportedMs = await runningExtensionsActivation(workbench, manifests[kind].name);
        return { kind, activation, work, serverRequests, workbenchLoadMs, vscodeReportedMs, ...(firstRender ? { firstRender } : {}) };
      } finally {
        await workbench.page.close();
      }
    };

    options.log('warm-up start (not measured): the first workbench a VS Code server serves is slower than the rest');
    await start('empty', false);
    const starts: Start[] = [];
    for (let index = 0; index < options.starts; index++) {
      // Alternating, so a change in the machine's load falls on both extensions alike.
      for (const kind of index % 2 === 0 ? (['coderflow', 'empty'] as const) : (['empty', 'coderflow'] as const)) {
        const measured = await start(kind, kind === 'coderflow');
        starts.push(measured);
        const a = measured.activation;
        options.log(
          `start ${index + 1}/${options.starts} ${kind.padEnd(9)} load ${a.codeLoadMs.toFixed(2)} ms (require() ${a.requiresMs.toFixed(2)} ms) + activate ${a.activateCallMs.toFixed(2)} ms` +
            ` + settle ${a.activateResolvedMs.toFixed(2)} ms (VS Code shows ${measured.vscodeReportedMs} ms);` +
            ` ${measured.work.files.length} fs call(s), ${measured.serverRequests.length} request(s)` +
            (measured.firstRender ? `; first render ${measured.firstRender.pageMs.toFixed(1)} ms (click→paint ${measured.firstRender.clickToPaintMs.toFixed(1)} ms)` : ''),
        );
      }
    }
    return starts;
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

async function measureFirstRender(workbench: Workbench): Promise<FirstRender> {
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
async function runningExtensionsActivation(workbench: Workbench, name: string): Promise<number> {
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

async function waitForRecord<T extends ProbeRecord>(file: string, matches: (record: ProbeRecord) => record is T, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    for (const line of text.split('\n')) {
      if (!line) continue;
      const record = JSON.parse(line) as ProbeRecord;
      if (matches(record)) return record;
    }
    if (Date.now() > deadline) throw new Error(`the extension host probe reported nothing within ${timeoutMs / 1000} s (is the probe loaded? ${file})`);
    await delay(100);
  }
}

