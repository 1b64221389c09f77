// Where a request may go: a path under the server URL, and redirects that stay there.
import { AuthError } from '../errors';
import type { Method } from './fetchWithTimeout';
import type { RawResponse } from './responseBody';
import { redactSecrets } from '../../shared/secretShapes';
import * as l10n from '@vscode/l10n';

const MAX_REDIRECTS = 5;

/**
 * The URL of a path relative to the server URL, which must stay on the server's origin and under
 * its path prefix. Anything that a URL parser or a server could read as leaving the prefix is
 * refused before anything is sent: dot segments (also percent-encoded), encoded slashes and
 * backslashes (which some servers decode into separators).
 */
export function resolveRequestPath(serverUrl: string, path: string): URL {
  const refuse = (why: string) =>
    new AuthError('bad-input', l10n.t('CoderFlow refused the request path "{0}": {1}', redactSecrets(String(path).slice(0, 80)), why), {
      fix: l10n.t('Use a path relative to the server URL, such as /auth/me.'),
    });
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) throw refuse(l10n.t('a path starts with a single "/", relative to the server URL.'));
  const pathPart = path.split(/[?#]/, 1)[0];
  if (/\\|%2f|%5c/i.test(pathPart)) throw refuse(l10n.t('it holds a backslash or an encoded slash.'));
  if (/\p{Cc}/u.test(path)) throw refuse(l10n.t('it holds a control character.'));
  for (const segment of pathPart.split('/')) {
    const decoded = segment.replace(/%2e/gi, '.');
    if (decoded === '.' || decoded === '..') throw refuse(l10n.t('it holds a "." or ".." segment, which could leave the server URL\'s path.'));
  }
  const url = new URL(serverUrl + path);
  if (!isUnderServerUrl(serverUrl, url)) throw refuse(l10n.t('it leads outside the server URL.'));
  return url;
}

/** Same origin as the server URL, and a path under its prefix. */
function isUnderServerUrl(serverUrl: string, url: URL): boolean {
  const base = new URL(serverUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  return url.origin === base.origin && (prefix === '' || url.pathname === prefix || url.pathname.startsWith(`${prefix}/`));
}

/**
 * Sends a request with `sendOnce` and follows the server's redirects by hand, a few at most, as
 * long as they stay on the server's origin and under its path; any other is refused, so the key
 * is never sent there.
 */
export async function followRedirects(
  serverUrl: string,
  method: Method,
  first: URL,
  firstBody: unknown,
  sendOnce: (method: Method, url: URL, body: unknown) => Promise<RawResponse>,
): Promise<RawResponse> {
  let url = first;
  let currentMethod: Method = method;
  let body = firstBody;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await sendOnce(currentMethod, url, body);
    const location = response.headers.get('location');
    if (![301, 302, 303, 307, 308].includes(response.status) || !location) return response;
    const target = new URL(location, url);
    if (target.origin !== first.origin) throw crossOriginRedirect(serverUrl, first, target);
    if (!isUnderServerUrl(serverUrl, target)) throw redirectOutsidePrefix(serverUrl, target);
    // Fetch's rules: 303, and 301/302 after a POST, continue as a GET without a body.
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && currentMethod === 'POST')) {
      currentMethod = 'GET';
      body = undefined;
    }
    url = target;
  }
  throw new AuthError('unexpected-response', l10n.t('The server at {0} redirected more than {1} times.', serverUrl, MAX_REDIRECTS), {
    fix: l10n.t('Check the server URL; a proxy or sign-in page may be redirecting in a loop.'),
    field: 'serverUrl',
  });
}

function redirectOutsidePrefix(serverUrl: string, target: URL): AuthError {
  return new AuthError(
    'unexpected-response',
    l10n.t('The server at {0} redirected to {1}, outside its path. CoderFlow does not follow it, so your key is not sent there.', serverUrl, target.pathname.slice(0, 120)),
    { fix: l10n.t('Check the server URL, including its path prefix.'), field: 'serverUrl' },
  );
}

function crossOriginRedirect(serverUrl: string, from: URL, target: URL): AuthError {
  // A server moved to https or another host: suggest the new server URL, keeping the prefix.
  const prefix = new URL(serverUrl).pathname.replace(/\/+$/, '');
  const suggestion = target.pathname.startsWith(prefix) ? `${target.origin}${prefix}` : target.origin;
  return new AuthError(
    'unexpected-response',
    l10n.t('The server at {0} redirected to {1}. CoderFlow does not follow a redirect to another address, so your key is never sent there.', from.origin, target.origin),
    { fix: l10n.t('If {0} is your CoderFlow server, set the server URL to {1}.', target.origin, suggestion), field: 'serverUrl', detail: target.origin },
  );
}
