// The server URL: its one canonical form, and the rule that keeps secrets off plain http.
import { AuthError } from '../errors';
import type * as ServerUrlProblems from './serverUrlProblems';
import type { ServerUrlProblem } from './serverUrlProblems';
import * as l10n from '@vscode/l10n';

/**
 * The canonical form of a server URL: `https://host[:port][/prefix]` with no trailing slash.
 * `host:port` without a scheme means https. Credentials, fragments, queries and schemes other
 * than http(s) are refused, without repeating the input (it may hold a password).
 */
export function normalizeServerUrl(input: string): string {
  const trimmed = input.trim();
  if (trimmed === '') throw badUrl('empty');
  const scheme = /^([a-z][a-z0-9+.-]*):(.*)$/is.exec(trimmed);
  let text = trimmed;
  if (scheme) {
    const name = scheme[1].toLowerCase();
    const rest = scheme[2];
    const isHostPort = /^\d+(?:[/?#]|$)/.test(rest);
    if (name !== 'http' && name !== 'https') {
      if (!isHostPort) throw badUrl('scheme', `${name}:`);
      text = `https://${trimmed}`;
    }
  } else {
    text = `https://${trimmed}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUrl('invalid');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badUrl('scheme', url.protocol);
  if (url.username !== '' || url.password !== '') throw badUrl('credentials');
  if (url.hash !== '' || text.includes('#')) throw badUrl('fragment');
  if (url.search !== '' || text.includes('?')) throw badUrl('query');
  if (url.hostname === '') throw badUrl('no-host');
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

/** The error for a refused server URL; its words load when one is refused (dist/serverUrlProblems.js). */
function badUrl(problem: ServerUrlProblem, scheme?: string): AuthError {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./serverUrlProblems.js') as typeof ServerUrlProblems).serverUrlError(problem, scheme);
}

/** 127.0.0.0/8, ::1 and localhost: traffic that never leaves this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Refuses to send `what` (a secret, named for the message) over plain http off this machine. */
export function refuseSecretOverHttp(url: URL, what: string): void {
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new AuthError(
      'bad-input',
      l10n.t('CoderFlow will not send {0} over plain http to {1}: anyone on the network path could read it.', what, url.hostname),
      { field: 'serverUrl', fix: l10n.t('Use the server\'s https:// address. Plain http is allowed only for a server on this computer (localhost).') },
    );
  }
}
