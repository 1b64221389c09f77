// `npm run test:faults`: the fault matrix. Runs the fault tests (compiled by
// `tsc -p tsconfig.test.json` beforehand) and prints one table built from what the tests recorded
// while they ran (one JSON line per event, in a file named by CODERFLOW_FAULT_MATRIX).
//
// Fails when a test fails, when a profile was lost, when a key value was found outside
// SecretStorage, or when the final secret scan did not run. Ends with `N passed, N failed`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendSummary, MOCHA_REPORTER, newSummaryFile, readSummary, seconds, SUMMARY_ENV } from './mochaSummary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const specs = 'out/test/faults/**/*.test.js';

if (!existsSync(join(root, 'out/test/faults'))) {
  console.error('out/test/faults is missing: run `npx tsc -p tsconfig.test.json` first.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'coderflow-fault-matrix-'));
const eventsFile = join(dir, 'events.jsonl');
const started = Date.now();
const summary = newSummaryFile('faults');
const code = await run(join(root, 'node_modules/.bin/mocha'), ['--no-config', '--reporter', MOCHA_REPORTER, '--timeout', '30000', '--exit', specs], {
  ...process.env,
  CODERFLOW_FAULT_MATRIX: eventsFile,
  [SUMMARY_ENV]: summary,
});
const events = existsSync(eventsFile)
  ? readFileSync(eventsFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line))
  : [];
rmSync(dir, { recursive: true, force: true });

const rows = new Map();
const row = (area) => {
  if (!rows.has(area)) rows.set(area, { faults: 0, tried: 0, failures: 0, clear: 0, lost: 0, secrets: 0, surfaces: 0 });
  return rows.get(area);
};
let keysScanned = 0;
let scanned = false;
for (const event of events) {
  const r = row(event.area);
  if (event.type === 'fault') r.faults += 1;
  else if (event.type === 'badInput') r.tried += event.tried;
  else if (event.type === 'failure') {
    r.failures += 1;
    if (event.clear) r.clear += 1;
  } else if (event.type === 'profiles') r.lost += event.lost;
  else if (event.type === 'secrets') {
    scanned = true;
    r.secrets += event.hits;
    r.surfaces += event.surfaces;
    keysScanned = Math.max(keysScanned, event.keys);
  }
}

const total = { faults: 0, tried: 0, failures: 0, clear: 0, lost: 0, secrets: 0, surfaces: 0 };
for (const r of rows.values()) for (const name of Object.keys(total)) total[name] += r[name];

const header = ['Area', 'Faults injected', 'Bad inputs tried', 'Failures handled with a clear message', 'Profiles lost', 'Secrets found outside SecretStorage'];
const cells = (name, r) => [name, r.faults, r.tried, `${r.clear} of ${r.failures}`, r.lost, `${r.secrets} (${r.surfaces} places)`].map(String);
const table = [header, ...[...rows].map(([name, r]) => cells(name, r)), cells('Total', total)];
const widths = header.map((_, i) => Math.max(...table.map((line) => line[i].length)));
const format = (line) => `| ${line.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;

console.log('\nFault matrix, from what the tests recorded:\n');
console.log(format(header));
console.log(rule);
for (const line of table.slice(1, -1)) console.log(format(line));
console.log(rule);
console.log(format(table.at(-1)));
console.log(`\n${keysScanned} key values issued by the reference server were looked for; ${seconds(Date.now() - started)} in all.`);

const counts = readSummary(summary);
const problems = [];
if (code !== 0) problems.push(`mocha exited with ${code}`);
if (total.lost !== 0) problems.push(`${total.lost} profile(s) lost`);
if (total.secrets !== 0) problems.push(`${total.secrets} key value(s) found outside SecretStorage`);
if (!scanned) problems.push('the final secret scan did not run');
if (total.clear !== total.failures) problems.push(`${total.failures - total.clear} failure(s) without a clear message`);
if (problems.length > 0) console.log(`FAILED: ${problems.join('; ')}`);
const failed = counts.failed + (problems.length > 0 && counts.failed === 0 ? 1 : 0);
console.log(`${counts.passed} passed, ${failed} failed`);
appendSummary({ passed: counts.passed, failed });
process.exit(problems.length > 0 ? 1 : 0);

function run(command, args, env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error) => {
      console.error(`${command} could not start: ${error.message}`);
      resolve(1);
    });
    child.on('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
}
