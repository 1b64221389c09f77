// The CoderFlow CLI's configuration file (PROTOCOL.md §6): found, read, listed, written and
// watched. The file holds keys and belongs to the CLI as much as to us, so a write changes only
// the fields asked for (editing the text, so every other byte stays as it was), never loses a
// write another program made meanwhile, and never touches a file it could not parse.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, watch, watchFile, unwatchFile, type FSWatcher, type StatsListener } from 'node:fs';
import { chmod, mkdir, open, readFile, realpath, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { JSONPath } from 'jsonc-parser';
import type * as CliConfigText from './cliConfigText';
import { AuthError } from '../errors';
import { sleep } from '../sleep';
import { CLI_CONFIG_DIR, CLI_CONFIG_ENV, CLI_CONFIG_FILE, CliConfig, describeSchemaMismatch } from '../http/protocol';
import * as l10n from '@vscode/l10n';

export type { CliConfig } from '../http/protocol';

export interface CliConfigLocation {
  path: string;
  from: 'setting' | 'CODERFLOW_CONFIG' | 'default';
}

function pathModule(platform: NodeJS.Platform | undefined): path.PlatformPath {
  return (platform ?? process.platform) === 'win32' ? path.win32 : path.posix;
}

function expandHome(p: string, homedir: string, paths: path.PlatformPath): string {
  if (p === '~') return homedir;
  if (p.startsWith('~/') || p.startsWith('~\\')) return paths.join(homedir, p.slice(2));
  return p;
}

/** Where the CLI config is: the profoundCoder.cliConfigPath setting, then CODERFLOW_CONFIG, then ~/.coderflow/config.json. */
export function findCliConfigPath(opts: {
  setting?: string;
  env: NodeJS.ProcessEnv;
  homedir: string;
  platform?: NodeJS.Platform;
}): CliConfigLocation {
  const paths = pathModule(opts.platform);
  const setting = opts.setting?.trim();
  if (setting) return { path: paths.resolve(opts.homedir, expandHome(setting, opts.homedir, paths)), from: 'setting' };
  const env = opts.env[CLI_CONFIG_ENV]?.trim();
  if (env) return { path: paths.resolve(opts.homedir, expandHome(env, opts.homedir, paths)), from: 'CODERFLOW_CONFIG' };
  return { path: paths.join(opts.homedir, CLI_CONFIG_DIR, CLI_CONFIG_FILE), from: 'default' };
}

export type CliConfigState =
  | { state: 'missing'; path: string }
  | { state: 'error'; path: string; error: AuthError; line?: number; column?: number; raw?: string }
  | { state: 'ok'; path: string; config: CliConfig; raw: string };

type Parsed =
  | { ok: true; document: Record<string, unknown>; config: CliConfig }
  | { ok: false; error: AuthError; line?: number; column?: number };

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The text tools (jsonc-parser): loaded on the first write or the first file that does not parse,
 * from a bundle of their own (dist/cliConfigText.js), as an activation only reads the file.
 */
function textTools(): typeof CliConfigText {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./cliConfigText.js') as typeof CliConfigText;
}

function parseCliConfig(file: string, raw: string): Parsed {
  const text = stripBom(raw);
  // An empty file is an empty config: nothing is lost by writing to it.
  if (text.trim() === '') return { ok: true, document: {}, config: {} };
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    const where = textTools().findJsonError(text);
    const place = where ? l10n.t(' at line {0}, column {1}: expected {2}', where.line, where.column, where.expected) : '';
    return {
      ok: false,
      error: new AuthError('bad-input', l10n.t('The CoderFlow CLI config {0} is not valid JSON{1}.', file, place), {
        fix: l10n.t('Fix the file in an editor, or run coder login again. CoderFlow does not change a file it cannot read.'),
        ...(where ? { detail: `line ${where.line}, column ${where.column}` } : {}),
      }),
      ...(where ? { line: where.line, column: where.column } : {}),
    };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return {
      ok: false,
      error: new AuthError('bad-input', l10n.t('The CoderFlow CLI config {0} must hold a JSON object ({ … }).', file), {
        fix: l10n.t('Fix the file in an editor, or run coder login again.'),
      }),
    };
  }
  const result = CliConfig.safeParse(document);
  if (!result.success) {
    const what = describeSchemaMismatch(result.error, document);
    return {
      ok: false,
      error: new AuthError('bad-input', l10n.t('The CoderFlow CLI config {0} is not as expected: {1}.', file, what), {
        fix: l10n.t('Fix the file in an editor, or run coder login again.'),
        detail: what,
      }),
    };
  }
  return { ok: true, document: document as Record<string, unknown>, config: result.data };
}

/** Reads the CLI config; a missing file is a state, not an error. */
export async function readCliConfig(file: string): Promise<CliConfigState> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { state: 'missing', path: file };
    return {
      state: 'error',
      path: file,
      error: new AuthError('bad-input', l10n.t('The CoderFlow CLI config {0} could not be read ({1}).', file, code ?? 'error'), {
        fix: l10n.t('Check that the file is readable by you.'),
        ...(code ? { detail: code } : {}),
        cause: e,
      }),
    };
  }
  const parsed = parseCliConfig(file, raw);
  if (!parsed.ok) {
    const { error, line, column } = parsed;
    return { state: 'error', path: file, error, raw, ...(line === undefined ? {} : { line }), ...(column === undefined ? {} : { column }) };
  }
  return { state: 'ok', path: file, config: parsed.config, raw };
}

export interface CliProfileSummary {
  name: string;
  server?: string;
  hasKey: boolean;
  active: boolean;
}

/** The profiles of a CLI config, in file order, without their keys. */
export function listCliProfiles(config: CliConfig): CliProfileSummary[] {
  return Object.entries(config.profiles ?? {}).map(([name, profile]) => ({
    name,
    ...(profile.server ? { server: profile.server } : {}),
    hasKey: Boolean(profile.apiKey?.trim()),
    active: name === config.activeProfile,
  }));
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/** How many times a write starts over because another program changed the file meanwhile. */
const WRITE_ATTEMPTS = 5;
/** A file that does not parse is looked at again after this long: it may be half-way through another program's write. */
const REREAD_DELAY_MS = 25;
/** An empty file younger than this may be another program's write in progress… */
const EMPTY_SETTLED_MS = 2000;
/** …unless it stays empty this long. */
const EMPTY_WAIT_MS = 500;

type FieldChange = CliConfigText.FieldChange;

/** The file's content now, or undefined when there is none. */
function contentNow(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** A temporary file beside the target with the new content, mode 0600, on disk. */
async function writeTemporary(target: string, data: string): Promise<string> {
  const dir = path.dirname(target);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temp, 0o600);
    return temp;
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

function writeFailure(file: string, e: unknown): AuthError {
  const code = (e as NodeJS.ErrnoException).code ?? 'error';
  return new AuthError('bad-input', l10n.t('The CoderFlow CLI config {0} could not be written ({1}); it was not changed.', file, code), {
    fix: l10n.t('Check that you may write to the file and its folder.'),
    detail: code,
    cause: e,
  });
}

/**
 * Compare-and-swap of the CLI config: read it, edit its text, write a temporary file, and rename
 * that over the file only if the file still holds what was read (checked right before the
 * rename); otherwise start over from what is there now, a few times, so another program's write
 * (a `coder login`) is never lost. `changesFor` says what to set, from the config as read; no
 * change means no write. Resolves with the changes made.
 */
async function updateCliConfig(file: string, changesFor: (config: CliConfig) => FieldChange[]): Promise<FieldChange[]> {
  // Writing through a symbolic link keeps the link and updates the file it points to.
  const target = await realpath(file).catch(() => file);
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
    let raw: string | undefined;
    try {
      raw = contentNow(target);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      throw new AuthError('bad-input', l10n.t('The CoderFlow CLI config {0} could not be read ({1}); it was not changed.', file, code), { detail: code, cause: e });
    }
    let config: CliConfig = {};
    // An empty file is what another program's write in place looks like between truncating the
    // file and writing it (for as long as that program is held up): one emptied moments ago
    // counts as an empty config only once it stayed so for a while.
    if (raw !== undefined && raw.trim() === '' && (await emptiedRecently(target)) && (await changesWithin(target, raw, EMPTY_WAIT_MS))) continue;
    if (raw !== undefined) {
      const parsed = parseCliConfig(file, raw);
      if (!parsed.ok) {
        // Another program may be half-way through writing it: a file that stays broken is refused.
        await sleep(REREAD_DELAY_MS);
        if (attempt < WRITE_ATTEMPTS && safeContent(target) !== raw) continue;
        throw new AuthError('bad-input', l10n.t('{0} It was not changed.', parsed.error.message), {
          ...(parsed.error.fix ? { fix: parsed.error.fix } : {}),
          ...(parsed.error.detail ? { detail: parsed.error.detail } : {}),
        });
      }
      config = parsed.config;
    }
    const changes = changesFor(config);
    if (changes.length === 0) return [];
    const edited = textTools().editText(stripBom(raw ?? ''), changes);
    const text = edited === undefined ? undefined : `${raw?.charCodeAt(0) === 0xfeff ? '\uFEFF' : ''}${edited}`;
    if (text === undefined) {
      throw new AuthError('bad-input', l10n.t('The CoderFlow CLI config {0} could not be changed safely; it was not changed.', file), {
        fix: l10n.t('Check the file in an editor, or run coder profile set instead.'),
      });
    }
    let temp: string;
    try {
      temp = await writeTemporary(target, text);
    } catch (e) {
      throw writeFailure(file, e);
    }
    try {
      // The check and the rename are synchronous, back to back: the window in which another
      // program's write could still be lost is as short as the file system allows.
      if (safeContent(target) === raw) {
        renameSync(temp, target);
        return changes;
      }
    } catch (e) {
      await rm(temp, { force: true });
      throw writeFailure(file, e);
    }
    await rm(temp, { force: true });
  }
  throw new AuthError('bad-input', l10n.t('The CoderFlow CLI config {0} kept changing while CoderFlow was writing to it; it was not changed.', file), {
    fix: l10n.t('Another program (such as coder login) is writing it: try again in a moment.'),
  });
}

/** Whether the file's content differs from `raw` at some look within `ms`. */
async function changesWithin(file: string, raw: string, ms: number): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += REREAD_DELAY_MS) {
    await sleep(REREAD_DELAY_MS);
    if (safeContent(file) !== raw) return true;
  }
  return false;
}

async function emptiedRecently(file: string): Promise<boolean> {
  const modified = await stat(file).then((s) => s.mtimeMs, () => 0);
  return Date.now() - modified < EMPTY_SETTLED_MS;
}

/** contentNow, with a file that cannot be read taken as changed. */
function safeContent(file: string): string | undefined | null {
  try {
    return contentNow(file);
  } catch {
    return null;
  }
}

/**
 * Sets the server and/or key of one CLI profile (or of the base config when profileName is
 * undefined), as `coder profile set` would. Every other byte of the file is kept; a file that
 * does not parse is refused and left as it is.
 */
export async function writeCliProfileKey(
  file: string,
  profileName: string | undefined,
  values: { server?: string; apiKey?: string },
): Promise<void> {
  if (profileName !== undefined && profileName.trim() === '') {
    throw new AuthError('bad-input', l10n.t('Enter a CLI profile name.'), { field: 'profileName' });
  }
  const base: JSONPath = profileName === undefined ? [] : ['profiles', profileName];
  await updateCliConfig(file, () => [
    ...(values.server !== undefined ? [{ path: [...base, 'server'], value: values.server }] : []),
    ...(values.apiKey !== undefined ? [{ path: [...base, 'apiKey'], value: values.apiKey }] : []),
  ]);
}

/** Where a CLI config holds a key: its base `apiKey`, and the profiles whose `apiKey` it is. */
export interface CliKeyPlaces {
  base: boolean;
  profiles: string[];
}

/** Every place of the config whose key is exactly `apiKey`. */
function cliKeyPlaces(config: CliConfig, apiKey: string): CliKeyPlaces {
  return {
    base: config.apiKey === apiKey,
    profiles: Object.entries(config.profiles ?? {}).filter(([, profile]) => profile.apiKey === apiKey).map(([name]) => name),
  };
}

/**
 * Replaces `oldKey` by `newKey` wherever the file holds it (matched by value, as read at the
 * time of writing), with the same compare-and-swap as every write. Resolves with the places
 * changed; none when the file is missing or does not hold the key.
 */
export async function replaceCliKey(file: string, oldKey: string, newKey: string): Promise<CliKeyPlaces> {
  let places: CliKeyPlaces = { base: false, profiles: [] };
  await updateCliConfig(file, (config) => {
    places = cliKeyPlaces(config, oldKey);
    return [
      ...(places.base ? [{ path: ['apiKey'], value: newKey }] : []),
      ...places.profiles.map((name) => ({ path: ['profiles', name, 'apiKey'], value: newKey })),
    ];
  });
  return places;
}

// ---------------------------------------------------------------------------------------------
// Watching
// ---------------------------------------------------------------------------------------------

export interface WatchOptions {
  /** How often to look at the file when its folder cannot be watched. Default 2000 ms. */
  pollIntervalMs?: number;
  /**
   * What the caller just read (readCliConfig's state): changes are measured from it, so one made
   * between that read and the start of watching is reported rather than silently taken as the start.
   */
  initial?: CliConfigState;
}

/**
 * Calls onChange when the file's content changes, created, edited in place, replaced by an
 * atomic rename (as the CLI and this module write it) or deleted. Watching the folder, not the
 * file, is what survives a rename; polling covers a folder that does not exist yet.
 */
export function watchCliConfig(file: string, onChange: () => void, options: WatchOptions = {}): { dispose(): void } {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let disposed = false;
  let debounce: NodeJS.Timeout | undefined;
  let last: string | undefined = startingPoint(options.initial);
  let folderWatcher: FSWatcher | undefined;

  const contentNow = async (): Promise<string> => {
    try {
      return `file:${await readFile(file, 'utf8')}`;
    } catch (e) {
      return `absent:${(e as NodeJS.ErrnoException).code ?? ''}`;
    }
  };
  const check = async () => {
    const now = await contentNow();
    if (disposed || now === last) return;
    const first = last === undefined;
    last = now;
    if (!first) onChange();
  };
  const schedule = () => {
    if (disposed) return;
    clearTimeout(debounce);
    debounce = setTimeout(() => void check(), 50);
  };
  const watchFolder = () => {
    if (folderWatcher || disposed) return;
    try {
      folderWatcher = watch(dir, { persistent: false }, (_event, name) => {
        if (name === null || name === base) schedule();
      });
      folderWatcher.on('error', () => {
        folderWatcher?.close();
        folderWatcher = undefined;
      });
    } catch {
      folderWatcher = undefined;
    }
  };

  const onPoll: StatsListener = () => {
    watchFolder();
    schedule();
  };
  watchFile(file, { persistent: false, interval: options.pollIntervalMs ?? 2000 }, onPoll);
  watchFolder();
  // One look now: a change made after the caller's read but before the watchers started is
  // reported too (with `initial`), or the starting point is taken (without it).
  void check();

  return {
    dispose() {
      disposed = true;
      clearTimeout(debounce);
      folderWatcher?.close();
      unwatchFile(file, onPoll);
    },
  };
}

/** The watcher's view of a state read before: the same strings contentNow() makes. */
function startingPoint(state: CliConfigState | undefined): string | undefined {
  if (!state) return undefined;
  if (state.state === 'missing') return 'absent:ENOENT';
  return state.raw === undefined ? undefined : `file:${state.raw}`;
}
