// Why a value did not match a schema, in words: for a server's answer and for the CLI config alike.
import type * as z from 'zod/mini';
import * as l10n from '@vscode/l10n';

/**
 * Describes why a body did not match a schema, naming the field ("user.username is missing"),
 * so the "server answered something unexpected" error says what was wrong.
 */
export function describeSchemaMismatch(error: z.core.$ZodError, input: unknown): string {
  const issue = error.issues[0];
  if (!issue) return l10n.t('the answer did not have the expected shape');
  const field = issue.path.length === 0 ? l10n.t('the body') : issue.path.map(String).join('.');
  if (issue.code === 'invalid_type') {
    let value: unknown = input;
    for (const step of issue.path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[step] : undefined;
    // issue.expected is zod's type name (string, number, object, …), kept as it is.
    if (value === undefined) return l10n.t('{0} is missing', field);
    return /^[aeiou]/.test(issue.expected) ? l10n.t('{0} should be an {1}', field, issue.expected) : l10n.t('{0} should be a {1}', field, issue.expected);
  }
  // A refinement's message is written to follow the field's name.
  if (issue.code === 'custom' && issue.message) return `${field} ${issue.message}`;
  return l10n.t('{0} is not valid', field);
}
