// Every path and JSON shape of shared/PROTOCOL.md. The [assumed] ones (not published by
// CoderFlow, this project's contract) are kept together below, so a correction is a change here
// only. Objects ignore unknown fields: a newer server may add some.
import * as z from 'zod/mini';
import { isPersonalKey, PERSONAL_KEY_PREFIX } from '../../shared/secretShapes';

// ---------------------------------------------------------------------------------------------
// [docs]
// ---------------------------------------------------------------------------------------------

/**
 * A key the server hands out. Checked where it comes in: a key of another shape would be stored
 * and then refused everywhere else (and, in a rotation, the old key already revoked).
 */
export const PersonalKey = z.string().check(z.refine(isPersonalKey, { message: `is not a CoderFlow personal API key (${PERSONAL_KEY_PREFIX}…)` }));

const DOCUMENTED_PATHS = {
  health: '/health',
  me: '/auth/me',
  apiKeys: '/api-keys',
  apiKey: (id: string) => `/api-keys/${encodeURIComponent(id)}`,
} as const;

/** RFC 8628 §3.5: on slow_down the interval grows by 5 seconds. */
export const SLOW_DOWN_INCREMENT_SECONDS = 5;

// ---------------------------------------------------------------------------------------------
// [assumed]
// ---------------------------------------------------------------------------------------------

const ASSUMED_PATHS = {
  cliLogin: '/auth/cli-login',
  ssoConfig: '/auth/sso/config',
  ssoDevice: '/auth/sso/device',
  ssoToken: '/auth/sso/token',
} as const;

/** Every path, relative to the server URL (which may carry a path prefix). */
export const PATHS = { ...DOCUMENTED_PATHS, ...ASSUMED_PATHS } as const;

/** `{ "error": "<code>", "message": "<human text>" }`, both optional: bodies vary. */
export const ErrorBody = z.object({
  error: z.optional(z.string()),
  message: z.optional(z.string()),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const ERROR_CODES = {
  invalidCredentials: 'invalid_credentials',
  passwordLoginDisabled: 'password_login_disabled',
  authorizationPending: 'authorization_pending',
  slowDown: 'slow_down',
  expiredToken: 'expired_token',
  accessDenied: 'access_denied',
} as const;

export const User = z.object({
  id: z.string(),
  username: z.string(),
  email: z.optional(z.string()),
  displayName: z.optional(z.string()),
  roles: z.array(z.string()),
});
export type User = z.infer<typeof User>;

/** `POST /auth/cli-login` and an approved `POST /auth/sso/token`. */
export const LoginResult = z.object({
  key: PersonalKey,
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  user: User,
});
export type LoginResult = z.infer<typeof LoginResult>;

export const SsoConfig = z.object({
  enabled: z.boolean(),
  providerName: z.optional(z.string()),
  passwordLoginEnabled: z.boolean(),
});
export type SsoConfig = z.infer<typeof SsoConfig>;

export const DeviceAuthorization = z.object({
  deviceCode: z.string(),
  userCode: z.string(),
  verificationUri: z.string(),
  verificationUriComplete: z.optional(z.string()),
  expiresIn: z.number(),
  interval: z.number(),
});
export type DeviceAuthorization = z.infer<typeof DeviceAuthorization>;

export const ApiKeyInfo = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.nullable(z.string()),
  expiresAt: z.optional(z.nullable(z.string())),
});
export type ApiKeyInfo = z.infer<typeof ApiKeyInfo>;

export const ApiKeyList = z.object({ keys: z.array(ApiKeyInfo) });
export type ApiKeyList = z.infer<typeof ApiKeyList>;

/** `POST /api-keys` → 201: the key's metadata plus the secret, returned this once. */
export const CreatedKey = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.nullable(z.string()),
  expiresAt: z.optional(z.nullable(z.string())),
  key: PersonalKey,
});
export type CreatedKey = z.infer<typeof CreatedKey>;
