// What makes a failure message clear enough to show a person, checked the same way everywhere.
import assert from 'node:assert/strict';
import { AuthError, type AuthErrorKind } from '../../../src/core/errors';
import { record } from './matrix';
import { keysIn } from './secrets';

const DEMO_PASSWORDS = ['alice-password', 'bob-password', 'carol-password'];

/** The reasons a message is not clear; empty when it is. */
export function unclear(message: string, fix: string | undefined, secrets: readonly string[] = []): string[] {
  const problems: string[] = [];
  const both = `${message}\n${fix ?? ''}`;
  if (message.length < 15 || message.length > 600) problems.push(`length ${message.length}`);
  if (!/^[A-Z0-9"]/.test(message)) problems.push('does not start as a sentence');
  if (/Something unexpected went wrong|\[object |undefined|NaN|fetch failed|^Error:|TypeError|SyntaxError/.test(both)) problems.push('raw or generic wording');
  if (/\n\s+at /.test(both)) problems.push('a stack trace');
  if (/<\/?[a-z][^>]*>/i.test(both)) problems.push('HTML markup');
  if (fix !== undefined && !/[.)]$/.test(fix.trim())) problems.push('fix is not a sentence');
  const leaked = [...keysIn(both), ...[...DEMO_PASSWORDS, ...secrets].filter((s) => s.length >= 6 && both.includes(s))];
  if (leaked.length > 0) problems.push(`contains ${leaked.length} secret value(s)`);
  return problems;
}

export interface Expectation {
  /** Any kind when absent (random input). */
  kind?: AuthErrorKind | AuthErrorKind[];
  /** What the message must say. */
  message?: RegExp;
  fix?: RegExp;
  /** Other secrets (a password, a pasted key) that must not appear. */
  secrets?: readonly string[];
}

/** Awaits a failure, checks it is a clear AuthError of the expected kind, and records it. */
export async function expectFailure(area: string, work: Promise<unknown>, expected: Expectation): Promise<AuthError> {
  let thrown: { error: unknown } | undefined;
  try {
    await work;
  } catch (e) {
    thrown = { error: e };
  }
  assert.ok(thrown, `expected a failure of kind ${String(expected.kind)}, but it succeeded`);
  const { error } = thrown;
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof AuthError)) {
    record({ type: 'failure', area, kind: 'not an AuthError', clear: false });
    assert.fail(`not an AuthError: ${String(error)}`);
  }
  const problems = unclear(message, error.fix, expected.secrets);
  record({ type: 'failure', area, kind: error.kind, clear: problems.length === 0 });
  if (expected.kind !== undefined) {
    const kinds = Array.isArray(expected.kind) ? expected.kind : [expected.kind];
    assert.ok(kinds.includes(error.kind), `kind ${error.kind}, expected ${kinds.join(' or ')}: ${message}`);
  }
  assert.deepEqual(problems, [], `unclear message: ${message} / fix: ${error.fix ?? ''}`);
  if (expected.message) assert.match(message, expected.message);
  if (expected.fix) assert.match(error.fix ?? '', expected.fix);
  return error;
}
