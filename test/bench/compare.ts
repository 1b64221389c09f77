import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '../server/index';
import { ACTIVATION_FIGURES, measureStarts, signedInCliConfig, START_TIMING, type TimedStart } from './activation';
import { pairwise, type Spread } from './stats';

// `npm run bench -- --compare` (scripts/bench.mjs prepares the folders): the activation of two
// extensions, started alternately in one run the way `npm run bench` starts CoderFlow and the
// empty extension, compared start by start. Steadier than two runs of the bench at different
// hours, so it is how a change to activation is judged: two builds, or CoderFlow against a
// reference such as test/fixtures/registrations-extension. Prints a table; writes every start as
// JSON to --out.
//
//   node out/test/bench/compare.js --first DIR --second DIR --out FILE [--starts N]

const { values: args } = parseArgs({ options: { first: { type: 'string' }, second: { type: 'string' }, out: { type: 'string' }, starts: { type: 'string', default: '5' } } });
const { first, second, out } = args;
const pairs = Number(args.starts);

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

function displayName(dir: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; displayName?: string };
  return manifest.displayName ?? manifest.name;
}

const FIGURES: { name: string; of: (start: TimedStart) => number; format: (value: number) => string }[] = [
  { name: 'activation wall time', of: ACTIVATION_FIGURES.wallMs, format: (ms) => `${ms.toFixed(1)} ms` },
  { name: 'activation CPU', of: ACTIVATION_FIGURES.cpuMs, format: (ms) => `${ms.toFixed(1)} ms` },
  { name: 'heap kept after activation', of: ACTIVATION_FIGURES.heapKeptBytes, format: (bytes) => `${(bytes / 1000).toFixed(1)} KB` },
];

async function main(): Promise<void> {
  if (!first || !second || !out) throw new Error('--first, --second and --out are needed');
  if (!Number.isInteger(pairs) || pairs < 1) throw new Error('--starts needs a whole number of at least 1');
  const names = { first: displayName(first), second: displayName(second) };
  const server = await startServer({});
  const cliConfig = await signedInCliConfig(server);
  try {
    log(`VS Code: ${pairs} fresh starts each of ${names.first} and of ${names.second}, alternating`);
    const { timed } = await measureStarts({
      coderflowDir: first,
      emptyDir: second,
      pairs,
      instrumentedStarts: 0,
      firstRender: false,
      ...START_TIMING,
      server,
      cliConfigPath: cliConfig.path,
      log,
    });
    const firstStarts = timed.filter((start) => start.kind === 'coderflow');
    const secondStarts = timed.filter((start) => start.kind === 'empty');
    const figures = FIGURES.map((figure) => ({ figure, ...pairwise(firstStarts.map(figure.of), secondStarts.map(figure.of)) }));
    const cell = (spread: Spread, format: (value: number) => string) => `${format(spread.median)} (${format(spread.min)} to ${format(spread.max)})`;
    console.log('');
    console.log(`| figure, median (min to max) of ${pairs} pairs | ${names.first} | ${names.second} | first minus second, start by start |`);
    console.log('|---|---|---|---|');
    for (const { figure, first: a, second: b, difference } of figures) {
      console.log(`| ${figure.name} | ${cell(a, figure.format)} | ${cell(b, figure.format)} | ${cell(difference, figure.format)} |`);
    }
    writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), first, second, names, figures: figures.map(({ figure, ...spreads }) => ({ name: figure.name, ...spreads })), timed }, null, 2)}\n`);
  } finally {
    cliConfig.remove();
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
