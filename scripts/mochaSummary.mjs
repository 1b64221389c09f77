// Mocha's totals as JSON: every mocha run reports through scripts/mochaReporter.cjs, which
// appends {"passed":N,"failed":N} to the file named by CODERFLOW_MOCHA_SUMMARY; the integration
// runner appends the same line for each run in the extension host (test/integration/runBrowser.ts).
// A script that starts such runs names a fresh file for them and adds up its lines.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The reporter's path, for `mocha --reporter`. */
export const MOCHA_REPORTER = join(dirname(fileURLToPath(import.meta.url)), 'mochaReporter.cjs');

const reporter = require(MOCHA_REPORTER);
export const SUMMARY_ENV = reporter.SUMMARY_ENV;
/** Appends totals to the file the parent script named, so it counts this script's runs too. */
export const appendSummary = reporter.appendSummary;

/** A path for the summary of the runs of one stage or part; the first run to end creates the file. */
export function newSummaryFile(name) {
  return join(tmpdir(), `coderflow-mocha-${process.pid}-${Date.now()}-${name}.jsonl`);
}

/** The totals of every run that reported to `file` (none when no run got as far as its end); removes the file. */
export function readSummary(file) {
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  rmSync(file, { force: true });
  return lines.map((line) => JSON.parse(line)).reduce((total, run) => ({ passed: total.passed + run.passed, failed: total.failed + run.failed }), { passed: 0, failed: 0 });
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
