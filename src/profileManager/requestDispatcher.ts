import * as l10n from '@vscode/l10n';
import { formField, parseResult, type Answer, type FieldProblem, type HostRequest, type RequestKind, type RequestPayload, type RequestResult } from '../shared/webviewProtocol';
import { messageOf } from '../shared/errorText';

/**
 * One handler per request kind: a mapped type over the protocol's table, so a kind without a
 * handler is a compile error. A handler resolves with its answer's value, or `false` when the person
 * cancelled or declined (nothing to report); a failure is thrown (anything with `message`, `fix?`,
 * `field?`) and shown by the page next to its field.
 */
export type RequestHandlers = { [K in RequestKind]: (payload: RequestPayload<K>) => Promise<RequestResult<K> | false> };

/** A failure the page shows as it is, with what to do about it. */
export class PageProblem extends Error {
  constructor(
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}

/**
 * Runs the request's handler and sends its one answer. The value is checked against the request's
 * result schema first: what fails it (say, a whole key where a masked one belongs) is not sent
 * (the page is told something went wrong instead), and what passes carries only the fields the
 * schema knows.
 */
export async function dispatch(
  handlers: RequestHandlers,
  message: HostRequest,
  respond: (answer: Answer<RequestKind>) => void,
  log: (line: string) => void,
): Promise<void> {
  const handler = handlers[message.kind] as (payload: unknown) => Promise<unknown>;
  let answer: Answer<RequestKind>;
  try {
    const value = await handler(message.payload);
    if (value === false) {
      answer = { ok: false };
    } else {
      const parsed = parseResult(message.kind, value);
      if (parsed === undefined) {
        // The page still gets its one answer (a failure), or it would wait for ever.
        log(`Profile Manager: refused to send the page a ${message.kind} answer that does not parse.`);
        answer = { ok: false, error: toProblem(undefined) };
      } else {
        answer = { ok: true, value: parsed };
      }
    }
  } catch (error) {
    log(`Profile Manager: ${message.kind} failed: ${messageOf(error)}`);
    answer = { ok: false, error: toProblem(error) };
  }
  respond(answer);
}

export function toProblem(error: unknown): FieldProblem {
  if (typeof error === 'object' && error !== null) {
    const { message, fix, field } = error as { message?: unknown; fix?: unknown; field?: unknown };
    if (typeof message === 'string' && message.length > 0) {
      const parsedField = formField.safeParse(field);
      return {
        message: message.slice(0, 1000),
        ...(typeof fix === 'string' && fix.length > 0 ? { fix: fix.slice(0, 1000) } : {}),
        ...(parsedField.success ? { field: parsedField.data } : {}),
      };
    }
  }
  return { message: l10n.t('Something went wrong.'), fix: l10n.t('See the CoderFlow output for details.') };
}

/** A problem without its field: what the answers that are not about the form carry. */
export function plainProblem(error: unknown): { message: string; fix?: string } {
  const problem = toProblem(error);
  return problem.fix ? { message: problem.message, fix: problem.fix } : { message: problem.message };
}
