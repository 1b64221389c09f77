// What an answer means: the data of a success checked against its schema, or the AuthError of its status.
import type * as z from 'zod/mini';
import { AuthError, MESSAGES } from '../errors';
import { ERROR_CODES, ErrorBody } from './protocol';
import { describeSchemaMismatch } from './schemaMismatch';
import { isSuccess, looksLikeHtml, parseJsonBody, quoteServerMessage, retryAfterSeconds, safeExcerpt, type RawResponse } from './responseBody';
import * as l10n from '@vscode/l10n';

/** What a 401 and a 404 mean depends on the request: a password check or a key check. */
export interface StatusMeaning {
  on401?: () => AuthError;
  onNotFound?: () => AuthError;
}

/**
 * The data of a successful answer, checked against its schema; any other answer is the AuthError
 * its status means. `serverUrl` names the server in the message.
 */
export function parseAnswer<S extends z.ZodMiniType>(response: RawResponse, schema: S, serverUrl: string, meaning: StatusMeaning = {}): z.infer<S> {
  if (!isSuccess(response)) throw statusError(response, meaning);
  const parsed = parseJsonBody(response.text);
  if (!parsed.ok) {
    const what = response.text.trim() === '' ? l10n.t('an empty answer') : looksLikeHtml(response) ? l10n.t('a web page') : l10n.t('something that is not JSON');
    throw new AuthError(
      'unexpected-response',
      l10n.t('The server at {0} sent {1} instead of CoderFlow data: it may not be a CoderFlow server, or a proxy or sign-in page is in the way.', serverUrl, what),
      {
        fix: l10n.t('Check the server URL, including any path prefix (for example https://host/coderflow).'),
        field: 'serverUrl',
        status: response.status,
        detail: safeExcerpt(response),
      },
    );
  }
  const result = schema.safeParse(parsed.value);
  if (!result.success) {
    const what = describeSchemaMismatch(result.error, parsed.value);
    throw new AuthError('unexpected-response', l10n.t('The server answered something unexpected: {0}.', what), {
      fix: l10n.t('Check that the server URL points to a CoderFlow server, and that the server and the extension are up to date.'),
      status: response.status,
      detail: what,
    });
  }
  return result.data;
}

/** The AuthError for a response that is not a success. */
export function statusError(response: RawResponse, meaning: StatusMeaning = {}): AuthError {
  const { status } = response;
  const parsed = parseJsonBody(response.text);
  const body = parsed.ok ? ErrorBody.safeParse(parsed.value) : undefined;
  const code = body?.success ? body.data.error : undefined;
  const serverMessage = body?.success && body.data.message ? quoteServerMessage(body.data.message, response) : undefined;
  const detail = serverMessage ?? (parsed.ok ? code?.slice(0, 200) : safeExcerpt(response)) ?? undefined;
  const withDetail = detail ? { detail } : {};

  if (code === ERROR_CODES.passwordLoginDisabled) {
    return new AuthError('password-login-disabled', MESSAGES.passwordLoginDisabled, { fix: MESSAGES.passwordLoginDisabledFix, status });
  }
  if (code === 'sso_disabled') return ssoDisabled();
  if (status === 401) {
    return meaning.on401?.() ?? new AuthError('invalid-api-key', MESSAGES.invalidApiKey, { fix: MESSAGES.invalidApiKeyFix, field: 'apiKey', status });
  }
  if (status === 403) return new AuthError('forbidden', MESSAGES.forbidden, { fix: MESSAGES.forbiddenFix, status, ...withDetail });
  if (status === 404 && meaning.onNotFound) return meaning.onNotFound();
  if (status === 404) {
    return new AuthError('unexpected-response', l10n.t('The server has nothing at {0} (404): it may not be a CoderFlow server, or the path prefix is wrong.', response.url.pathname), {
      fix: l10n.t('Check the server URL, including any path prefix (for example https://host/coderflow).'),
      field: 'serverUrl',
      status,
      ...withDetail,
    });
  }
  if (status === 429) {
    const wait = retryAfterSeconds(response.headers, Date.now());
    return new AuthError(
      'rate-limited',
      wait === undefined ? l10n.t('The server is receiving too many requests from you.') : l10n.t('The server is receiving too many requests from you and asks to wait {0} seconds.', wait),
      {
        fix: wait === undefined ? l10n.t('Wait a moment, then try again.') : l10n.t('Try again in {0} seconds.', wait),
        status,
        ...(wait === undefined ? {} : { retryAfterSeconds: wait }),
      },
    );
  }
  if (status >= 500) {
    const statusLine = `${status}${response.statusText ? ` ${response.statusText}` : ''}`;
    // A reverse proxy's page ("502 Bad Gateway … nginx") tells the person who failed: quote a short part.
    const message = serverMessage
      ? l10n.t('The server had a problem ({0}): {1}', statusLine, serverMessage)
      : !parsed.ok && response.text.trim() !== ''
        ? l10n.t('The server had a problem ({0}) and answered: "{1}".', statusLine, safeExcerpt(response))
        : l10n.t('The server had a problem ({0}).', statusLine);
    return new AuthError('server-error', message, {
      fix: l10n.t('Try again later. If it keeps happening, tell the server\'s administrator.'),
      status,
      ...withDetail,
    });
  }
  return new AuthError('unexpected-response', serverMessage ? l10n.t('The server refused the request ({0}): {1}', status, serverMessage) : l10n.t('The server refused the request ({0}).', status), {
    status,
    ...withDetail,
  });
}

export function ssoDisabled(): AuthError {
  return new AuthError('sso-disabled', MESSAGES.ssoDisabled, { fix: MESSAGES.ssoDisabledFix });
}
