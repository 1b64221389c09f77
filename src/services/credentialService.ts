import { findCliConfigPath, type CliConfigLocation } from '../core/cliConfig/cliConfigPath';
import { readCliConfig, type CliConfigState } from '../core/cliConfig/cliConfigRead';
import { watchCliConfig } from '../core/cliConfig/cliConfigWatch';
import { resolve, type Credential, type Resolution } from '../core/credentialChain';
import type { ProfileStore } from '../profiles/store';
import { Emitter, type Disposable, type Event } from '../shared/event';
import { messageOf } from '../shared/errorText';

/** The settings as the credential chain may use them (restricted values of an untrusted workspace already dropped). */
export interface SettingsSnapshot {
  serverUrl?: string;
  apiKey?: string;
  /** Where serverUrl and apiKey were read from, e.g. "User settings". */
  scope?: string;
  cliConfigPath?: string;
  cliProfile?: string;
  /** For a person: values that were present but not used, and why. */
  ignored: string[];
}

export interface CredentialInputs {
  store: ProfileStore;
  settings(): SettingsSnapshot;
  env: NodeJS.ProcessEnv;
  homedir: string;
  log(line: string): void;
}

export interface CredentialState extends Resolution {
  cliConfig?: CliConfigLocation;
  cliState?: CliConfigState;
  ignoredSettings: string[];
  /** The chosen profile's key could not be read from secure storage. */
  secretStorageError?: string;
}

/**
 * The one credential everything uses, kept current: re-resolved when the profiles change (in any
 * window), when settings change, and when the CLI config changes on disk (a `coder login` in a
 * terminal is picked up without a reload).
 */
export class CredentialService implements Disposable {
  private readonly changed = new Emitter<Credential | undefined>();
  readonly onDidChangeCredential: Event<Credential | undefined> = this.changed.event;
  private readonly refreshed = new Emitter<CredentialState>();
  /** After every resolution, changed or not: what else was read (the CLI config) may have changed. */
  readonly onDidRefresh: Event<CredentialState> = this.refreshed.event;
  private state: CredentialState = { considered: [], ignoredSettings: [] };
  private watcher: { path: string; handle: Disposable } | undefined;
  private cli: CliConfigState | undefined;
  private cliDirty = true;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly subscriptions: Disposable[] = [];

  constructor(private readonly inputs: CredentialInputs) {
    this.subscriptions.push(inputs.store.onDidChange(() => void this.refresh()));
  }

  current(): CredentialState {
    return this.state;
  }

  get credential(): Credential | undefined {
    return this.state.credential;
  }

  /** Re-reads what may have changed and resolves again; calls run one after the other. */
  refresh(options: { rereadCli?: boolean } = {}): Promise<CredentialState> {
    if (options.rereadCli) this.cliDirty = true;
    const run = this.queue.then(() => this.compute());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async compute(): Promise<CredentialState> {
    const settings = this.inputs.settings();
    const location = findCliConfigPath({
      ...(settings.cliConfigPath ? { setting: settings.cliConfigPath } : {}),
      env: this.inputs.env,
      homedir: this.inputs.homedir,
    });
    if (this.cliDirty || this.cli?.path !== location.path) {
      this.cliDirty = false;
      this.cli = await readCliConfig(location.path);
    }
    this.watch(location.path, this.cli);

    const store = this.inputs.store;
    const profile = store.selected();
    let apiKey: string | undefined;
    let secretStorageError: string | undefined;
    if (profile) {
      try {
        apiKey = await store.getKey(profile.id);
      } catch (e) {
        secretStorageError = messageOf(e);
      }
    }

    const resolution = resolve({
      ...(profile ? { profile: { id: profile.id, name: profile.name, serverUrl: profile.serverUrl, ...(apiKey ? { apiKey } : {}) } } : {}),
      env: { ...(this.inputs.env.CODER_API_KEY ? { CODER_API_KEY: this.inputs.env.CODER_API_KEY } : {}) },
      cli: this.cli,
      ...(settings.cliProfile ? { cliProfile: settings.cliProfile } : {}),
      settings: {
        ...(settings.serverUrl ? { serverUrl: settings.serverUrl } : {}),
        ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
        ...(settings.scope ? { scope: settings.scope } : {}),
      },
      homedir: this.inputs.homedir,
    });

    const before = this.state.credential;
    this.state = {
      ...resolution,
      cliConfig: location,
      cliState: this.cli,
      ignoredSettings: settings.ignored,
      ...(secretStorageError ? { secretStorageError } : {}),
    };
    if (!sameCredential(before, resolution.credential)) {
      const c = resolution.credential;
      this.inputs.log(c ? `Credential: ${c.detail} → ${c.serverUrl}` : 'Credential: none (not signed in).');
      this.changed.fire(c);
    }
    this.refreshed.fire(this.state);
    return this.state;
  }

  private watch(path: string, initial: CliConfigState): void {
    if (this.watcher?.path === path) return;
    this.watcher?.handle.dispose();
    const handle = watchCliConfig(
      path,
      () => {
        this.inputs.log(`The CLI config ${path} changed on disk.`);
        void this.refresh({ rereadCli: true });
      },
      { initial },
    );
    this.watcher = { path, handle };
  }

  dispose(): void {
    this.watcher?.handle.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
    this.refreshed.dispose();
  }
}

function sameCredential(a: Credential | undefined, b: Credential | undefined): boolean {
  if (!a || !b) return a === b;
  return a.serverUrl === b.serverUrl && a.apiKey === b.apiKey && a.source === b.source && a.detail === b.detail;
}
