// The reporter of every mocha run in `npm test`: mocha's spec output on the console, and, when
// the run ends, its totals as one JSON line {"passed":N,"failed":N} appended to the file named by
// CODERFLOW_MOCHA_SUMMARY (when set), so the scripts add up counts instead of parsing text.
// CommonJS: mocha loads a reporter given by path with require().
const { appendFileSync } = require('node:fs');
const SUMMARY_ENV = 'CODERFLOW_MOCHA_SUMMARY';

/** Appends one run's totals to the summary file, if there is one. */
function appendSummary(counts, file = process.env[SUMMARY_ENV]) {
  if (file) appendFileSync(file, `${JSON.stringify({ passed: counts.passed, failed: counts.failed })}\n`);
}

// mocha is required only when a run constructs the reporter: scripts/test.mjs imports this module
// (through mochaSummary.mjs) before node_modules may exist.
let reporterClass;
function specWithSummary() {
  const mocha = require('mocha');
  reporterClass ??= class SpecWithSummary extends mocha.reporters.Spec {
    constructor(runner, options) {
      super(runner, options);
      runner.once(mocha.Runner.constants.EVENT_RUN_END, () => appendSummary({ passed: this.stats.passes, failed: this.stats.failures }));
    }
  };
  return reporterClass;
}

/** Called with `new` by mocha; answers an instance of the class above. */
function MochaReporter(runner, options) {
  return new (specWithSummary())(runner, options);
}

module.exports = MochaReporter;
module.exports.SUMMARY_ENV = SUMMARY_ENV;
module.exports.appendSummary = appendSummary;
