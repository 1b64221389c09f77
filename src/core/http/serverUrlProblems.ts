// What is wrong with a refused server URL, in words (serverUrl.ts). A bundle of its own
// (dist/serverUrlProblems.js): every window checks URLs at start, few ever see one refused.
import { AuthError } from '../errors';
import * as l10n from '@vscode/l10n';

export type ServerUrlProblem = 'empty' | 'scheme' | 'invalid' | 'credentials' | 'fragment' | 'query' | 'no-host';

/** The error for `problem`; `scheme` is the refused scheme ("ftp:") for 'scheme'. */
export function serverUrlError(problem: ServerUrlProblem, scheme = ''): AuthError {
  const [message, fix] = words(problem, scheme);
  return new AuthError('bad-input', message, { field: 'serverUrl', ...(fix ? { fix } : {}) });
}

function words(problem: ServerUrlProblem, scheme: string): [string, string?] {
  switch (problem) {
    case 'empty':
      return [l10n.t('Enter the server URL, for example https://coderflow.example.com.')];
    case 'scheme':
      return [l10n.t('The server URL must start with https:// or http://, not {0}.', scheme)];
    case 'invalid':
      return [l10n.t('The server URL is not a valid address.'), l10n.t('Use the form https://coderflow.example.com, with a path prefix if your server has one.')];
    case 'credentials':
      return [l10n.t('The server URL must not contain a user name or password.'), l10n.t('Remove them from the URL and sign in with them instead.')];
    case 'fragment':
      return [l10n.t('The server URL must not contain a fragment (#…).')];
    case 'query':
      return [l10n.t('The server URL must not contain a query (?…).')];
    case 'no-host':
      return [l10n.t('The server URL has no host name.')];
  }
}
