// `npm run test:attacks`: the attack suite. Every promise of SECURITY.md tried from outside:
// hostile servers, workspaces, extensions and networks. Two parts, each a mocha run that records
// one row per attack (test/support/attackTable.ts):
//
//   node    test/attacks/**/*.test.js in plain Node, against the reference server or small
//           hostile servers on loopback
//   host    test/integration/attacks/**/*.test.js in the real VS Code extension host, where VS
//           Code's network stack and the extension's exports and commands matter (runBrowser
//           --attacks: servers on 127.0.0.2, the malicious-neighbour fixture installed)
//
//   node scripts/attacks.mjs [--only node|host]
//
// Needs `npx tsc -p tsconfig.test.json` (and for the host part `node scripts/build.mjs`) first.
// Prints the table (area, attack, expected, observed) and ends with `N passed, N failed`.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendSummary, MOCHA_REPORTER, newSummaryFile, readSummary, seconds, SUMMARY_ENV } from './mochaSummary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
if (only !== undefined && only !== 'node' && only !== 'host') {
  console.error('--only takes node or host');
  process.exit(2);
}

if (!existsSync(join(root, 'out/test/support/attackTable.js'))) {
  console.error('out/test is missing: run `npx tsc -p tsconfig.test.json` first.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'coderflow-attacks-'));
const started = Date.now();
const parts = [
  {
    name: 'node',
    title: 'plain Node',
    command: [
      join(root, 'node_modules/.bin/mocha'),
      '--no-config', '--reporter', MOCHA_REPORTER, '--timeout', '60000', '--exit',
      '--require', 'out/test/support/attackTable.js',
      'out/test/attacks/**/*.test.js',
    ],
  },
  { name: 'host', title: 'VS Code extension host', command: [process.execPath, 'out/test/integration/runBrowser.js', '--attacks'] },
].filter((part) => only === undefined || part.name === only);

const totals = { passed: 0, failed: 0 };
const rows = [];
let crashed = false;
for (const part of parts) {
  console.log(`\n━━━ attacks: ${part.title}`);
  const table = join(dir, `${part.name}.jsonl`);
  const summary = newSummaryFile(part.name);
  const code = await run(part.command, { ...process.env, CODERFLOW_ATTACK_TABLE: table, [SUMMARY_ENV]: summary });
  const counts = readSummary(summary);
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  // A run that failed without a failing test (it did not start, or crashed) counts as one failure.
  if (code !== 0 && counts.failed === 0) {
    totals.failed += 1;
    crashed = true;
  }
  const recorded = existsSync(table) ? readFileSync(table, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
  for (const row of recorded) rows.push({ ...row, where: part.name });
}
rmSync(dir, { recursive: true, force: true });

// One table per area, rows in the order they ran.
const header = ['Attack', 'Expected', 'Observed', 'Result'];
const clip = (text, max) => {
  const flat = String(text).replace(/\s+/g, ' ').replace(/\|/g, '\\|');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
console.log(`\nAttack suite: ${rows.length} attacks tried (${seconds(Date.now() - started)})`);
const areas = [...new Set(rows.map((r) => `${r.area}\u0000${r.where}`))];
for (const key of areas) {
  const [area, where] = key.split('\u0000');
  const lines = rows
    .filter((r) => r.area === area && r.where === where)
    .map((r) => [clip(r.attack, 80), clip(r.expected, 70), clip(r.observed, 110), r.passed ? 'pass' : 'FAIL']);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
  const format = (line) => `| ${line.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${area} (${where === 'host' ? 'VS Code extension host' : 'plain Node'})\n`);
  console.log(format(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const line of lines) console.log(format(line));
}
if (crashed) console.log('\nA part of the suite did not finish: see its output above.');
console.log(`${totals.passed} passed, ${totals.failed} failed`);
appendSummary(totals);
process.exit(totals.failed > 0 ? 1 : 0);

function run([command, ...commandArgs], env) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
    // Stopping this script stops the running part, which cleans up its own children.
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    child.on('error', (error) => {
      console.error(`${command} could not start: ${error.message}`);
      resolve(1);
    });
    child.on('close', (exitCode, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      resolve(exitCode ?? (signal ? 1 : 0));
    });
  });
}
