// Reading the CoderFlow CLI's configuration file (PROTOCOL.md §6): parsed, checked against its schema, and its profiles listed.
import { readFile } from 'node:fs/promises';
import type * as CliConfigText from './cliConfigText';
import { AuthError } from '../errors';
import type * as CliConfigSchema from './cliConfigSchema';
import type { CliConfig } from './cliConfigSchema';
import * as l10n from '@vscode/l10n';

export type CliConfigState =
  | { state: 'missing'; path: string }
  | { state: 'error'; path: string; error: AuthError; line?: number; column?: number; raw?: string }
  | { state: 'ok'; path: string; config: CliConfig; raw: string };

type Parsed =
  | { ok: true; document: Record<string, unknown>; config: CliConfig }
  | { ok: false; error: AuthError; line?: number; column?: number };

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The text tools (jsonc-parser): loaded on the first write or the first file that does not parse,
 * from a bundle of their own (dist/cliConfigText.js), as an activation only reads the file.
 */
export function textTools(): typeof CliConfigText {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./cliConfigText.js') as typeof CliConfigText;
}

/** The config in `raw` (the text of `file`), or why it cannot be used. */
export function parseCliConfig(file: string, raw: string): Parsed {
  const text = stripBom(raw);
  // An empty file is an empty config: nothing is lost by writing to it.
  if (text.trim() === '') return { ok: true, document: {}, config: {} };
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    // Where it breaks, and the words for it, load with the text tools (dist/cliConfigText.js).
    return { ok: false, ...textTools().jsonSyntaxError(file, text) };
  }
  // The schema and the words for a mismatch load with the first file read (dist/cliConfigSchema.js).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const result = (require('./cliConfigSchema.js') as typeof CliConfigSchema).checkCliConfig(file, document);
  if (!result.ok) return { ok: false, error: result.error };
  return { ok: true, document: document as Record<string, unknown>, config: result.config };
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
