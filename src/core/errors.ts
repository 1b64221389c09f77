// The closed set of ways signing in or calling the server can fail. Every error says what
// happened (message) and, where a person can do something about it, what to do (fix). No
// message ever contains an API key or a password.
import { redactSecrets } from '../shared/secretShapes';
import * as l10n from '@vscode/l10n';
import { messageOf } from '../shared/errorText';

export type AuthErrorKind =
  | 'invalid-credentials'
  | 'invalid-api-key'
  | 'forbidden'
  | 'password-login-disabled'
  | 'sso-disabled'
  | 'code-expired'
  | 'access-denied'
  | 'cancelled'
  | 'timeout'
  | 'network'
  | 'tls'
  | 'rate-limited'
  | 'server-error'
  | 'unexpected-response'
  | 'bad-input';

/** The input an error concerns, so a form can show it next to that field. */
export type AuthErrorField = 'serverUrl' | 'username' | 'password' | 'apiKey' | 'profileName';

export interface AuthErrorDetails {
  fix?: string;
  field?: AuthErrorField;
  status?: number;
  /** Technical detail: a Node error code, a schema path, an excerpt of a non-JSON body. */
  detail?: string;
  /** For 'rate-limited': how long the server asked to wait. */
  retryAfterSeconds?: number;
  /** Kept only as its class and code (see causeSummary): the original's text may quote a secret. */
  cause?: unknown;
}

/** The mark of an AuthError, in the global symbol registry so that every copy of this module shares it. */
const AUTH_ERROR: unique symbol = Symbol.for('coderflow.AuthError');

export class AuthError extends Error {
  /**
   * The extension's lazily loaded bundles (dist/keys.js, dist/profileManager.js…) each hold a copy
   * of this class, and their errors reach the others: `instanceof AuthError` recognises an AuthError
   * made by any copy by its mark, not by its prototype.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [AUTH_ERROR]?: unknown })[AUTH_ERROR] === true;
  }

  readonly [AUTH_ERROR] = true;
  override readonly name = 'AuthError';
  readonly kind: AuthErrorKind;
  readonly fix?: string;
  readonly field?: AuthErrorField;
  readonly status?: number;
  readonly detail?: string;
  readonly retryAfterSeconds?: number;

  constructor(kind: AuthErrorKind, message: string, details: AuthErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: causeSummary(details.cause) });
    this.kind = kind;
    if (details.fix !== undefined) this.fix = details.fix;
    if (details.field !== undefined) this.field = details.field;
    if (details.status !== undefined) this.status = details.status;
    if (details.detail !== undefined) this.detail = details.detail;
    if (details.retryAfterSeconds !== undefined) this.retryAfterSeconds = details.retryAfterSeconds;
  }
}

/**
 * What an AuthError keeps of the error behind it: the class and the code, never the message or
 * the object. Those can quote what was being sent (node-fetch's "<value> is not a legal HTTP
 * header value" quotes the key), and AuthErrors leave the auth core: to other extensions, the
 * log, the page.
 */
function causeSummary(cause: unknown): Error {
  const name = cause instanceof Error ? cause.name : typeof cause;
  const code = errorCode(cause);
  const summary = new Error(code ? `${name} (${code})` : name);
  if (code) (summary as NodeJS.ErrnoException).code = code;
  return summary;
}

export function isAuthError(e: unknown, kind?: AuthErrorKind): e is AuthError {
  return e instanceof AuthError && (kind === undefined || e.kind === kind);
}

// Texts from CoderFlow's own troubleshooting page (shared/seeds/000), so the extension and the
// docs say the same thing. Getters: each text is looked up in the l10n bundle when it is used, after
// activation has loaded the bundle, not when this module is first evaluated.
export const MESSAGES = {
  get invalidApiKey() { return l10n.t('Invalid API key: the key was deleted, mistyped, or belongs to a deleted user.'); },
  get invalidApiKeyFix() { return l10n.t('Sign in again, or update the key stored in this profile.'); },
  get forbidden() { return l10n.t('The key is valid, but your user does not have the permission this needs.'); },
  get forbiddenFix() { return l10n.t("Ask an administrator to review your teams and access bindings."); },
  get invalidCredentials() { return l10n.t('Wrong username or password.'); },
  get invalidCredentialsFix() { return l10n.t('Check both and try again. If your organisation signs in through SSO, use Sign in with SSO.'); },
  get passwordLoginDisabled() { return l10n.t('This server does not allow signing in with a password.'); },
  get passwordLoginDisabledFix() { return l10n.t('Use Sign in with SSO, or paste an existing API key.'); },
  get ssoDisabled() { return l10n.t('Single sign-on (SSO) is not enabled on this server.'); },
  get ssoDisabledFix() { return l10n.t('Sign in with your username and password, or paste an existing API key.'); },
  get codeExpired() { return l10n.t('The sign-in code expired before it was approved.'); },
  get codeExpiredFix() { return l10n.t('Start Sign in with SSO again and approve the new code in your browser.'); },
  get accessDenied() { return l10n.t('The sign-in was refused, in the browser or by the identity provider.'); },
  get accessDeniedFix() { return l10n.t('Start Sign in with SSO again, or ask an administrator whether your account may use CoderFlow.'); },
  get cancelled() { return l10n.t('Sign-in was cancelled.'); },
};

const NETWORK_CODES: Record<string, { message: (host: string) => string; fix: () => string }> = {
  ECONNREFUSED: {
    message: (host) => l10n.t('Nothing is answering at {0} (connection refused).', host),
    fix: () => l10n.t('Check the server URL, including the port, and that the CoderFlow server is running.'),
  },
  ENOTFOUND: {
    message: (host) => l10n.t('The host name {0} could not be found.', host),
    fix: () => l10n.t('Check the server URL for a typo, and your network or VPN connection.'),
  },
  EAI_AGAIN: {
    message: (host) => l10n.t('The host name {0} could not be looked up right now (DNS did not answer).', host),
    fix: () => l10n.t('Check your network or VPN connection and try again.'),
  },
  ECONNRESET: {
    message: (host) => l10n.t('The connection to {0} was closed before the server answered.', host),
    fix: () => l10n.t('Try again. If it keeps happening, a proxy or firewall between you and the server may be cutting the connection.'),
  },
  EPIPE: {
    message: (host) => l10n.t('The connection to {0} was closed while sending the request.', host),
    fix: () => l10n.t('Try again. If it keeps happening, a proxy or firewall between you and the server may be cutting the connection.'),
  },
  ETIMEDOUT: {
    message: (host) => l10n.t('The connection to {0} timed out.', host),
    fix: () => l10n.t('Check the server URL and your network, VPN or proxy.'),
  },
  EHOSTUNREACH: {
    message: (host) => l10n.t('{0} cannot be reached from this computer.', host),
    fix: () => l10n.t('Check your network or VPN connection.'),
  },
  ENETUNREACH: {
    message: (host) => l10n.t('The network of {0} cannot be reached from this computer.', host),
    fix: () => l10n.t('Check your network or VPN connection.'),
  },
};

const caFix = (): string =>
  l10n.t('Set profoundCoder.tls.caFile to a PEM file with the certificate authority that signed the server\'s certificate (ask your administrator for it).');

const TLS_CODES: Record<string, { message: (host: string) => string; fix: () => string }> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: {
    message: (host) => l10n.t('The certificate of {0} is self-signed, so it is not trusted.', host),
    fix: caFix,
  },
  SELF_SIGNED_CERT_IN_CHAIN: {
    message: (host) => l10n.t('The certificate of {0} was issued by a private (self-signed) certificate authority that this computer does not trust.', host),
    fix: caFix,
  },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
    message: (host) => l10n.t('The certificate of {0} was issued by a certificate authority that this computer does not trust.', host),
    fix: caFix,
  },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: {
    message: (host) => l10n.t('The certificate of {0} was issued by a certificate authority that this computer does not trust.', host),
    fix: caFix,
  },
  UNABLE_TO_GET_ISSUER_CERT: {
    message: (host) => l10n.t('The certificate of {0} was issued by a certificate authority that this computer does not trust.', host),
    fix: caFix,
  },
  CERT_HAS_EXPIRED: {
    message: (host) => l10n.t('The certificate of {0} has expired.', host),
    fix: () => l10n.t("Ask the server's administrator to renew the certificate, and check that this computer's date and time are right."),
  },
  CERT_NOT_YET_VALID: {
    message: (host) => l10n.t('The certificate of {0} is not valid yet.', host),
    fix: () => l10n.t("Check that this computer's date and time are right."),
  },
  ERR_TLS_CERT_ALTNAME_INVALID: {
    message: (host) => l10n.t('The certificate presented by {0} was issued for a different host name.', host),
    fix: () => l10n.t('Check the server URL: use the host name the certificate was issued for (ask your administrator which one).'),
  },
  EPROTO: {
    message: (host) => l10n.t('{0} did not answer with TLS (https).', host),
    fix: () => l10n.t('Check the scheme and port of the server URL.'),
  },
  ERR_SSL_WRONG_VERSION_NUMBER: {
    message: (host) => l10n.t('{0} did not answer with TLS (https).', host),
    fix: () => l10n.t('Check the scheme and port of the server URL.'),
  },
};

/** Maps a Node network or TLS error code to an AuthError; undefined when the code is unknown. */
export function fromNodeErrorCode(code: string | undefined, host: string, cause?: unknown): AuthError | undefined {
  if (code === undefined) return undefined;
  const tls = TLS_CODES[code];
  if (tls) return new AuthError('tls', tls.message(host), { fix: tls.fix(), detail: code, cause });
  const net = NETWORK_CODES[code];
  if (net) return new AuthError('network', net.message(host), { fix: net.fix(), detail: code, cause });
  return undefined;
}

function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const own = (e as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  const cause = (e as { cause?: unknown }).cause;
  return cause === e ? undefined : errorCode(cause);
}

/**
 * Turns anything thrown into an AuthError, so callers handle one type. An AuthError passes
 * through unchanged; an abort becomes 'cancelled'; Node network and TLS codes are recognised.
 */
export function toAuthError(e: unknown): AuthError {
  if (e instanceof AuthError) return e;
  if (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AbortError') {
    return new AuthError('cancelled', MESSAGES.cancelled, { cause: e });
  }
  const mapped = fromNodeErrorCode(errorCode(e), l10n.t('the server'), e);
  if (mapped) return mapped;
  const text = messageOf(e);
  return new AuthError('unexpected-response', l10n.t('Something unexpected went wrong: {0}', redactSecrets(text.slice(0, 500))), { cause: e });
}
