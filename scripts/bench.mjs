// `npm run bench`: the performance table, measured on this machine in one run.
//
//   node scripts/bench.mjs [--starts N]                  N fresh VS Code starts per extension (default 5)
//   node scripts/bench.mjs --compare DIR [DIR] [--starts N]
//
// Installs VS Code's server and Chromium when missing (scripts/vscode.mjs), compiles the tests,
// packages the extension in a temporary copy of the work tree (scripts/sizes.mjs) and measures
// the VSIX's own contents: sizes here, times in out/test/bench/run.js (activation as an outside
// observer sees it: test/bench/activation.ts). Prints one Markdown table and writes it, with
// every run and the machine, to .artifacts/bench/. Budgets are reported, never enforced: the
// exit code says only whether the bench could measure.
//
// --compare measures only activation, of two extension folders started alternately
// (out/test/bench/compare.js): the packaged CoderFlow against DIR, or the first DIR against the
// second. How a change to activation is judged: two builds, or CoderFlow against a reference
// extension (test/fixtures/).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir, totalmem, uptime } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { BUDGETS, checkBudgets, formatBytes, KB, measure, packageInCopy, unpackVsix } from './sizes.mjs';
import { ensureVscode, root, vscodeDir } from './vscode.mjs';

// The activation budgets: above the empty extension, medians of the pairs.
const ACTIVATION_BUDGETS = { wallMs: 5, cpuMs: 5, heapKeptBytes: 500 * KB };

const { values: options, positionals: compareDirs } = parseArgs({ options: { starts: { type: 'string', default: '5' }, compare: { type: 'boolean', default: false } }, allowPositionals: true });
const starts = Number(options.starts);
if (!Number.isInteger(starts) || starts < 1) {
  console.error('--starts needs a whole number of at least 1.');
  process.exit(2);
}
if (options.compare ? compareDirs.length < 1 || compareDirs.length > 2 : compareDirs.length > 0) {
  console.error('Usage: node scripts/bench.mjs [--starts N] | --compare DIR [DIR] [--starts N]');
  process.exit(2);
}
if (starts < 5) console.log(`[bench] ${starts} start(s) per extension: fewer than the 5 the issue asks for, a trial run only`);

const log = (line) => console.log(`[bench] ${line}`);
const cleanups = [];
let current;
let interrupted;
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  // A running child (the timed part) stops VS Code and Chromium itself on the signal; this
  // script then cleans up and ends instead of going on.
  process.on(signal, () => {
    interrupted = code;
    if (current) current.kill(signal);
    else {
      for (const cleanup of cleanups.reverse().splice(0)) cleanup();
      process.exit(code);
    }
  });
}
const machine = describeMachine();
const loadBefore = loadavg();
let exitCode = 0;
try {
  log(`machine: ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, VS Code ${machine.vscode}; load average ${formatLoad(loadBefore)}`);
  await ensureVscode({ log });
  await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.test.json']);
  log('compiled src and tests (tsc -p tsconfig.test.json)');
  if (options.compare) await compareActivation(compareDirs.map((dir) => resolvePath(dir)));
  else await fullBench();
} catch (error) {
  console.error(interrupted ? '[bench] interrupted' : `[bench] FAILED: ${error.message}`);
  exitCode = 1;
} finally {
  for (const cleanup of cleanups.reverse().splice(0)) cleanup();
}
process.exit(interrupted ?? exitCode);

/** The packaged CoderFlow, unpacked into a temporary folder (removed at the end): what the bench loads. */
async function packagedCoderflow() {
  const copy = await packageInCopy({ log });
  cleanups.push(copy.remove);
  const sizes = measure(copy.dir, copy.vsix);
  const unpacked = mkdtempSync(join(tmpdir(), 'coderflow-bench-vsix-'));
  cleanups.push(() => rmSync(unpacked, { recursive: true, force: true }));
  unpackVsix(copy.vsix, unpacked);
  log(`unpacked the VSIX (${Object.keys(sizes.details.vsixEntries).length} files) to load it as the extension`);
  return { sizes, dir: unpacked };
}

/** The whole table: sizes, activation against the empty extension, the rest of the timed figures. */
async function fullBench() {
  const { sizes, dir: unpacked } = await packagedCoderflow();
  const resultFile = join(unpacked, '..', `${unpacked.split('/').pop()}-times.json`);
  cleanups.push(() => rmSync(resultFile, { force: true }));
  await run(process.execPath, [
    join(root, 'out/test/bench/run.js'),
    '--coderflow', unpacked,
    '--empty', join(root, 'test/fixtures/empty-extension'),
    '--starts', String(starts),
    '--out', resultFile,
  ], { echo: true });
  const times = JSON.parse(readFileSync(resultFile, 'utf8'));
  const loadAfter = loadavg();

  const rows = tableRows(sizes, times);
  const table = markdownTable(rows);
  const report = {
    date: new Date().toISOString(),
    machine,
    loadAverage: { before: loadBefore, after: loadAfter },
    startsPerExtension: starts,
    rows,
    sizes,
    times,
  };
  const file = reportFile('bench', report.date);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  copyFileSync(file, join(dirname(file), 'latest.json'));

  console.log('');
  console.log(table);
  console.log('');
  console.log(
    `Machine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, ${machine.os}; Node ${machine.node}; ` +
      `VS Code ${machine.vscode} (code-server ${machine.codeServer}) in Chromium ${machine.chromium}. ` +
      `Load average (1/5/15 min) ${formatLoad(loadBefore)} before, ${formatLoad(loadAfter)} after.`,
  );
  console.log(`Written to ${file.slice(root.length + 1)}`);
}

/** Activation only, of the packaged CoderFlow against one folder, or of one folder against another. */
async function compareActivation(dirs) {
  const [first, second] = dirs.length === 2 ? dirs : [(await packagedCoderflow()).dir, dirs[0]];
  const file = reportFile('compare', new Date().toISOString());
  await run(process.execPath, [join(root, 'out/test/bench/compare.js'), '--first', first, '--second', second, '--starts', String(starts), '--out', file], { echo: true });
  console.log('');
  console.log(`Load average (1/5/15 min) ${formatLoad(loadBefore)} before, ${formatLoad(loadavg())} after. Written to ${file.slice(root.length + 1)}`);
}

/** Where a run's JSON goes: .artifacts/bench/<kind>-<date>.json, the folder made if missing. */
function reportFile(kind, isoDate) {
  const folder = join(root, '.artifacts/bench');
  mkdirSync(folder, { recursive: true });
  return join(folder, `${kind}-${isoDate.replace(/[:.]/g, '-')}.json`);
}

function tableRows(sizes, times) {
  const ms = (value) => `${value.toFixed(1)} ms`;
  const micros = (value) => `${value.toFixed(2)} µs`;
  const spreadRow = (figure, how, s, format, budget, ok) => ({
    figure, how, median: format(s.median), min: format(s.min), max: format(s.max), budget, ok,
  });
  const sizeRow = (key, how) => {
    const line = checkBudgets(sizes).find((entry) => entry.key === key);
    return { figure: BUDGETS[key].label, how, median: formatBytes(line.bytes), min: '—', max: '—', budget: `≤ ${formatBytes(line.budget)}`, ok: line.ok };
  };
  const activation = times.activation;
  const pairs = activation.wallMs.coderflow.runs.length;
  // Each activation figure three times: CoderFlow's, the empty extension's, and their difference
  // pair by pair, which the budget is about.
  const compared = (name, key, format, how, coderflowHow = how) => {
    const figures = activation[key];
    const budget = ACTIVATION_BUDGETS[key];
    return [
      spreadRow(`${name}, CoderFlow`, coderflowHow, figures.coderflow, format, '—', undefined),
      spreadRow(`${name}, empty extension`, how, figures.empty, format, '—', undefined),
      spreadRow(`${name} above the empty extension`, `CoderFlow minus the empty extension, pair by pair, ${pairs} pairs`, figures.aboveEmpty, format, `≤ ${format(budget)}`, figures.aboveEmpty.median <= budget),
    ];
  };
  const work = times.work.starts;
  const requests = Math.max(...work.map((start) => start.requests));
  const otherFiles = [...new Set(work.flatMap((start) => start.otherFiles))];
  const cliReads = [...new Set(work.map((start) => start.cliConfigReads))].join(' or ');
  const interval = times.sso.intervalSeconds * 1000;
  const gc = activation.gc.join(', ');
  return [
    ...compared('activation wall time', 'wallMs', ms, 'vscode.extensions.getExtension(id).activate() until it settles, a fresh VS Code server per start',
      `vscode.extensions.getExtension(id).activate() until it settles, a fresh VS Code server per start; of which, in the ${work.length} starts with the preload probe: loading the bundle ${ms(activation.coderflowCodeLoadMs.median)}, the activate() call ${ms(activation.coderflowActivateCallMs.median)}, until what it returned settled ${ms(activation.coderflowActivateResolvedMs.median)}`),
    ...compared('activation CPU', 'cpuMs', ms, 'process.cpuUsage() of the extension host (user + system) over the same interval'),
    ...compared('heap kept after activation', 'heapKeptBytes', formatBytes, `heapUsed after a full GC ${activation.heapSettleMs} ms after activation, minus heapUsed after a full GC just before it (gc(): ${gc})`),
    spreadRow("VS Code's own activation figure above the empty extension", `Developer: Show Running Extensions (loading the code + the activate() call, whole ms): CoderFlow ${activation.vscodeReportedMs.coderflow.median} ms − empty extension ${activation.vscodeReportedMs.empty.median} ms (medians)`,
      activation.vscodeReportedMs.aboveEmpty, ms, '—', undefined),
    {
      figure: 'work at activation',
      how: `${work.length} starts with the preload probe, from loading the bundle to ${times.work.settleMs / 1000} s after activate(): the reference server's log and connections; fs calls made by the extension's code`,
      median: `${requests} requests; ${otherFiles.length === 0 ? `reads only the CLI config (${cliReads}× per start)` : `also reads ${otherFiles.join(', ')}`}`,
      min: '—',
      max: '—',
      budget: '0 requests; no file read but the CLI config',
      ok: requests === 0 && otherFiles.length === 0,
    },
    sizeRow('extension', 'production build (npm run package)'),
    sizeRow('webview', 'main.js + main.css + codicon.css'),
    sizeRow('vsix', 'npm run package'),
    spreadRow('first render', `page time origin → 'profile-list-painted' (click → painted: ${ms(times.firstRender.clickToPaintMs.median)})`,
      times.firstRender.pageMs, ms, '≤ 150 ms', times.firstRender.pageMs.median <= 150),
    spreadRow('resolve()', `per call, warm CLI config, ${times.resolve.perCallMicros.runs.length} × 10,000 calls (refresh(): ${micros(times.resolve.refreshPerCallMicros.median)})`,
      times.resolve.perCallMicros, micros, '≤ 50 µs', times.resolve.perCallMicros.median <= 50),
    spreadRow('password sign-in overhead', `wall ${ms(times.password.wallMs.median)} − server ${ms(times.password.serverMs.median)} (medians), ${times.password.wallMs.runs.length} runs`,
      times.password.overheadMs, ms, '≤ 20 ms', times.password.overheadMs.median <= 20),
    spreadRow('SSO pickup', `approval → key stored, interval ${times.sso.intervalSeconds} s, ${times.sso.pickupMs.runs.length} runs (after the poll: ${ms(times.sso.afterPollMs.median)})`,
      times.sso.pickupMs, ms, `≤ interval + 100 ms (${interval + 100} ms)`, times.sso.pickupMs.max <= interval + 100),
  ];
}

function markdownTable(rows) {
  const lines = [
    '| figure | median | min | max | budget | met | how |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row.figure} | ${row.median} | ${row.min} | ${row.max} | ${row.budget} | ${row.ok === undefined ? '—' : row.ok ? 'yes' : '**no**'} | ${row.how} |`),
  ];
  return lines.join('\n');
}

function describeMachine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const osRelease = readText('/etc/os-release');
  const product = JSON.parse(readText(join(vscodeDir, 'product.json')) || '{}');
  const codeServer = JSON.parse(readText(join(vscodeDir, '../../package.json')) || '{}');
  return {
    cpus: availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1].trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    os: /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(osRelease)?.[1] ?? 'unknown',
    node: process.version,
    vscode: product.version ?? 'not installed yet',
    codeServer: codeServer.version ?? 'not installed yet',
    chromium: chromiumVersion(),
    uptimeSeconds: Math.round(uptime()),
  };
}

function chromiumVersion() {
  const result = spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return /\d+(\.\d+)+/.exec(result.stdout ?? '')?.[0] ?? 'unknown';
}

function readText(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function formatLoad(values) {
  return values.map((value) => value.toFixed(2)).join(' / ');
}

function run(command, commandArgs, { echo = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    current = child;
    let output = '';
    const collect = (chunk) => {
      output = (output + chunk).slice(-50_000);
      if (echo) process.stdout.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error) => reject(new Error(`${command} could not start: ${error.message}`)));
    child.on('close', (code, signal) => {
      current = undefined;
      if (code === 0) resolve();
      else reject(new Error(`\`${commandArgs.slice(0, 2).join(' ')}\` exited with ${code ?? signal}:\n${output.trim()}`));
    });
  });
}
