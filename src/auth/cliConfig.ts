// The CoderFlow CLI's configuration file (PROTOCOL.md §6): found, read, listed, written and
// watched. The file holds keys and belongs to the CLI as much as to us, so a write changes only
// the fields asked for, keeps everything else as it was, and never touches a file it could not
// parse.
import { randomBytes } from 'node:crypto';
import { watch, watchFile, unwatchFile, type FSWatcher, type StatsListener } from 'node:fs';
import { chmod, mkdir, open, readFile, realpath, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { AuthError } from './errors';
import { findJsonError } from './jsonPosition';
import { CLI_CONFIG_DIR, CLI_CONFIG_ENV, CLI_CONFIG_FILE, CliConfig, describeSchemaMismatch } from './protocol';

export type { CliConfig } from './protocol';

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

function parseCliConfig(file: string, raw: string): Parsed {
  const text = stripBom(raw);
  // An empty file is an empty config: nothing is lost by writing to it.
  if (text.trim() === '') return { ok: true, document: {}, config: {} };
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    const where = findJsonError(text);
    const place = where ? ` at line ${where.line}, column ${where.column}: expected ${where.expected}` : '';
    return {
      ok: false,
      error: new AuthError('bad-input', `The CoderFlow CLI config ${file} is not valid JSON${place}.`, {
        fix: 'Fix the file in an editor, or run coder login again. CoderFlow does not change a file it cannot read.',
        ...(where ? { detail: `line ${where.line}, column ${where.column}` } : {}),
      }),
      ...(where ? { line: where.line, column: where.column } : {}),
    };
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return {
      ok: false,
      error: new AuthError('bad-input', `The CoderFlow CLI config ${file} must hold a JSON object ({ … }).`, {
        fix: 'Fix the file in an editor, or run coder login again.',
      }),
    };
  }
  const result = CliConfig.safeParse(document);
  if (!result.success) {
    const what = describeSchemaMismatch(result.error, document);
    return {
      ok: false,
      error: new AuthError('bad-input', `The CoderFlow CLI config ${file} is not as expected: ${what}.`, {
        fix: 'Fix the file in an editor, or run coder login again.',
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
      error: new AuthError('bad-input', `The CoderFlow CLI config ${file} could not be read (${code ?? 'error'}).`, {
        fix: 'Check that the file is readable by you.',
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

/** The file's own layout, so that a rewrite diff shows only the changed field. */
interface Layout {
  indent: string | number;
  eol: string;
  finalNewline: boolean;
  bom: boolean;
}

function layoutOf(raw: string | undefined): Layout {
  if (raw === undefined) return { indent: 2, eol: '\n', finalNewline: true, bom: false };
  const text = stripBom(raw);
  const indent = /\n([ \t]+)\S/.exec(text)?.[1];
  const multiLine = text.trim().includes('\n');
  const compact = !multiLine && /:/.test(text);
  return {
    indent: indent ?? (compact ? 0 : 2),
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    finalNewline: /\n$/.test(text) || text.trim() === '',
    bom: text !== raw,
  };
}

function serialize(document: unknown, layout: Layout): string {
  let text = JSON.stringify(document, null, layout.indent);
  if (layout.eol !== '\n') text = text.split('\n').join(layout.eol);
  if (layout.finalNewline) text += layout.eol;
  return (layout.bom ? '\uFEFF' : '') + text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property of an object as an object, created if absent; `__proto__` stays a plain name. */
function ownRecord(parent: Record<string, unknown>, name: string): Record<string, unknown> {
  const existing = Object.prototype.hasOwnProperty.call(parent, name) ? parent[name] : undefined;
  if (isRecord(existing)) return existing;
  const created: Record<string, unknown> = {};
  Object.defineProperty(parent, name, { value: created, enumerable: true, writable: true, configurable: true });
  return created;
}

function setOwn(target: Record<string, unknown>, name: string, value: string): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/** Writes data to file through a temporary file in the same folder and a rename, mode 0600. */
async function writeAtomically(file: string, data: string): Promise<void> {
  // Writing through a symbolic link keeps the link and updates the file it points to.
  const target = await realpath(file).catch(() => file);
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
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/**
 * Sets the server and/or key of one CLI profile (or of the base config when profileName is
 * undefined), as `coder profile set` would. Every other field, and the order of keys, is kept.
 * A file that does not parse is refused and left as it is.
 */
export async function writeCliProfileKey(
  file: string,
  profileName: string | undefined,
  values: { server?: string; apiKey?: string },
): Promise<void> {
  if (profileName !== undefined && profileName.trim() === '') {
    throw new AuthError('bad-input', 'Enter a CLI profile name.', { field: 'profileName' });
  }
  let raw: string | undefined;
  try {
    raw = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      throw new AuthError('bad-input', `The CoderFlow CLI config ${file} could not be read (${code}); it was not changed.`, { detail: code, cause: e });
    }
  }
  let document: Record<string, unknown> = {};
  if (raw !== undefined) {
    const parsed = parseCliConfig(file, raw);
    if (!parsed.ok) {
      throw new AuthError('bad-input', `${parsed.error.message} It was not changed.`, {
        ...(parsed.error.fix ? { fix: parsed.error.fix } : {}),
        ...(parsed.error.detail ? { detail: parsed.error.detail } : {}),
      });
    }
    document = parsed.document;
  }

  const target = profileName === undefined ? document : ownRecord(ownRecord(document, 'profiles'), profileName);
  if (values.server !== undefined) setOwn(target, 'server', values.server);
  if (values.apiKey !== undefined) setOwn(target, 'apiKey', values.apiKey);

  try {
    await writeAtomically(file, serialize(document, layoutOf(raw)));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new AuthError('bad-input', `The CoderFlow CLI config ${file} could not be written (${code}).`, {
      fix: 'Check that you may write to the file and its folder.',
      detail: code,
      cause: e,
    });
  }
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
