import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReceivedRequest, ReferenceServer } from '../server/index';
import { launchChromium, Workbench } from '../support/browser';
import { delay, removeOnExit } from '../support/processes';
import { createWorkspace, repoRoot, startVscodeServer } from '../support/vscodeServer';
import { PROBE_ENV, type ActivationRecord, type ProbeConfig, type WorkRecord } from './probe';
import { TRIGGER_ENV, type TriggerConfig, type TriggerRecord } from './triggerRecord';
import { measureFirstRender, runningExtensionsActivation, type FirstRender } from './workbenchFigures';

// Activation as someone outside the extension sees it, in a real VS Code (VS Code's server from
// code-server, its workbench in Chromium). Every start is a new VS Code server with fresh data
// folders, so a new extension host that has loaded nothing before. CoderFlow and the empty
// extension take turns. Both are copies with their activation events removed, loaded as the
// window's development extension, so nothing activates them at start-up: the trigger extension
// (trigger.ts), installed next to them, activates them through the extension API and measures,
// the same way for both.
//
// A few more starts of CoderFlow, not timed, run with the preload probe (probe.ts) in the
// extension host to record its work at activation: its file-system calls and connections, and the
// reference server's request log. The probe wraps Node's fs and require(), which would slow
// CoderFlow's activation and not the empty extension's, so the timed starts run without it.

export type ExtensionKind = 'coderflow' | 'empty';

/** The waits of every timed start (StartsOptions), the same for `npm run bench` and its --compare. */
export const START_TIMING = { quietMs: 2_500, gcQuietMs: 200, heapSettleMs: 1_000, workSettleMs: 3_000 } as const;

/**
 * The CLI config the extension host sees in every start: a signed-in CLI with a working key for
 * the reference server, so CoderFlow resolves a credential at activation as a CLI user's window
 * does, and an extension that called the server during activation shows up in its request log.
 */
export async function signedInCliConfig(server: ReferenceServer): Promise<{ path: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'coderflow-bench-cli-'));
  const issued = await server.issueKey('alice', 'CLI Access');
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify({ server: server.url, apiKey: issued.key }, null, 2), { mode: 0o600 });
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TimedStart {
  kind: ExtensionKind;
  trigger: TriggerRecord;
  /** The activation time VS Code itself shows (Developer: Show Running Extensions), whole ms. */
  vscodeReportedMs: number;
  /** From opening the workbench URL to the Activity Bar drawn, for context. */
  workbenchLoadMs: number;
  firstRender?: FirstRender;
}

/** The activation figures of a timed start, one function each: what the bench reports and compares. */
export const ACTIVATION_FIGURES = {
  wallMs: (start: TimedStart) => start.trigger.wallMs,
  cpuMs: (start: TimedStart) => start.trigger.cpuMs,
  heapKeptBytes: (start: TimedStart) => start.trigger.heapKeptBytes - start.trigger.heapBeforeBytes,
};

export interface InstrumentedStart {
  activation: ActivationRecord;
  work: WorkRecord;
  /** Requests the reference server received while the probe recorded this start's work. */
  serverRequests: ReceivedRequest[];
}

export interface StartsOptions {
  coderflowDir: string;
  emptyDir: string;
  /** Timed starts of each extension, alternating; one more unmeasured start warms the machine up first. */
  pairs: number;
  /** Starts of CoderFlow with the preload probe, for its work at activation. */
  instrumentedStarts: number;
  /** Whether each timed start of `coderflowDir` also opens its Profile Manager and times its first render. */
  firstRender: boolean;
  /** Wait after the window's start-up before activating. */
  quietMs: number;
  /** Wait after the full GC that precedes activation (TriggerConfig.gcQuietMs). */
  gcQuietMs: number;
  /** After activation settles: until the heap is measured (trigger), until the work window closes (probe). */
  heapSettleMs: number;
  workSettleMs: number;
  server: ReferenceServer;
  /** The CoderFlow CLI config the extension host sees (CODERFLOW_CONFIG). */
  cliConfigPath: string;
  log(line: string): void;
}

interface Subject {
  kind: ExtensionKind;
  /** The copy VS Code loads. */
  dir: string;
  /** publisher.name */
  id: string;
  /** The manifest's name: how Running Extensions labels a development extension. */
  name: string;
  /** Absolute path of the main file, as the probe sees it. */
  main: string;
}

/** Copies an extension and empties its activationEvents, so that only the extension API activates it. */
function copyWithoutActivationEvents(kind: ExtensionKind, source: string, into: string): Subject {
  cpSync(source, into, { recursive: true });
  const file = join(into, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name: string; publisher: string; main: string; activationEvents?: string[] };
  manifest.activationEvents = [];
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  const dir = realpathSync(into);
  const main = join(dir, manifest.main);
  return { kind, dir, id: `${manifest.publisher}.${manifest.name}`, name: manifest.name, main: main.endsWith('.js') ? main : `${main}.js` };
}

/**
 * The trigger extension as a VSIX: trigger.js and what it imports (compiled next to this file)
 * with a manifest of its own. Installed, not loaded for development: VS Code's web workbench
 * reads its URL's payload into a Map (src/vs/code/browser/workbench/workbench.ts), so a second
 * extensionDevelopmentPath would replace the first.
 */
function packageTrigger(dir: string): string {
  mkdirSync(dir);
  const manifest = {
    name: 'bench-trigger',
    publisher: 'coderflow-bench',
    version: '0.0.1',
    private: true,
    engines: { vscode: '^1.100.0' },
    activationEvents: ['onStartupFinished'],
    main: './trigger.js',
    capabilities: { untrustedWorkspaces: { supported: true } },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const file of ['trigger.js', 'triggerRecord.js']) copyFileSync(join(__dirname, file), join(dir, file));
  const vsix = join(dir, 'bench-trigger.vsix');
  execFileSync(join(repoRoot, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], { cwd: dir, stdio: 'ignore' });
  return vsix;
}

export async function measureStarts(options: StartsOptions): Promise<{ timed: TimedStart[]; instrumented: InstrumentedStart[] }> {
  const workDir = mkdtempSync(join(tmpdir(), 'coderflow-bench-starts-'));
  const stops: (() => Promise<void> | void)[] = [removeOnExit(workDir)];
  const subjects: Record<ExtensionKind, Subject> = {
    coderflow: copyWithoutActivationEvents('coderflow', options.coderflowDir, join(workDir, 'coderflow')),
    empty: copyWithoutActivationEvents('empty', options.emptyDir, join(workDir, 'empty')),
  };
  const triggerVsix = packageTrigger(join(workDir, 'trigger'));
  const workspace = createWorkspace();
  stops.push(() => workspace.remove());
  let startCount = 0;
  try {
    const browser = await launchChromium();
    stops.push(() => browser.close());

    /** A new VS Code server and window with `subject` and the trigger; `use` reads what it wants once the trigger has measured. */
    const session = async <T>(subject: Subject, instrumented: boolean, use: (workbench: Workbench, trigger: TriggerRecord, records: string, workbenchLoadMs: number) => Promise<T>): Promise<T> => {
      const records = join(workDir, `start-${++startCount}.jsonl`);
      writeFileSync(records, '');
      const trigger: TriggerConfig = { out: records, extensionId: subject.id, quietMs: options.quietMs, gcQuietMs: options.gcQuietMs, settleMs: options.heapSettleMs };
      const probe: ProbeConfig = { out: records, mains: [subject.main], settleMs: options.workSettleMs };
      const preload = join(__dirname, 'probe.js');
      const vscode = await startVscodeServer({
        name: 'vscode-bench',
        installExtensions: [triggerVsix],
        env: {
          [TRIGGER_ENV]: JSON.stringify(trigger),
          CODERFLOW_CONFIG: options.cliConfigPath,
          ...(instrumented ? { NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require ${preload}`].filter(Boolean).join(' '), [PROBE_ENV]: JSON.stringify(probe) } : {}),
        },
      });
      try {
        const opened = Date.now();
        const workbench = await Workbench.open(browser, vscode.workbenchUrl({ folder: workspace.folder, extensionDevelopmentPath: subject.dir }));
        const workbenchLoadMs = Date.now() - opened;
        try {
          const record = await waitForRecord<TriggerRecord>(records, 'trigger', 120_000);
          if (record.failed) throw new Error(`${subject.kind}: the trigger failed: ${record.failed}`);
          if (record.wasActive) throw new Error(`${subject.kind} was active before the trigger activated it: something at start-up fired an activation event VS Code derives from its contributions`);
          return await use(workbench, record, records, workbenchLoadMs);
        } finally {
          await workbench.page.close();
        }
      } finally {
        await vscode.stop();
      }
    };

    const timedStart = (subject: Subject, figures: boolean) =>
      session(subject, false, async (workbench, trigger, _records, workbenchLoadMs): Promise<TimedStart> => {
        if (!figures) return { kind: subject.kind, trigger, vscodeReportedMs: Number.NaN, workbenchLoadMs };
        // Only now, after what was measured: trusting the folder is a person's action, not activation.
        await workbench.answerTrust('trust');
        const firstRender = subject.kind === 'coderflow' && options.firstRender ? await measureFirstRender(workbench) : undefined;
        const vscodeReportedMs = await runningExtensionsActivation(workbench, subject.name);
        return { kind: subject.kind, trigger, vscodeReportedMs, workbenchLoadMs, ...(firstRender ? { firstRender } : {}) };
      });

    const instrumentedStart = () =>
      session(subjects.coderflow, true, async (_workbench, _trigger, records): Promise<InstrumentedStart> => {
        const activation = await waitForRecord<ActivationRecord>(records, 'activation', 30_000);
        if (activation.failed) throw new Error(`CoderFlow failed to activate: ${activation.failed}`);
        const work = await waitForRecord<WorkRecord>(records, 'work', options.workSettleMs + 30_000);
        const serverRequests = options.server.requests.filter((request) => request.at >= work.from && request.at <= work.to);
        return { activation, work, serverRequests };
      });

    options.log('warm-up start (not measured): the first VS Code start after a pause is slower than the rest');
    await timedStart(subjects.empty, false);
    const timed: TimedStart[] = [];
    for (let index = 0; index < options.pairs; index++) {
      // Strictly alternating, so a change in the machine's load falls on both extensions alike.
      for (const kind of ['coderflow', 'empty'] as const) {
        const measured = await timedStart(subjects[kind], true);
        timed.push(measured);
        options.log(
          `pair ${index + 1}/${options.pairs} ${subjects[kind].name} wall ${ACTIVATION_FIGURES.wallMs(measured).toFixed(2)} ms, CPU ${ACTIVATION_FIGURES.cpuMs(measured).toFixed(2)} ms, heap kept ${(ACTIVATION_FIGURES.heapKeptBytes(measured) / 1000).toFixed(1)} KB` +
            ` (VS Code shows ${measured.vscodeReportedMs} ms; workbench loaded in ${measured.workbenchLoadMs} ms)` +
            (measured.firstRender ? `; first render ${measured.firstRender.pageMs.toFixed(1)} ms (click→paint ${measured.firstRender.clickToPaintMs.toFixed(1)} ms)` : ''),
        );
      }
    }
    const instrumented: InstrumentedStart[] = [];
    for (let index = 0; index < options.instrumentedStarts; index++) {
      const recorded = await instrumentedStart();
      instrumented.push(recorded);
      options.log(
        `instrumented start ${index + 1}/${options.instrumentedStarts} coderflow: load ${recorded.activation.codeLoadMs.toFixed(2)} ms + activate() ${recorded.activation.activateCallMs.toFixed(2)} ms;` +
          ` ${recorded.work.files.length} fs call(s), ${recorded.serverRequests.length} request(s), ${recorded.work.connections.length} connection(s)`,
      );
    }
    return { timed, instrumented };
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

/** The first JSON line of `kind` the extension host appended to `file`. */
async function waitForRecord<T extends { kind: string }>(file: string, kind: T['kind'], timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    for (const line of text.split('\n')) {
      if (!line) continue;
      const record = JSON.parse(line) as T;
      if (record.kind === kind) return record;
    }
    if (Date.now() > deadline) throw new Error(`the extension host wrote no '${kind}' record within ${timeoutMs / 1000} s (${file})`);
    await delay(100);
  }
}
