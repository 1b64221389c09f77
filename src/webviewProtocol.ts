// Every message between the Profile Manager page and its host. Both sides import this module (the
// page bundle too), so it must stay free of `node:` and `vscode` imports. A message that does not
// parse is dropped by whichever side receives it.
//
// The page is write-only for secrets: a password or an API key travels page → host inside a
// sign-in message and never comes back. Profiles reach the page as views whose key is masked.
import * as z from 'zod/mini';
import { isShowableUserCode, MAX_CODE_LIFETIME_SECONDS, MAX_VERIFICATION_URI_LENGTH } from './shared/deviceCode';

const text = (max: number) => z.string().check(z.maxLength(max));
const required = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

const id = required(200);
const profileName = required(200);
const serverUrl = required(2048);

export const formField = z.enum(['profileName', 'serverUrl', 'username', 'password', 'apiKey']);
export type FormField = z.infer<typeof formField>;

import { SIGN_IN_METHODS, type SignInMethod } from './shared/signInMethod';

export type { SignInMethod };
export const signInMethod = z.enum(SIGN_IN_METHODS);

/** Where the credential in use comes from (ARCHITECTURE.md: every credential carries its source). */
export const credentialSourceKind = z.enum(['profile', 'cli-env', 'cli-profile', 'setting']);

export const profileStatus = z.enum(['verified', 'invalidKey', 'forbidden', 'unreachable', 'signedOut']);
export type ProfileStatus = z.infer<typeof profileStatus>;

/**
 * `pc_…` and at most the key's last four characters. The pattern is the guard: a whole key put
 * here by mistake fails to parse, so the host refuses to send it and the page refuses to show it.
 */
export const maskedKey = z.string().check(z.regex(/^pc_…[!-~]{0,4}$/));

export const profileView = z.object({
  id,
  name: profileName,
  serverUrl,
  user: z.optional(text(200)),
  /** How the key was obtained; `unknown` for keys the CLI stored or a person pasted into its config. */
  method: z.enum(['password', 'sso', 'apiKey', 'unknown']),
  source: z.enum(['extension', 'cli']),
  active: z.boolean(),
  activeSource: z.optional(credentialSourceKind),
  maskedKey: z.optional(maskedKey),
  keyId: z.optional(text(200)),
  /** ISO-8601. */
  lastVerifiedAt: z.optional(text(64)),
  /** ISO-8601: when the profile's key expires, as the server's key list said; absent when it does not. */
  keyExpiresAt: z.optional(text(64)),
  /**
   * The outcome of the last check with the server; absent when never checked. The page says
   * "Connection verified" for `verified`, so send it only after a check succeeded.
   * `signedOut`: no key stored; the page then offers "Sign in again" instead of Use.
   */
  status: z.optional(profileStatus),
});
export type ProfileView = z.infer<typeof profileView>;

/**
 * One of the user's API keys in the Manage API keys section: what `GET /api-keys` says about it,
 * never a secret (the server does not send one, and nothing here could carry it).
 */
export const apiKeyView = z.object({
  id,
  name: text(200),
  /** ISO-8601. */
  createdAt: text(64),
  lastUsedAt: z.nullable(text(64)),
  expiresAt: z.optional(z.nullable(text(64))),
  /** The key the profile holds (matched by its id). */
  thisDevice: z.boolean(),
  /** Unused for 90 days or more, by the host's clock. */
  stale: z.boolean(),
});
export type ApiKeyView = z.infer<typeof apiKeyView>;

export const credentialSourceView = z.object({
  source: credentialSourceKind,
  /** One sentence a person can read, e.g. "CODER_API_KEY from the environment". */
  detail: text(500),
  serverUrl: z.optional(text(2048)),
});
export type CredentialSourceView = z.infer<typeof credentialSourceView>;

export const problem = z.object({
  message: required(1000),
  fix: z.optional(text(1000)),
});
export type Problem = z.infer<typeof problem>;

export const fieldProblem = z.object({
  message: required(1000),
  fix: z.optional(text(1000)),
  /** The form field the problem concerns; absent when it concerns the whole form. */
  field: z.optional(formField),
});
export type FieldProblem = z.infer<typeof fieldProblem>;

/** One step of Test connection (src/session/connectionDiagnostic.ts), redacted by the host. */
export const diagnosticStepView = z.object({
  id: required(40),
  name: required(200),
  status: z.enum(['ok', 'warn', 'fail', 'skipped']),
  detail: text(2000),
  fix: z.optional(text(1000)),
  durationMs: z.number().check(z.gte(0), z.lte(3_600_000)),
  facts: z.array(z.object({ label: required(100), value: text(2000) })).check(z.maxLength(20)),
});

/** Test connection's steps; `reportId` names the report the host keeps for Copy report. */
export const diagnosticView = z.object({
  reportId: required(100),
  serverUrl,
  /** ISO-8601. */
  startedAt: text(64),
  ok: z.boolean(),
  steps: z.array(diagnosticStepView).check(z.maxLength(12)),
});
export type DiagnosticView = z.infer<typeof diagnosticView>;

// ---- page → host ----

const ready = z.object({ type: z.literal('ready') });
const probeServer = z.object({ type: z.literal('probeServer'), serverUrl });
const signInPassword = z.object({
  type: z.literal('signInPassword'),
  profileName,
  serverUrl,
  username: required(200),
  password: required(1024),
});
const startSso = z.object({ type: z.literal('startSso'), profileName, serverUrl });
const cancelSso = z.object({ type: z.literal('cancelSso') });
/** Cancel on the page while a sign-in runs: the request in flight is aborted and nothing is saved. */
const cancelSignIn = z.object({ type: z.literal('cancelSignIn') });
const saveApiKey = z.object({ type: z.literal('saveApiKey'), profileName, serverUrl, apiKey: required(1024) });
const useProfile = z.object({ type: z.literal('useProfile'), id });
const testConnection = z.object({ type: z.literal('testConnection'), id });
/** Test connection for the Add profile form's server URL, before signing in: no key is sent. */
const testServer = z.object({ type: z.literal('testServer'), serverUrl });
/** Copies the redacted report the host made for that test; the page sends only its id. */
const copyReport = z.object({ type: z.literal('copyReport'), reportId: required(100) });
const signOut = z.object({ type: z.literal('signOut'), id });
const removeProfile = z.object({ type: z.literal('removeProfile'), id });
/** The keys of an extension profile's user; the host answers with `keys`. */
const listKeys = z.object({ type: z.literal('listKeys'), profileId: id });
/** The host asks the person to confirm before it revokes anything. */
const revokeKey = z.object({ type: z.literal('revokeKey'), profileId: id, keyId: id });
const revokeStaleKeys = z.object({ type: z.literal('revokeStaleKeys'), profileId: id });
const rotateKey = z.object({ type: z.literal('rotateKey'), id });
/** Writes the profile's server and key into a CLI profile; the host asks which one. */
const saveToCli = z.object({ type: z.literal('saveToCli'), id });
/** Makes an extension profile of a CLI profile (its id as listed) once the server confirmed its key. */
const importFromCli = z.object({ type: z.literal('importFromCli'), id });
/** The SSO verification code; the host writes it to the clipboard (the page may lack permission). */
const copyText = z.object({ type: z.literal('copyText'), text: required(200) });
/** Only the verification URI the host sent in `ssoCode` is opened; anything else is refused. */
const openExternal = z.object({ type: z.literal('openExternal'), url: required(4096) });

export const toHost = z.discriminatedUnion('type', [
  ready,
  probeServer,
  signInPassword,
  startSso,
  cancelSso,
  cancelSignIn,
  saveApiKey,
  useProfile,
  testConnection,
  testServer,
  copyReport,
  signOut,
  removeProfile,
  listKeys,
  revokeKey,
  revokeStaleKeys,
  rotateKey,
  saveToCli,
  importFromCli,
  copyText,
  openExternal,
]);
export type ToHost = z.infer<typeof toHost>;
export type ToHostType = ToHost['type'];
export type ToHostOf<T extends ToHostType> = Extract<ToHost, { type: T }>;

// ---- host → page ----

const state = z.object({
  type: z.literal('state'),
  profiles: z.array(profileView).check(z.maxLength(500)),
  activeId: z.optional(id),
  credentialSource: z.optional(credentialSourceView),
  untrustedWorkspace: z.optional(z.boolean()),
  /**
   * The server a new profile most likely is for: profoundCoder.serverUrl (workspace, then user;
   * never an untrusted workspace's), else the CoderFlow CLI config's server. The page fills the
   * empty Server URL field with it and checks the server at once.
   */
  suggestedServerUrl: z.optional(serverUrl),
});

const probeResult = z.object({
  type: z.literal('probeResult'),
  /** Exactly as the page sent it, so the page can ignore an answer about a URL it no longer shows. */
  serverUrl,
  reachable: z.boolean(),
  ssoEnabled: z.boolean(),
  passwordLoginEnabled: z.boolean(),
  providerName: z.optional(text(200)),
  error: z.optional(problem),
});

const ssoCode = z.object({
  type: z.literal('ssoCode'),
  // The SSO flow refuses a code outside these bounds before polling, so every code it polls for fits.
  userCode: z.string().check(z.refine(isShowableUserCode)),
  verificationUri: required(MAX_VERIFICATION_URI_LENGTH),
  verificationUriComplete: z.optional(required(MAX_VERIFICATION_URI_LENGTH)),
  // Seconds left when sent, not a deadline: in a remote window the host's clock and the page's
  // clock can differ, so the page turns this into a deadline on its own clock.
  expiresInSeconds: z.number().check(z.gte(0), z.lte(MAX_CODE_LIFETIME_SECONDS)),
});

export const operation = z.enum([
  'signInPassword',
  'startSso',
  'saveApiKey',
  'useProfile',
  'signOut',
  'removeProfile',
  'revokeKey',
  'revokeStaleKeys',
  'rotateKey',
  'saveToCli',
  'importFromCli',
  'copyText',
  'copyReport',
  'openExternal',
]);
export type Operation = z.infer<typeof operation>;

const operationResult = z.object({
  type: z.literal('operationResult'),
  op: operation,
  /** The profile the operation concerned or created; for copyReport, the report. */
  id: z.optional(id),
  /** revokeKey: the key it concerned. */
  keyId: z.optional(id),
  ok: z.boolean(),
  /** What was done, when it takes more than the operation's name to say ("Saved to CLI profile …"). */
  message: z.optional(text(1000)),
  /** Absent with ok: false when the person cancelled: nothing to report. */
  error: z.optional(fieldProblem),
});

const testResult = z.object({
  type: z.literal('testResult'),
  id,
  ok: z.boolean(),
  status: profileStatus,
  message: required(1000),
  fix: z.optional(text(1000)),
  user: z.optional(text(200)),
  diagnostic: z.optional(diagnosticView),
});

/** The answer to `testServer`. */
const serverTestResult = z.object({
  type: z.literal('serverTestResult'),
  /** Exactly as the page sent it. */
  serverUrl,
  diagnostic: z.optional(diagnosticView),
  /** The test could not run (a malformed URL). */
  error: z.optional(problem),
});

/** The answer to `listKeys`, and sent again after a revocation or rotation changed the list. */
const keys = z.object({
  type: z.literal('keys'),
  profileId: id,
  keys: z.array(apiKeyView).check(z.maxLength(1000)),
  /** The list could not be read; `keys` is then empty. */
  error: z.optional(problem),
});

export const toPage = z.discriminatedUnion('type', [
  state,
  probeResult,
  ssoCode,
  operationResult,
  testResult,
  serverTestResult,
  keys,
]);
export type ToPage = z.infer<typeof toPage>;
export type ToPageOf<T extends ToPage['type']> = Extract<ToPage, { type: T }>;

export type StateMessage = ToPageOf<'state'>;
export type ProbeResultView = Omit<ToPageOf<'probeResult'>, 'type'>;
export type TestResult = Omit<ToPageOf<'testResult'>, 'type'>;

export function parseToHost(message: unknown): ToHost | undefined {
  const result = toHost.safeParse(message);
  return result.success ? result.data : undefined;
}

export function parseToPage(message: unknown): ToPage | undefined {
  const result = toPage.safeParse(message);
  return result.success ? result.data : undefined;
}

/**
 * What may be logged about a message that did not parse: its type and field names, never values
 * (a malformed sign-in message can still carry a password).
 */
export function describeMessageShape(message: unknown): string {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return Array.isArray(message) ? 'an array' : `a ${typeof message}`;
  }
  const record = message as Record<string, unknown>;
  const type = typeof record.type === 'string' ? JSON.stringify(record.type.slice(0, 40)) : 'none';
  const fields = Object.keys(record)
    .filter((key) => key !== 'type')
    .slice(0, 20)
    .map((key) => key.slice(0, 40));
  return `type ${type}, fields [${fields.join(', ')}]`;
}
