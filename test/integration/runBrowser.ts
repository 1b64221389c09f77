import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startServer } from '../server/index';
import { launchChromium, Workbench } from '../support/browser';
import { delay, interruptedBy, removeOnExit } from '../support/processes';
import { RESULTS_ENV, SpecPrinter, TEST_MODE_ENV, TEST_SUITE_ENV, type ResultRecord } from '../support/results';
import { TEST_SERVER_URL_ENV } from '../support/session';
import { RESTRICTED_WORKSPACE_SETTINGS } from './restrictedSettings';
import { createWorkspace, freshRunDir, repoRoot, startVscodeServer, type VscodeServer } from '../support/vscodeServer';

// Runs the integration suite (index.ts and *.test.js next to it) in a real VS Code extension
// host: VS Code's server on 127.0.0.1, its workbench in Chromium, the reference CoderFlow server
// for sign-ins. Prints mocha's spec output; the exit code is the number of failures (at least 1
// when the run crashed or timed out).
//
//   node out/test/integration/runBrowser.js [--grep TEXT] [--timeout SECONDS] [--echo] [--attacks]
//
// --attacks runs the attack suite's host part instead (attacks/*.test.js, which the normal run
// leaves out): one trusted pass, the reference server on 127.0.0.2 under a path prefix (VS Code
// leaves Node's network stack alone only for localhost and 127.0.0.1) and the malicious-neighbour
// fixture extension installed. The attack table's file (CODERFLOW_ATTACK_TABLE) reaches the
// extension host with the rest of this process's environment.

const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const timeoutMs = Number(option('--timeout') ?? 600) * 1000;
const grep = option('--grep');
const echo = args.includes('--echo');
const attacks = args.includes('--attacks');
const START_TIMEOUT_MS = 120_000;
const ATTACK_HOST = '127.0.0.2';
const ATTACK_PREFIX_PATH = '/cf';

async function main(): Promise<number> {
  const started = Date.now();
  // First the suite in a trusted folder, then the *.restricted.test.js files in a folder left
  // untrusted (Restricted Mode), whose .vscode/settings.json carries the restricted settings.
  const trusted = await runPass({ restricted: false, remainingMs: timeoutMs });
  if (interruptedBy() || attacks) return Math.min(trusted, 255);
  const restricted = await runPass({ restricted: true, remainingMs: timeoutMs - (Date.now() - started) });
  log(`done in ${seconds(started)}`);
  return Math.min(trusted + restricted, 255);
}

async function runPass(pass: { restricted: boolean; remainingMs: number }): Promise<number> {
  const started = Date.now();
  const name = pass.restricted ? 'restricted' : attacks ? 'attacks' : 'integration';
  const runDir = freshRunDir(name);
  const resultsFile = join(runDir, 'results.jsonl');
  const stops: (() => Promise<void> | void)[] = [removeOnExit(runDir)];
  let vscode: VscodeServer | undefined;
  let outcome: Outcome = { failures: 1, finished: false, reason: 'the run did not start' };
  // VS Code's logs (extension host output included) stay on disk after a failed run.
  const keepLogs = () => (!outcome.finished || outcome.failures > 0) && !interruptedBy();
  try {
    const server = await startServer({ testControl: true, pollIntervalSeconds: 1, ...(attacks ? { host: ATTACK_HOST, prefix: ATTACK_PREFIX_PATH } : {}) });
    stops.push(() => server.stop());
    const neighbour = attacks ? packageNeighbour() : undefined;
    if (neighbour) stops.push(neighbour.remove);
    const workspace = createWorkspace(pass.restricted ? RESTRICTED_WORKSPACE_SETTINGS : undefined);
    stops.push(() => workspace.remove());
    vscode = await startVscodeServer({
      name: `vscode-${name}`,
      echo,
      env: {
        [RESULTS_ENV]: resultsFile,
        [TEST_SERVER_URL_ENV]: server.url,
        [TEST_MODE_ENV]: pass.restricted ? 'restricted' : 'trusted',
        ...(grep ? { CODERFLOW_TEST_GREP: grep } : {}),
        ...(attacks ? { [TEST_SUITE_ENV]: 'attacks' } : {}),
      },
      ...(neighbour ? { installExtensions: [neighbour.vsix] } : {}),
    });
    const served = vscode;
    stops.push(() => served.stop({ keepData: keepLogs() }));
    const browser: Browser = await launchChromium();
    stops.push(() => browser.close());
    log(`${name}: VS Code server ${vscode.origin}, reference server ${server.url} (${seconds(started)})`);
    const workbench = await Workbench.open(
      browser,
      vscode.workbenchUrl({ folder: workspace.folder, extensionTestsPath: join(repoRoot, 'out/test/integration/index.js') }),
    );
    if (pass.restricted) {
      log(`${name}: workbench loaded, folder left untrusted (${seconds(started)})`);
    } else {
      // index.ts waits for trust before it starts mocha.
      await workbench.trustFromTrustEditor();
      log(`${name}: workbench loaded, folder trusted from the Workspace Trust editor (${seconds(started)})`);
    }
    outcome = await followResults(resultsFile, vscode, pass.remainingMs - (Date.now() - started));
  } catch (error) {
    outcome = { failures: 1, finished: false, reason: (error as Error).stack ?? String(error) };
  } finally {
    if (interruptedBy()) {
      log(`interrupted by ${interruptedBy()}`);
    } else if (!outcome.finished) {
      log(`FAILED: ${outcome.reason}`);
    }
    if (vscode && keepLogs()) log(`VS Code's logs are kept in ${join(vscode.dataDir, 'server-data/data/logs')}`);
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        log(`cleanup: ${(error as Error).message}`);
      }
    }
  }
  return outcome.failures;
}

interface Outcome {
  failures: number;
  /** Mocha reached its end event. */
  finished: boolean;
  reason: string;
}

/** Hands a run's totals to the script that started this runner, as mocha's own runs do. */
function reportTotals(passed: number, failed: number): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const reporter = require(join(repoRoot, 'scripts/mochaReporter.cjs')) as { appendSummary(counts: { passed: number; failed: number }): void };
  reporter.appendSummary({ passed, failed });
}

/** Prints the extension host's results as they come, until mocha's end, a crash or the timeout. */
async function followResults(file: string, vscode: VscodeServer, remainingMs: number): Promise<Outcome> {
  const printer = new SpecPrinter();
  const deadline = Date.now() + remainingMs;
  // A test module that VS Code could not load reports nothing at all: do not wait the full timeout.
  const startDeadline = Date.now() + START_TIMEOUT_MS;
  let consumed = 0;
  let failures = 0;
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    for (const line of complete.slice(consumed).split('\n')) {
      if (!line) continue;
      const record = JSON.parse(line) as ResultRecord;
      printer.print(record);
      if (record.event === 'fail') failures++;
      if (record.event === 'end') {
        reportTotals(record.passes, record.failures);
        return { failures: record.failures, finished: true, reason: '' };
      }
      if (record.event === 'crash') return { failures: Math.max(failures, 1), finished: false, reason: `the extension host reported: ${record.message}` };
    }
    consumed = complete.length;
    if (vscode.process.hasExited()) {
      return { failures: Math.max(failures, 1), finished: false, reason: `VS Code's server exited:\n${vscode.process.output()}` };
    }
    if (consumed === 0 && Date.now() > startDeadline) {
      return { failures: 1, finished: false, reason: `the extension host did not start the tests within ${START_TIMEOUT_MS / 1000} s` };
    }
    if (Date.now() > deadline) {
      return { failures: Math.max(failures, 1), finished: false, reason: `timed out after ${timeoutMs / 1000} s` };
    }
    await delay(250);
  }
}

/** The malicious-neighbour fixture (test/fixtures/malicious-neighbour) as a VSIX, installed like any extension. */
function packageNeighbour(): { vsix: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'coderflow-neighbour-'));
  const vsix = join(dir, 'malicious-neighbour.vsix');
  execFileSync(
    join(repoRoot, 'node_modules/.bin/vsce'),
    ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix],
    { cwd: join(repoRoot, 'test/fixtures/malicious-neighbour'), stdio: 'ignore' },
  );
  return { vsix, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function log(line: string): void {
  console.log(`[integration] ${line}`);
}

function seconds(started: number): string {
  return `${((Date.now() - started) / 1000).toFixed(1)} s`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
