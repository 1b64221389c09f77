// `npm test`: every check of the project, in order, stopping at the first that fails.
//
//   node scripts/test.mjs                      all stages
//   node scripts/test.mjs --only unit,e2e      the named stages (and the builds they need)
//   node scripts/test.mjs --list               the stage names
//
// Installs the npm dependencies first when node_modules is missing or older than package-lock.json.
// Ends with the line `N passed, N failed`, summed over the mocha stages. Works as root, without
// a terminal (CI=true, no stdin).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
// Only dependency-free modules are imported here: node_modules may not exist yet.
import { ensureDependencies } from './ensureDependencies.mjs';
import { ensureVscode, root } from './vscode.mjs';
import { MOCHA_REPORTER, newSummaryFile, readSummary, seconds, SUMMARY_ENV } from './mochaSummary.mjs';


const bin = (name) => join(root, 'node_modules/.bin', name);
const node = process.execPath;

const hasFiles = (folder, pattern) =>
  existsSync(join(root, folder)) && readdirSync(join(root, folder), { recursive: true }).some((name) => pattern.test(name));

/** Each stage: a title, what it runs, whether it runs mocha (and so reports totals), what it needs first. */
const stages = [
  { name: 'install', title: 'Chromium and VS Code server installed', run: () => ensureVscode() },
  { name: 'build', title: 'bundle (node scripts/build.mjs)', command: [node, 'scripts/build.mjs'] },
  { name: 'compile', title: 'compile src and tests (tsc -p tsconfig.test.json)', command: [bin('tsc'), '-p', 'tsconfig.test.json'] },
  { name: 'typecheck', title: 'type check (tsc -p tsconfig.json --noEmit)', command: [bin('tsc'), '-p', 'tsconfig.json', '--noEmit'] },
  {
    name: 'typecheck-webview',
    title: 'type check the webview (tsc -p webview-ui/tsconfig.json)',
    command: [bin('tsc'), '-p', 'webview-ui/tsconfig.json', '--noEmit'],
    when: () => hasFiles('webview-ui', /\.ts$/),
  },
  { name: 'lint', title: 'lint (eslint .)', command: [bin('eslint'), '.'] },
  { name: 'knip', title: 'unused files, exports and dependencies (knip)', command: [bin('knip')] },
  { name: 'unit', title: 'unit tests (mocha)', command: [bin('mocha')], mocha: true, needs: ['compile'] },
  { name: 'faults', title: 'fault matrix and bad input (npm run test:faults)', command: [node, 'scripts/faults.mjs'], mocha: true, needs: ['compile'] },
  {
    name: 'attacks',
    title: 'attack suite: hostile servers, workspaces, extensions and networks, in Node and the extension host (npm run test:attacks)',
    command: [node, 'scripts/attacks.mjs'],
    mocha: true,
    needs: ['install', 'build', 'compile'],
  },
  {
    name: 'component',
    title: 'component tests (mocha, Chromium)',
    command: [bin('mocha'), '--no-config', '--reporter', MOCHA_REPORTER, '--timeout', '60000', '--exit', 'out/test/component/**/*.test.js'],
    mocha: true,
    needs: ['install', 'build', 'compile'],
    when: () => hasFiles('out/test/component', /\.test\.js$/),
  },
  {
    name: 'integration',
    title: 'integration tests in the VS Code extension host',
    command: [node, 'out/test/integration/runBrowser.js'],
    mocha: true,
    needs: ['install', 'build', 'compile'],
  },
  {
    name: 'e2e',
    title: 'end-to-end journeys (VS Code in Chromium)',
    command: [bin('mocha'), '--no-config', '--reporter', MOCHA_REPORTER, '--timeout', '180000', '--exit', 'out/test/e2e/**/*.e2e.test.js'],
    mocha: true,
    needs: ['install', 'build', 'compile'],
  },
  // Builds the production bundle and the VSIX in a temporary copy of the work tree, so the
  // development build in dist/ that the stages above use is left as it is.
  { name: 'sizes', title: 'size budgets of the production bundle, the page and the VSIX (node scripts/sizes.mjs)', command: [node, 'scripts/sizes.mjs'] },
];

const args = process.argv.slice(2);
if (args.includes('--list')) {
  for (const stage of stages) console.log(`${stage.name.padEnd(18)} ${stage.title}`);
  process.exit(0);
}
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? '').split(',').filter(Boolean) : undefined;
const unknown = (only ?? []).filter((name) => !stages.some((stage) => stage.name === name));
if ((only && only.length === 0) || unknown.length > 0) {
  console.error(`Unknown stage ${unknown.join(', ') || '(none given)'}; stages: ${stages.map((stage) => stage.name).join(', ')}`);
  process.exit(2);
}
const selected = new Set(only ? only.flatMap((name) => [...(stages.find((stage) => stage.name === name).needs ?? []), name]) : stages.map((stage) => stage.name));
const plan = stages.filter((stage) => selected.has(stage.name));

// Before any stage, whichever are chosen: every one of them runs something from node_modules.
try {
  await ensureDependencies();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

let current;
let interrupted;
const signalCodes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
for (const signal of Object.keys(signalCodes)) {
  // The running stage cleans up its own children (VS Code, Chromium) when it gets the signal;
  // then this script stops instead of starting the next stage.
  process.on(signal, () => {
    interrupted = signal;
    if (current) current.kill(signal);
    else process.exit(signalCodes[signal]);
  });
}

const totals = { passed: 0, failed: 0 };
const timings = [];
const started = Date.now();
let failedStage;
for (const [index, stage] of plan.entries()) {
  console.log(`\n━━━ [${index + 1}/${plan.length}] ${stage.title}`);
  // Asked only now: component tests exist once the compile stage has run.
  if (stage.when && !stage.when()) {
    console.log(`━━━ ${stage.name} skipped (nothing to run)`);
    timings.push(`  skip ${stage.name}`);
    continue;
  }
  const stageStarted = Date.now();
  let ok;
  try {
    if (stage.run) {
      await stage.run();
      ok = true;
    } else {
      const summary = newSummaryFile(stage.name);
      const code = await runCommand(stage.command, summary);
      ok = code === 0;
      if (stage.mocha) {
        const counts = readSummary(summary);
        totals.passed += counts.passed;
        totals.failed += counts.failed;
        if (!ok && counts.failed === 0) totals.failed += 1;
      }
    }
  } catch (error) {
    console.error(error.message);
    ok = false;
  }
  const duration = seconds(Date.now() - stageStarted);
  timings.push(`  ${ok ? 'ok  ' : 'FAIL'} ${stage.name.padEnd(18)} ${duration}`);
  console.log(`━━━ ${stage.name} ${ok ? 'passed' : 'FAILED'} (${duration})`);
  if (!ok || interrupted) {
    failedStage = stage.name;
    break;
  }
}

console.log(`\nStages (${seconds(Date.now() - started)} in all):`);
for (const line of timings) console.log(line);
if (interrupted) console.log(`Interrupted by ${interrupted} during: ${failedStage}`);
else if (failedStage) console.log(`Stopped at the first failing stage: ${failedStage}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(interrupted ? signalCodes[interrupted] : failedStage ? 1 : 0);

/** Runs a stage's command with no stdin, its mocha runs reporting their totals to `summary`; answers the exit code. */
function runCommand([command, ...commandArgs], summary) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: root, env: { ...process.env, [SUMMARY_ENV]: summary }, stdio: ['ignore', 'inherit', 'inherit'] });
    current = child;
    child.on('error', (error) => {
      current = undefined;
      console.error(`${command} could not start: ${error.message}`);
      resolve(1);
    });
    child.on('close', (code, signal) => {
      current = undefined;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

