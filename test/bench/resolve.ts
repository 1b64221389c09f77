import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readCliConfig } from '../../src/core/cliConfig/cliConfigRead';
import { resolve, type ResolveInputs } from '../../src/core/credentialChain';
import { ProfileStore } from '../../src/profiles/store';
import { CredentialService } from '../../src/services/credentialService';
import { MemoryMemento, MemorySecrets } from '../unit/profiles/memoryStorage';

// The credential chain with the CLI config already read and parsed (the warm cache the
// credential service keeps until the file changes): only resolve() itself is timed.

const KEY = (digit: string) => `pc_${digit.repeat(64)}`;

/** A CLI config of the documented shape, with an active profile that has a key. */
function writeCliConfig(dir: string): string {
  const file = join(dir, 'config.json');
  const config = {
    server: 'https://coderflow.example.com',
    apiKey: KEY('1'),
    activeProfile: 'production',
    profiles: {
      production: { server: 'https://coderflow.example.com/prod', apiKey: KEY('2'), default_environment: 'webapp' },
      staging: { server: 'https://staging.example.com' },
    },
  };
  writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  return file;
}

export interface PerCall {
  /** Microseconds per call, one value per round of `calls` calls. */
  roundsMicros: number[];
  calls: number;
  /** Where the answer came from, to show the chain went past the profile to the CLI. */
  source: string | undefined;
}

/** `rounds` rounds of `calls` resolve() calls each, after one round not kept (the JIT warms up). */
export async function measureResolve(calls: number, rounds: number): Promise<PerCall> {
  const dir = mkdtempSync(join(tmpdir(), 'coderflow-bench-resolve-'));
  try {
    const file = writeCliConfig(dir);
    const cli = await readCliConfig(file);
    if (cli.state !== 'ok') throw new Error(`the bench's CLI config did not parse: ${cli.state}`);
    const inputs: ResolveInputs = {
      env: {},
      cli,
      settings: { serverUrl: 'https://settings.example.com', apiKey: KEY('4'), scope: 'User settings' },
      homedir: dir,
    };
    let sink = 0;
    let source: string | undefined;
    const roundsMicros: number[] = [];
    for (let round = 0; round <= rounds; round++) {
      const started = performance.now();
      for (let call = 0; call < calls; call++) {
        const resolution = resolve(inputs);
        sink += resolution.considered.length;
        source = resolution.credential?.source;
      }
      const micros = ((performance.now() - started) * 1000) / calls;
      if (round > 0) roundsMicros.push(micros);
    }
    if (sink !== (rounds + 1) * calls * 5) throw new Error('resolve() did not consider all five sources');
    return { roundsMicros, calls, source };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same warm path as the extension runs it: CredentialService.refresh() with the CLI config
 * cached (read once, not changed since), reading the settings and the profile store each time.
 */
export async function measureRefresh(calls: number, rounds: number): Promise<PerCall> {
  const dir = mkdtempSync(join(tmpdir(), 'coderflow-bench-refresh-'));
  const service = new CredentialService({
    store: new ProfileStore(new MemoryMemento(), new MemorySecrets(), new MemoryMemento()),
    settings: () => ({ ignored: [] }),
    env: { CODERFLOW_CONFIG: writeCliConfig(dir) },
    homedir: dir,
    log: () => undefined,
  });
  try {
    await service.refresh();
    let source: string | undefined;
    const roundsMicros: number[] = [];
    for (let round = 0; round <= rounds; round++) {
      const started = performance.now();
      for (let call = 0; call < calls; call++) source = (await service.refresh()).credential?.source;
      const micros = ((performance.now() - started) * 1000) / calls;
      if (round > 0) roundsMicros.push(micros);
    }
    return { roundsMicros, calls, source };
  } finally {
    service.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
