// One person's setup for a fault test: the real ProfileStore (in-memory VS Code storage), the real
// SignInService and CoderFlowClient, a profile that was there before, and a CLI config of the
// CLI's own. After a failed step, nothing of it may have changed.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoderFlowClient, type AgentOption } from '../../../src/core/http/client';
import type { TlsOptions } from '../../../src/core/http/tls';
import { AuthError } from '../../../src/core/errors';
import type { ProfileMeta } from '../../../src/profiles/profile';
import { ProfileStore } from '../../../src/profiles/store';
import { SignInService } from '../../../src/services/signInService';
import type { Fault, ReferenceServer } from '../../server';
import { MemoryMemento, MemorySecrets } from '../../unit/profiles/memoryStorage';
import { expectFailure, type Expectation } from './clear';
import { record } from './matrix';
import { expose } from './secrets';

export interface JourneyOptions {
  timeoutMs?: number;
  tls?: TlsOptions;
  agent?: AgentOption;
}

interface Snapshot {
  list: ProfileMeta[];
  selected: string | undefined;
  secrets: Array<[string, string]>;
  cliConfig: string;
  cliMode: number;
}

export class Journey {
  readonly globalState = new MemoryMemento();
  readonly workspaceState = new MemoryMemento();
  readonly secrets = new MemorySecrets();
  readonly store = new ProfileStore(this.globalState, this.secrets, this.workspaceState);
  readonly lines: string[] = [];
  readonly errors: Error[] = [];
  readonly service: SignInService;
  existing!: ProfileMeta;
  cliConfigPath!: string;
  private cliDir!: string;

  private constructor(
    readonly server: ReferenceServer,
    readonly area: string,
    private readonly options: JourneyOptions,
  ) {
    this.service = new SignInService(this.store, (serverUrl, apiKey) => this.client(serverUrl, apiKey), (line) => this.lines.push(line), 'VS Code on faulthost');
    expose(area, 'globalState', () => JSON.stringify([...this.globalState.values]));
    expose(area, 'workspaceState', () => JSON.stringify([...this.workspaceState.values]));
    expose(area, 'SignInService log', () => this.lines.join('\n'));
    expose(area, 'error messages and fixes', () => this.errors.map(describeError).join('\n'));
  }

  /** A person who signed in to the server before (profile "Existing") and has a CLI config. */
  static async start(server: ReferenceServer, area: string, options: JourneyOptions = {}): Promise<Journey> {
    const journey = new Journey(server, area, options);
    const bob = await server.issueKey('bob', 'VS Code on faulthost');
    journey.existing = await journey.store.save(
      { name: 'Existing', serverUrl: server.url, username: 'bob', method: 'apiKey', createdByExtension: false },
      bob.key,
    );
    await journey.store.select(journey.existing.id);
    journey.cliDir = await mkdtemp(join(tmpdir(), 'coderflow-faults-'));
    journey.cliConfigPath = join(journey.cliDir, 'config.json');
    const carol = await server.issueKey('carol', 'CLI Access');
    const config = { server: server.url, activeProfile: 'work', profiles: { work: { server: server.url, apiKey: carol.key, default_environment: 'webapp' } } };
    await writeFile(journey.cliConfigPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    await chmod(journey.cliConfigPath, 0o600);
    return journey;
  }

  client(serverUrl: string = this.server.url, apiKey?: string): CoderFlowClient {
    return new CoderFlowClient({
      serverUrl,
      ...(apiKey ? { apiKey } : {}),
      ...(this.options.timeoutMs ? { timeoutMs: this.options.timeoutMs } : {}),
      ...(this.options.tls ? { tls: this.options.tls } : {}),
      ...(this.options.agent ? { agent: this.options.agent } : {}),
    });
  }

  /** Switches a fault on at the server, counted in the matrix. */
  inject(fault: Fault, name: string): void {
    this.server.faults.set(fault);
    record({ type: 'fault', area: this.area, fault: name });
  }

  /** A fault that is not a server switch (a certificate, a proxy), counted in the matrix. */
  injected(name: string): void {
    record({ type: 'fault', area: this.area, fault: name });
  }

  /**
   * Runs a step that must fail: the failure is clear and of the expected kind, and nothing was
   * written — the profiles, their keys, the selection and the CLI config are as before.
   */
  async fails(work: () => Promise<unknown>, expected: Expectation): Promise<AuthError> {
    const before = await this.snapshot();
    const error = await expectFailure(this.area, work(), expected);
    this.errors.push(error);
    await this.assertUnchanged(before);
    return error;
  }

  /** A step given random input: it may succeed; when it fails, the failure is clear and changed nothing. */
  async attempt<T>(work: () => Promise<T>, expected: Expectation = {}): Promise<{ ok: true; value: T } | { ok: false; error: AuthError }> {
    const before = await this.snapshot();
    let value: T;
    try {
      value = await work();
    } catch (e) {
      const error = await expectFailure(this.area, Promise.reject(e), expected);
      this.errors.push(error);
      await this.assertUnchanged(before);
      return { ok: false, error };
    }
    return { ok: true, value };
  }

  async assertUnchanged(before: Snapshot): Promise<void> {
    const after = await this.snapshot();
    const lost = before.list.filter((profile) => {
      const now = after.list.find((p) => p.id === profile.id);
      const key = before.secrets.find(([k]) => k.endsWith(profile.id));
      const keyNow = after.secrets.find(([k]) => k.endsWith(profile.id));
      return !now || key?.[1] !== keyNow?.[1];
    }).length;
    record({ type: 'profiles', area: this.area, checked: before.list.length, lost });
    assert.equal(lost, 0, 'a profile or its key was lost');
    assert.deepEqual(after.list, before.list, 'the profile metadata is unchanged');
    assert.equal(after.selected, before.selected, 'the selected profile is unchanged');
    assert.deepEqual(after.secrets, before.secrets, 'SecretStorage is unchanged');
    assert.equal(after.cliConfig, before.cliConfig, 'the CLI config is unchanged');
    assert.equal(after.cliMode, before.cliMode, 'the CLI config keeps its mode');
  }

  async snapshot(): Promise<Snapshot> {
    return {
      list: this.store.list(),
      selected: this.store.selectedId(),
      secrets: [...this.secrets.values].sort(([a], [b]) => a.localeCompare(b)),
      cliConfig: await readFile(this.cliConfigPath, 'utf8'),
      cliMode: (await stat(this.cliConfigPath)).mode & 0o777,
    };
  }

  /** Keeps what the CLI folder holds, outside the apiKey fields where keys belong, for the final scan. */
  async finish(): Promise<void> {
    this.server.faults.clear();
    for (const name of await readdir(this.cliDir)) {
      const text = await readFile(join(this.cliDir, name), 'utf8');
      const outside = name === 'config.json' ? withoutKeyFields(text) : text;
      expose(this.area, `CLI folder: ${name === 'config.json' ? 'config.json outside its apiKey fields' : name}`, () => outside);
    }
    this.store.dispose();
    await rm(this.cliDir, { recursive: true, force: true });
  }
}

function describeError(e: Error): string {
  const parts: string[] = [];
  for (let at: unknown = e; at instanceof Error; at = at.cause) {
    parts.push(at.message);
    if (at instanceof AuthError) parts.push(at.fix ?? '', at.detail ?? '');
  }
  return parts.join('\n');
}

function withoutKeyFields(text: string): string {
  let config: { apiKey?: unknown; profiles?: Record<string, { apiKey?: unknown }> };
  try {
    config = JSON.parse(text) as typeof config;
  } catch {
    return text;
  }
  delete config.apiKey;
  for (const profile of Object.values(config.profiles ?? {})) delete profile.apiKey;
  return JSON.stringify(config);
}
