// Writing the CoderFlow CLI's configuration file: a compare-and-swap that sets only the fields asked for.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync } from 'node:fs';
import { chmod, mkdir, open, realpath, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { JSONPath } from 'jsonc-parser';
import type * as CliConfigText from './cliConfigText';
import { AuthError } from '../errors';
import { sleep } from '../sleep';
import type { CliConfig } from './cliConfigSchema';
import { parseCliConfig, stripBom, textTools } from './cliConfigRead';
import * as l10n from '@vscode/l10n';

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
  const dir = dirname(target);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
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
