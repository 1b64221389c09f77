import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import type Mocha from 'mocha';
import vscode = require('vscode');
import { mochaHooks } from '../support/attackTable';
import { appendResult, RESULTS_ENV, resultsReporter, TEST_MODE_ENV, TEST_SUITE_ENV } from '../support/results';

// The extension-test entry point (extensionTestsPath): VS Code loads this module in the real
// extension host and awaits run(). Both runners load it: runBrowser (VS Code's server in
// Chromium, results through the file named by RESULTS_ENV) and runDesktop (@vscode/test-electron,
// mocha's spec reporter on the console).

type MochaClass = typeof Mocha;

const TRUST_TIMEOUT_MS = 60_000;

class TestFailures extends Error {}

export async function run(): Promise<void> {
  const resultsFile = process.env[RESULTS_ENV];
  try {
    const restricted = process.env[TEST_MODE_ENV] === 'restricted';
    if (!restricted) await waitForWorkspaceTrust();
    const failures = await runMocha(resultsFile, restricted);
    // VS Code reports a rejected run() as a failed test run (exit code 1 on the desktop).
    if (failures > 0) throw new TestFailures(`${failures} integration test${failures === 1 ? '' : 's'} failed`);
  } catch (error) {
    if (resultsFile && !(error instanceof TestFailures)) {
      const { message, stack } = error instanceof Error ? error : new Error(String(error));
      appendResult(resultsFile, { event: 'crash', message, stack: stack ?? '' });
    }
    throw error;
  }
}

/**
 * The tests run as a person who trusted the folder. VS Code shows no trust dialog in a window
 * that runs extension tests; runBrowser trusts the folder from the Workspace Trust editor, and
 * runDesktop turns trust off.
 */
async function waitForWorkspaceTrust(): Promise<void> {
  if (vscode.workspace.isTrusted) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`the workspace was not trusted within ${TRUST_TIMEOUT_MS / 1000} s`));
    }, TRUST_TIMEOUT_MS);
    const subscription = vscode.workspace.onDidGrantWorkspaceTrust(() => {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    });
  });
}

function runMocha(resultsFile: string | undefined, restricted: boolean): Promise<number> {
  const MochaRunner = loadMocha();
  const mocha = new MochaRunner({
    ui: 'bdd',
    color: !resultsFile,
    timeout: 30_000,
    ...(process.env.CODERFLOW_TEST_GREP ? { grep: process.env.CODERFLOW_TEST_GREP } : {}),
    ...(resultsFile
      ? { reporter: resultsReporter(MochaRunner), reporterOptions: { file: resultsFile } }
      : { reporter: 'spec' }),
  });
  // The restricted pass runs only the tests written for an untrusted folder, and the trusted pass
  // only the others. The attack suite's host part (attacks/) runs only when asked for, alone.
  const attacks = process.env[TEST_SUITE_ENV] === 'attacks';
  if (attacks) mocha.rootHooks(mochaHooks);
  const inAttacks = (file: string) => file.startsWith(join(__dirname, 'attacks') + sep);
  for (const file of testFiles(__dirname).filter((f) => f.endsWith('.restricted.test.js') === restricted && inAttacks(f) === attacks)) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    try {
      mocha.run(resolve);
    } catch (error) {
      reject(error);
    }
  });
}

/** mocha 12 is an ES module whose default export is the Mocha class; older ones are CommonJS. */
function loadMocha(): MochaClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require('mocha') as MochaClass | { default: MochaClass };
  return 'default' in loaded ? loaded.default : loaded;
}

function testFiles(folder: string): string[] {
  return (readdirSync(folder, { recursive: true }) as string[])
    .filter((name) => name.endsWith('.test.js'))
    .sort()
    .map((name) => join(folder, name));
}
