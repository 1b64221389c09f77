// One HTTP exchange: node-fetch loaded on first use, a timeout, the caller's cancel, the body limit, and transport errors as AuthErrors.
import type { RequestInit } from 'node-fetch';
import { AuthError, MESSAGES, fromNodeErrorCode } from '../errors';
import type { RawResponse } from './responseBody';
import { redactSecrets } from '../../shared/secretShapes';
import * as l10n from '@vscode/l10n';

// node-fetch (with the Node modules it pulls in) loads on the first request, not when the
// extension activates: most windows never make one before the person does something.
const importFetch = () => import('node-fetch');
let fetchModule: ReturnType<typeof importFetch> | undefined;
async function loadFetch() {
  fetchModule ??= importFetch();
  return (await fetchModule).default;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface TimedRequest {
  method: Method;
  url: URL;
  body: unknown;
  /** Every header but Content-Type, which follows the body. */
  headers: Record<string, string>;
  /** The secrets the request carries, masked in any message quoting the answer or the failure. */
  secrets: ReadonlyArray<string | undefined>;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** The agent for the URL, chosen within the timeout (making one may read certificate files). */
  agentFor: (url: URL) => Promise<RequestInit['agent']>;
}

/** Sends one request and reads its whole answer, within the request's timeout. */
export async function fetchWithTimeout(request: TimedRequest): Promise<RawResponse> {
  const { method, url, body, signal, timeoutMs } = request;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });

  const headers: Record<string, string> = { ...request.headers };
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  try {
    const agent = await request.agentFor(url);
    const fetch = await loadFetch();
    const response = await fetch(url.href, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      redirect: 'manual',
      // node-fetch 2 checks the signal by its class name; Node's own AbortSignal passes.
      signal: controller.signal as unknown as RequestInit['signal'],
      agent,
      size: MAX_BODY_BYTES,
    });
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > MAX_BODY_BYTES) throw tooLarge();
    const text = await response.text();
    return { url, status: response.status, statusText: response.statusText, headers: response.headers, text, secrets: request.secrets };
  } catch (e) {
    if (e instanceof AuthError) throw e;
    if (signal?.aborted) throw new AuthError('cancelled', MESSAGES.cancelled, { cause: e });
    if (timedOut) {
      const within = timeoutMs < 1000 ? l10n.t('{0} ms', timeoutMs) : l10n.t('{0} seconds', Math.round(timeoutMs / 1000));
      throw new AuthError('timeout', l10n.t('The server at {0} did not answer within {1}.', url.host, within), {
        fix: l10n.t('Check the server URL and your network, VPN or proxy, then try again.'),
        cause: e,
      });
    }
    if ((e as { type?: unknown }).type === 'max-size') throw tooLarge(e);
    throw transportError(e, url, request.secrets);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function transportError(e: unknown, url: URL, secrets: ReadonlyArray<string | undefined>): AuthError {
  const code = (e as { code?: unknown }).code;
  const mapped = fromNodeErrorCode(typeof code === 'string' ? code : undefined, url.host, e);
  if (mapped) return mapped;
  // Node's own messages may quote a header value, which can be the key.
  const reason = redactSecrets(e instanceof Error ? e.message.replace(/^request to \S+ failed, reason: /, '').slice(0, 500) : String(e), secrets);
  return new AuthError('network', l10n.t('Could not reach {0}: {1}', url.host, reason), {
    fix: l10n.t('Check the server URL and your network, VPN or proxy.'),
    ...(typeof code === 'string' ? { detail: code } : {}),
    cause: e,
  });
}

function tooLarge(cause?: unknown): AuthError {
  return new AuthError('unexpected-response', l10n.t("The server's answer was larger than {0} MiB, far more than CoderFlow sends.", MAX_BODY_BYTES / 1024 / 1024), {
    fix: l10n.t('Check that the server URL points to a CoderFlow server.'),
    cause,
  });
}
