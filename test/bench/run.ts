import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startServer } from '../server/index';
import { ACTIVATION_FIGURES, measureStarts, signedInCliConfig, START_TIMING, type InstrumentedStart, type TimedStart } from './activation';
import { measureRefresh, measureResolve } from './resolve';
import { measurePasswordSignIn, measureSsoPickup, ServerClock } from './signIn';
import { pairwise, round, spread } from './stats';

// The timed figures of `npm run bench` (scripts/bench.mjs builds, measures the sizes, and calls
// this with the unpacked VSIX). Writes every run and its summary as JSON to --out.
//
//   node out/test/bench/run.js --coderflow DIR --empty DIR --out FILE [--starts N]

const { values: args } = parseArgs({ options: { coderflow: { type: 'string' }, empty: { type: 'string' }, out: { type: 'string' }, starts: { type: 'string', default: '5' } } });
const option = (name: 'coderflow' | 'empty' | 'out'): string => {
  const value = args[name];
  if (value === undefined) throw new Error(`missing --${name}`);
  return value;
};

const PAIRS = Number(args.starts);
const INSTRUMENTED_STARTS = 2;
const RESOLVE_CALLS = 10_000;
const RESOLVE_ROUNDS = 11;
const PASSWORD_RUNS = 21;
const SSO_RUNS = 5;
const SSO_INTERVAL_SECONDS = 1;

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

function workAtActivation(starts: InstrumentedStart[], cliConfigPath: string) {
  const isWatch = (op: string) => /^fs\.(promises\.)?(watch|watchFile)$/.test(op);
  return starts.map((start) => {
    const own = start.work.files.filter((file) => file.by === 'extension');
    const reads = own.filter((file) => !isWatch(file.op));
    const count = (calls: { op: string; path: string }[]) => {
      const counted = new Map<string, number>();
      for (const call of calls) counted.set(`${call.op} ${call.path}`, (counted.get(`${call.op} ${call.path}`) ?? 0) + 1);
      return [...counted].map(([call, times]) => (times > 1 ? `${call} ×${times}` : call));
    };
    return {
      requests: start.serverRequests.length + start.work.connections.length,
      serverRequests: start.serverRequests.map((request) => `${request.method} ${request.path}`),
      connections: start.work.connections.map((connection) => `${connection.to} (by ${connection.by})`),
      cliConfigReads: reads.filter((file) => file.path === cliConfigPath).length,
      otherFiles: [...new Set(reads.map((file) => file.path).filter((path) => path !== cliConfigPath))],
      byExtension: count(own),
      byVscodeForIt: count(start.work.files.filter((file) => file.by === 'vscode')),
    };
  });
}

async function main(): Promise<void> {
  const out = option('out');
  const server = await startServer({ pollIntervalSeconds: SSO_INTERVAL_SECONDS });
  const clock = new ServerClock();
  const cliConfig = await signedInCliConfig(server);
  const cliConfigPath = cliConfig.path;
  try {
    log(`VS Code: ${PAIRS} fresh starts each of CoderFlow and of the empty extension, alternating, then ${INSTRUMENTED_STARTS} of CoderFlow with the probe`);
    const { timed, instrumented } = await measureStarts({
      coderflowDir: option('coderflow'),
      emptyDir: option('empty'),
      pairs: PAIRS,
      instrumentedStarts: INSTRUMENTED_STARTS,
      firstRender: true,
      ...START_TIMING,
      server,
      cliConfigPath,
      log,
    });
    const ours = timed.filter((start) => start.kind === 'coderflow');
    const empty = timed.filter((start) => start.kind === 'empty');
    // Start i of CoderFlow ran just before start i of the empty extension: compared pair by pair.
    const compare = (figure: (start: TimedStart) => number) => {
      const pairs = pairwise(ours.map(figure), empty.map(figure));
      return { coderflow: pairs.first, empty: pairs.second, aboveEmpty: pairs.difference };
    };

    log(`resolve(): ${RESOLVE_ROUNDS} rounds of ${RESOLVE_CALLS} calls`);
    const resolveRuns = await measureResolve(RESOLVE_CALLS, RESOLVE_ROUNDS);
    const refreshRuns = await measureRefresh(RESOLVE_CALLS, RESOLVE_ROUNDS);

    log(`password sign-in: ${PASSWORD_RUNS} runs after 3 not kept`);
    const password = await measurePasswordSignIn(server, clock, PASSWORD_RUNS, 3);

    log(`SSO pickup: ${SSO_RUNS} sign-ins, poll interval ${SSO_INTERVAL_SECONDS} s`);
    const sso = await measureSsoPickup(server, clock, SSO_RUNS);

    const result = {
      activation: {
        method:
          `a new VS Code server per start, CoderFlow's and the empty extension's starts alternating; both copies have no activation events, and a trigger extension in the same extension host calls vscode.extensions.getExtension(id).activate() ${START_TIMING.quietMs} ms after start-up finished, ${START_TIMING.gcQuietMs} ms after a full GC. ` +
          `Wall: performance.now() around that call until its promise settles. CPU: process.cpuUsage() (user + system, the whole extension host process) over the same interval. ` +
          `Heap kept: process.memoryUsage().heapUsed after a full GC ${START_TIMING.heapSettleMs} ms after activation, minus the same just before. Each figure minus the empty extension's, pair by pair`,
        quietMs: START_TIMING.quietMs,
        gcQuietMs: START_TIMING.gcQuietMs,
        heapSettleMs: START_TIMING.heapSettleMs,
        wallMs: compare(ACTIVATION_FIGURES.wallMs),
        cpuMs: compare(ACTIVATION_FIGURES.cpuMs),
        heapKeptBytes: compare(ACTIVATION_FIGURES.heapKeptBytes),
        gc: [...new Set(timed.map((start) => start.trigger.gc))],
        // VS Code's own figure (code loading + activate call, whole ms), shown in Running Extensions.
        vscodeReportedMs: compare((start) => start.vscodeReportedMs),
        workbenchLoadMs: spread(timed.map((start) => start.workbenchLoadMs)),
        // CoderFlow's parts, from the instrumented starts (the probe slows them a little).
        coderflowCodeLoadMs: spread(instrumented.map((start) => start.activation.codeLoadMs)),
        coderflowRequiresMs: spread(instrumented.map((start) => start.activation.requiresMs)),
        coderflowActivateCallMs: spread(instrumented.map((start) => start.activation.activateCallMs)),
        coderflowActivateResolvedMs: spread(instrumented.map((start) => start.activation.activateResolvedMs)),
      },
      work: {
        method: `${INSTRUMENTED_STARTS} starts of CoderFlow with the preload probe, during code loading, activate() and ${START_TIMING.workSettleMs} ms after: the reference server's request log, outgoing connections and fs calls whose stack passes through the extension's main file (probe)`,
        cliConfigPath,
        settleMs: START_TIMING.workSettleMs,
        starts: workAtActivation(instrumented, cliConfigPath),
      },
      firstRender: {
        method: "the page's own clock: its document's time origin to performance mark 'profile-list-painted' (set in requestAnimationFrame after the first list render)",
        pageMs: spread(ours.map((start) => start.firstRender!.pageMs)),
        clickToPaintMs: spread(ours.map((start) => start.firstRender!.clickToPaintMs)),
        scriptLoadedMs: spread(ours.map((start) => start.firstRender!.scriptLoadedMs ?? Number.NaN).filter((value) => !Number.isNaN(value))),
      },
      resolve: {
        method: `resolve() with the CLI config parsed in memory, ${RESOLVE_CALLS} calls per round, ${RESOLVE_ROUNDS} rounds after one not kept; µs per call`,
        perCallMicros: spread(resolveRuns.roundsMicros),
        source: resolveRuns.source,
        refreshPerCallMicros: spread(refreshRuns.roundsMicros),
      },
      password: {
        method: 'SignInService.password() in Node against the reference server on 127.0.0.1, minus the server-side handling time of its requests (http.server diagnostics channels)',
        overheadMs: spread(password.map((run) => run.overheadMs)),
        wallMs: spread(password.map((run) => run.wallMs)),
        serverMs: spread(password.map((run) => run.serverMs)),
        requests: password[0]?.requests ?? [],
      },
      sso: {
        method: 'SignInService.sso(): from the server answering the provider callback (approval) to the key written to secret storage; approvals spread over the poll cycle',
        intervalSeconds: SSO_INTERVAL_SECONDS,
        pickupMs: spread(sso.map((run) => run.pickupMs)),
        waitForPollMs: spread(sso.map((run) => run.waitForPollMs)),
        afterPollMs: spread(sso.map((run) => run.afterPollMs)),
      },
      raw: { timed, instrumented, password, sso: sso.map((run) => ({ ...run, pickupMs: round(run.pickupMs) })) },
    };
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    clock.dispose();
    await server.stop();
    cliConfig.remove();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
