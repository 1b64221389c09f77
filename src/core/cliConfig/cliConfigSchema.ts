// The shape of the CoderFlow CLI's configuration file (PROTOCOL.md §6). A bundle of its own
// (dist/cliConfigSchema.js), loaded by cliConfigRead.ts on the first file read: building the
// schema (and loading zod) is not part of every window's activation.
import * as z from 'zod/mini';
import { AuthError } from '../errors';
import { describeSchemaMismatch } from '../http/schemaMismatch';
import * as l10n from '@vscode/l10n';

// One schema for each kind of field: every zod schema is an object of its own that a window keeps
// once the CLI config is read at activation.
const string = z.string();
const text = z.optional(string);

/** Every field is optional. */
export const CliProfile = z.object({
  server: text,
  apiKey: text,
});
export type CliProfile = z.infer<typeof CliProfile>;

export const CliConfig = z.object({
  server: text,
  apiKey: text,
  activeProfile: text,
  profiles: z.optional(z.record(string, CliProfile)),
});
export type CliConfig = z.infer<typeof CliConfig>;

/** The config in the parsed text of `file`, or why it cannot be used (naming the field). */
export function checkCliConfig(file: string, document: unknown): { ok: true; config: CliConfig } | { ok: false; error: AuthError } {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return {
      ok: false,
      error: new AuthError('bad-input', l10n.t('The CoderFlow CLI config {0} must hold a JSON object ({ … }).', file), {
        fix: l10n.t('Fix the file in an editor, or run coder login again.'),
      }),
    };
  }
  const result = CliConfig.safeParse(document);
  if (result.success) return { ok: true, config: result.data };
  const what = describeSchemaMismatch(result.error, document);
  return {
    ok: false,
    error: new AuthError('bad-input', l10n.t('The CoderFlow CLI config {0} is not as expected: {1}.', file, what), {
      fix: l10n.t('Fix the file in an editor, or run coder login again.'),
      detail: what,
    }),
  };
}
