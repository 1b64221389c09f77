import { AuthError } from '../errors';
import { MAX_VERIFICATION_URI_LENGTH } from '../../shared/deviceCode';
import * as l10n from '@vscode/l10n';

/** A verification address that may be opened in the person's browser. */
export interface VerificationAddress {
  /** The address to open, as the URL parser normalised it. */
  href: string;
  /** What the person is shown before the browser opens: where the code will be entered. */
  host: string;
}

/**
 * The one check before the page or the palette opens an address a server sent: an absolute
 * http(s) URL, without user info (`https://trusted@evil` reads as "trusted"), and plain http only
 * when the server itself is plain http on the same host (a local or test server), so a code typed
 * there cannot be read on the way. Anything else — `//host/share`, which a URI parser takes for a
 * file path, `file:`, `command:`, `javascript:` — is refused.
 */
export function checkVerificationUri(uri: string, serverUrl: string): VerificationAddress {
  const refuse = (why: string) =>
    new AuthError('unexpected-response', l10n.t('The server sent a sign-in address that VS Code will not open: {0}.', why), {
      fix: l10n.t('Ask your CoderFlow administrator to check the server’s SSO settings.'),
    });
  if (uri.length > MAX_VERIFICATION_URI_LENGTH) throw refuse(l10n.t('it is longer than {0} characters', MAX_VERIFICATION_URI_LENGTH));
  let url: URL;
  try {
    // No base: a relative or scheme-relative address is not an address to open.
    url = new URL(uri);
  } catch {
    throw refuse(l10n.t('it is not a complete web address'));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse(l10n.t('it is a {0} address, not a web page', url.protocol.replace(/:$/, '')));
  if (url.username !== '' || url.password !== '') throw refuse(l10n.t('it carries a user name, which can disguise its real host'));
  if (url.protocol === 'http:') {
    const server = new URL(serverUrl);
    if (server.protocol !== 'http:' || server.hostname !== url.hostname) throw refuse(l10n.t('it is plain http, where the code could be read on the way'));
  }
  return { href: url.href, host: url.host };
}
