// Every message between the Profile Manager page and its host. Both sides import this module (the
// page bundle too), so it must stay free of `node:` and `vscode` imports. A message that does not
// parse is dropped by whichever side receives it.
//
// The page is write-only for secrets: a password or an API key travels page → host inside a
// sign-in message and never comes back. Profiles reach the page as views whose key is masked.
import * as z from 'zod/mini';
import { isShowableUserCode, MAX_CODE_LIFETIME_SECONDS, MAX_VERIFICATION_URI_LENGTH } from './deviceCode';
import { SIGN_IN_METHODS } from './signInMethod';

const text = (max: number) => z.string().check(z.maxLength(max));
const required = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

const id = required(200);
const profileName = required(200);
const serverUrl = required(2048);

export const formField = z.enum(['profileName', 'serverUrl', 'username', 'password', 'apiKey']);
export type FormField = z.infer<typeof formField>;

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
  method: z.enum([...SIGN_IN_METHODS, 'unknown']),
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

/** One step of Test connection (src/services/connectionCheck/connectionDiagnostic.ts), redacted by the host. */
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

// ---- answers: what each request resolves with ----

const probeResult = z.object({
  /** Exactly as the page sent it, so the page can ignore an answer about a URL it no longer shows. */
  serverUrl,
  reachable: z.boolean(),
  ssoEnabled: z.boolean(),
  passwordLoginEnabled: z.boolean(),
  providerName: z.optional(text(200)),
  error: z.optional(problem),
});
export type ProbeResultView = z.infer<typeof probeResult>;

export function parseProbeResult(value: unknown): ProbeResultView | undefined {
  const result = probeResult.safeParse(value);
  return result.success ? result.data : undefined;
}

const testResult = z.object({
  id,
  ok: z.boolean(),
  status: profileStatus,
  message: required(1000),
  fix: z.optional(text(1000)),
  user: z.optional(text(200)),
  diagnostic: z.optional(diagnosticView),
});
export type TestResult = z.infer<typeof testResult>;

const serverTestResult = z.object({
  /** Exactly as the page sent it. */
  serverUrl,
  diagnostic: z.optional(diagnosticView),
  /** The test could not run (a malformed URL). */
  error: z.optional(problem),
});

const keyList = z.object({
  profileId: id,
  keys: z.array(apiKeyView).check(z.maxLength(1000)),
  /** The list could not be read; `keys` is then empty. */
  error: z.optional(problem),
});
export type KeyList = z.infer<typeof keyList>;

/** What an operation did: the profile a sign-in saved, a sentence when the operation's name is not enough. */
const outcome = z.object({
  profileId: z.optional(id),
  message: z.optional(text(1000)),
});

const profileRef = z.object({ id });

// ---- requests: page → host, each answered exactly once with a `response` of the same id ----

/**
 * Every request the page can make: what it sends and what a successful answer holds. The host's
 * dispatcher is typed over this table, so a request without a handler does not compile.
 */
export const requests = {
  probeServer: { payload: z.object({ serverUrl }), result: probeResult },
  signInPassword: {
    payload: z.object({ profileName, serverUrl, username: required(200), password: required(1024) }),
    result: outcome,
  },
  startSso: { payload: z.object({ profileName, serverUrl }), result: outcome },
  /** The page reloaded while the device flow ran (it learnt so from `ssoCode`): answered when the flow ends. */
  resumeSso: { payload: z.object({}), result: outcome },
  saveApiKey: { payload: z.object({ profileName, serverUrl, apiKey: required(1024) }), result: outcome },
  useProfile: { payload: profileRef, result: outcome },
  testConnection: { payload: profileRef, result: testResult },
  /** Test connection for the Add profile form's server URL, before signing in: no key is sent. */
  testServer: { payload: z.object({ serverUrl }), result: serverTestResult },
  /** Copies the redacted report the host made for that test; the page sends only its id. */
  copyReport: { payload: z.object({ reportId: required(100) }), result: outcome },
  signOut: { payload: profileRef, result: outcome },
  removeProfile: { payload: profileRef, result: outcome },
  /** The keys of an extension profile's user. */
  listKeys: { payload: z.object({ profileId: id }), result: keyList },
  /** The host asks the person to confirm before it revokes anything. */
  revokeKey: { payload: z.object({ profileId: id, keyId: id }), result: outcome },
  revokeStaleKeys: { payload: z.object({ profileId: id }), result: outcome },
  rotateKey: { payload: profileRef, result: outcome },
  /** Writes the profile's server and key into a CLI profile; the host asks which one. */
  saveToCli: { payload: profileRef, result: outcome },
  /** Makes an extension profile of a CLI profile (its id as listed) once the server confirmed its key. */
  importFromCli: { payload: profileRef, result: outcome },
  /** The SSO verification code; the host writes it to the clipboard (the page may lack permission). */
  copyText: { payload: z.object({ text: required(200) }), result: outcome },
  /** Only the verification URI the host sent in `ssoCode` is opened; anything else is refused. */
  openExternal: { payload: z.object({ url: required(4096) }), result: outcome },
};
export type RequestKind = keyof typeof requests;
export type RequestPayload<K extends RequestKind> = z.infer<(typeof requests)[K]['payload']>;
export type RequestResult<K extends RequestKind> = z.infer<(typeof requests)[K]['result']>;
/** A request's one answer. A failure without `error` is the person cancelling or declining: nothing to report. */
export type Answer<K extends RequestKind> = { ok: true; value: RequestResult<K> } | { ok: false; error?: FieldProblem };

const requestKinds = Object.keys(requests) as [RequestKind, ...RequestKind[]];
const requestId = z.int().check(z.gte(0));

const request = z.object({ type: z.literal('request'), id: requestId, kind: z.enum(requestKinds), payload: z.unknown() });
export type HostRequest = { [K in RequestKind]: { type: 'request'; id: number; kind: K; payload: RequestPayload<K> } }[RequestKind];

// ---- notifications: page → host, unanswered ----

const ready = z.object({ type: z.literal('ready') });
const cancelSso = z.object({ type: z.literal('cancelSso') });
/** Cancel on the page while a sign-in runs: the request in flight is aborted and nothing is saved. */
const cancelSignIn = z.object({ type: z.literal('cancelSignIn') });

export type PageNotification = z.infer<typeof ready> | z.infer<typeof cancelSso> | z.infer<typeof cancelSignIn>;

export const toHost = z.discriminatedUnion('type', [ready, cancelSso, cancelSignIn, request]);
export type ToHost = PageNotification | HostRequest;

// ---- host → page: answers, and notifications the host starts ----

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

/** The host opened the browser for the code it just sent (the person asked for SSO); `error` when it did not open. */
const browserOpened = z.object({ type: z.literal('browserOpened'), error: z.optional(fieldProblem) });

/** `value` is checked against the request's result schema by the side that knows the request's kind. */
const response = z.object({
  type: z.literal('response'),
  id: requestId,
  ok: z.boolean(),
  value: z.optional(z.unknown()),
  error: z.optional(fieldProblem),
});

export const toPage = z.discriminatedUnion('type', [state, ssoCode, browserOpened, response]);
export type ToPage = z.infer<typeof toPage>;
export type ToPageOf<T extends ToPage['type']> = Extract<ToPage, { type: T }>;

export type StateMessage = ToPageOf<'state'>;

/** A request, its payload checked against its kind's schema; undefined for anything else. */
export function parseToHost(message: unknown): ToHost | undefined {
  const result = toHost.safeParse(message);
  if (!result.success) return undefined;
  const data = result.data;
  if (data.type !== 'request') return data;
  const payload = requests[data.kind].payload.safeParse(data.payload);
  return payload.success ? ({ ...data, payload: payload.data } as HostRequest) : undefined;
}

export function parseToPage(message: unknown): ToPage | undefined {
  const result = toPage.safeParse(message);
  return result.success ? result.data : undefined;
}

/** A successful answer's value as the request's schema has it (unknown fields dropped), or undefined. */
export function parseResult<K extends RequestKind>(kind: K, value: unknown): RequestResult<K> | undefined {
  const result = requests[kind].result.safeParse(value);
  return result.success ? (result.data as RequestResult<K>) : undefined;
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
