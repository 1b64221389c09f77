// The server URL: its one canonical form, and the rule that keeps secrets off plain http.
import { AuthError } from '../errors';
import * as l10n from '@vscode/l10n';

function badUrl(message: string, fix?: string): AuthError {
  return new AuthError('bad-input', message, { field: 'serverUrl', ...(fix ? { fix } : {}) });
}

/**
 * The canonical form of a server URL: `https://host[:port][/prefix]` with no trailing slash.
 * `host:port` without a scheme means https. Credentials, fragments, queries and schemes other
 * than http(s) are refused, without repeating the input (it may hold a password).
 */
export function normalizeServerUrl(input: string): string {
  const trimmed = input.trim();
  if (trimmed === '') throw badUrl(l10n.t('Enter the server URL, for example https://coderflow.example.com.'));
  const scheme = /^([a-z][a-z0-9+.-]*):(.*)$/is.exec(trimmed);
  let text = trimmed;
  if (scheme) {
    const name = scheme[1].toLowerCase();
    const rest = scheme[2];
    const isHostPort = /^\d+(?:[/?#]|$)/.test(rest);
    if (name !== 'http' && name !== 'https') {
      if (!isHostPort) {
        throw badUrl(l10n.t('The server URL must start with https:// or http://, not {0}:.', name));
      }
      text = `https://${trimmed}`;
    }
  } else {
    text = `https://${trimmed}`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badUrl(l10n.t('The server URL is not a valid address.'), l10n.t('Use the form https://coderflow.example.com, with a path prefix if your server has one.'));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badUrl(l10n.t('The server URL must start with https:// or http://, not {0}.', url.protocol));
  }
  if (url.username !== '' || url.password !== '') {
    throw badUrl(l10n.t('The server URL must not contain a user name or password.'), l10n.t('Remove them from the URL and sign in with them instead.'));
  }
  if (url.hash !== '' || text.includes('#')) throw badUrl(l10n.t('The server URL must not contain a fragment (#…).'));
  if (url.search !== '' || text.includes('?')) throw badUrl(l10n.t('The server URL must not contain a query (?…).'));
  if (url.hostname === '') throw badUrl(l10n.t('The server URL has no host name.'));
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.protocol}//${url.host}${path}`;
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
