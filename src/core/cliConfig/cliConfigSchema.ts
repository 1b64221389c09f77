// The shape of the CoderFlow CLI's configuration file (PROTOCOL.md §6). A bundle of its own
// (dist/cliConfigSchema.js), loaded by cliConfigRead.ts on the first file read: building the
// schema (and loading zod) is not part of every window's activation.
import * as z from 'zod/mini';
import { AuthError } from '../errors';
import { describeSchemaMismatch } from '../http/schemaMismatch';
import * as l10n from '@vscode/l10n';

/** Every field is optional. */
export const CliProfile = z.object({
  server: z.optional(z.string()),
  apiKey: z.optional(z.string()),
});
export type CliProfile = z.infer<typeof CliProfile>;

export const CliConfig = z.object({
  server: z.optional(z.string()),
  apiKey: z.optional(z.string()),
  activeProfile: z.optional(z.string()),
  profiles: z.optional(z.record(z.string(), CliProfile)),
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
