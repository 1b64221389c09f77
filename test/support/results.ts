import { appendFileSync } from 'node:fs';
import type Mocha from 'mocha';

// Mocha runs inside the extension host, whose stdout does not reach the runner in the browser
// set-up. The extension host appends one JSON line per event to a results file instead (its
// path comes in the RESULTS_ENV variable of the VS Code server); the runner reads and prints it.

export const RESULTS_ENV = 'CODERFLOW_TEST_RESULTS';
/** 'restricted': the extension host runs only *.restricted.test.js, in a folder left untrusted. */
export const TEST_MODE_ENV = 'CODERFLOW_TEST_MODE';
/**
 * 'attacks': the extension host runs only the files under attacks/ (the attack suite's host part);
 * otherwise it leaves them out, so that the integration stage does not run them again.
 */
export const TEST_SUITE_ENV = 'CODERFLOW_TEST_SUITE';

export type ResultRecord =
  | { event: 'start'; total: number }
  | { event: 'suite'; title: string; depth: number }
  | { event: 'pass'; title: string; depth: number; durationMs: number; slow: boolean }
  | { event: 'pending'; title: string; depth: number }
  | { event: 'fail'; title: string; fullTitle: string; depth: number; message: string; stack: string }
  | { event: 'end'; passes: number; failures: number; pending: number; durationMs: number }
  | { event: 'crash'; message: string; stack: string };

export function appendResult(file: string, record: ResultRecord): void {
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}

/** A mocha reporter class that writes ResultRecords to `reporterOptions.file`; takes the loaded Mocha. */
export function resultsReporter(mocha: typeof Mocha) {
  const constants = mocha.Runner.constants;
  return class ResultsFileReporter extends mocha.reporters.Base {
    constructor(runner: Mocha.Runner, options: Mocha.MochaOptions = {}) {
      super(runner, options);
      const file = (options.reporterOptions as { file?: string } | undefined)?.file;
      if (!file) throw new Error('ResultsFileReporter needs reporterOptions.file');
      const write = (record: ResultRecord) => appendResult(file, record);
      const depth = (runnable: Mocha.Runnable | Mocha.Suite) => runnable.titlePath().length;
      let passes = 0;
      let failures = 0;
      let pending = 0;
      const started = Date.now();
      runner.on(constants.EVENT_RUN_BEGIN, () => write({ event: 'start', total: runner.total }));
      runner.on(constants.EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
        if (!suite.root) write({ event: 'suite', title: suite.title, depth: depth(suite) });
      });
      runner.on(constants.EVENT_TEST_PASS, (test: Mocha.Test) => {
        passes++;
        write({ event: 'pass', title: test.title, depth: depth(test), durationMs: test.duration ?? 0, slow: (test.duration ?? 0) > test.slow() });
      });
      runner.on(constants.EVENT_TEST_PENDING, (test: Mocha.Test) => {
        pending++;
        write({ event: 'pending', title: test.title, depth: depth(test) });
      });
      runner.on(constants.EVENT_TEST_FAIL, (test: Mocha.Test, error: Error) => {
        failures++;
        write({
          event: 'fail',
          title: test.title,
          fullTitle: test.fullTitle(),
          depth: depth(test),
          message: error?.message ?? String(error),
          stack: error?.stack ?? '',
        });
      });
      runner.once(constants.EVENT_RUN_END, () =>
        write({ event: 'end', passes, failures, pending, durationMs: Date.now() - started }));
    }
  };
}

/** Prints records the way mocha's spec reporter does, ending with its summary lines. */
export class SpecPrinter {
  private failures: Extract<ResultRecord, { event: 'fail' }>[] = [];

  constructor(private readonly out: (line: string) => void = (line) => process.stdout.write(`${line}\n`)) {}

  print(record: ResultRecord): void {
    const indent = (depth: number) => '  '.repeat(depth);
    switch (record.event) {
      case 'start':
        this.out('');
        break;
      case 'suite':
        this.out(`${indent(record.depth)}${record.title}`);
        break;
      case 'pass':
        this.out(`${indent(record.depth)}✔ ${record.title}${record.slow ? ` (${record.durationMs}ms)` : ''}`);
        break;
      case 'pending':
        this.out(`${indent(record.depth)}- ${record.title}`);
        break;
      case 'fail':
        this.failures.push(record);
        this.out(`${indent(record.depth)}${this.failures.length}) ${record.title}`);
        break;
      case 'end':
        this.out('');
        this.out(`  ${record.passes} passing (${formatDuration(record.durationMs)})`);
        if (record.pending > 0) this.out(`  ${record.pending} pending`);
        if (record.failures > 0) this.out(`  ${record.failures} failing`);
        this.failures.forEach((failure, index) => {
          this.out('');
          this.out(`  ${index + 1}) ${failure.fullTitle}:`);
          this.out(indentBlock(failure.stack.includes(failure.message) ? failure.stack : `${failure.message}\n${failure.stack}`, '     '));
        });
        this.out('');
        break;
      case 'crash':
        this.out('');
        this.out(`  The test run crashed: ${record.message}`);
        if (record.stack) this.out(indentBlock(record.stack, '     '));
        break;
    }
  }
}

function indentBlock(text: string, prefix: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

function formatDuration(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)}s` : `${ms}ms`;
}
