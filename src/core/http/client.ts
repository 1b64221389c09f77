// The one client every caller uses to talk to a CoderFlow server. It owns the rules that keep a
// key safe on the wire (no plain http off this machine, no Authorization header to another
// origin) and turns every failure into an AuthError a person can act on.
import type { Headers, RequestInit } from 'node-fetch';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as z from 'zod/mini';
import { AuthError, MESSAGES, fromNodeErrorCode } from '../errors';
import {
  ApiKeyList,
  CreatedKey,
  DeviceAuthorization,
  ERROR_CODES,
  ErrorBody,
  LoginResult,
  PATHS,
  SsoConfig,
  User,
  describeSchemaMismatch,
  type ApiKeyInfo,
} from './protocol';
import { sleep } from '../sleep';
import { isUntrustedCertificate, tlsAgentOptions, type TlsOptions } from './tls';
import { redactSecrets } from '../../shared/secretShapes';
import * as l10n from '@vscode/l10n';

// node-fetch (with the Node modules it pulls in) loads on the first request, not when the
// extension activates: most windows never make one before the person does something.
const importFetch = () => import('node-fetch');
let fetchModule: ReturnType<typeof importFetch> | undefined;
async function loadFetch() {
  fetchModule ??= importFetch();
  return (await fetchModule).default;
}

/** An agent, or a function choosing one per URL (as node-fetch accepts), e.g. a proxy agent. */
export type AgentOption = http.Agent | ((url: URL) => http.Agent | undefined);

export interface ClientOptions {
  serverUrl: string;
  apiKey?: string;
  /** Per request, including reading the body. Default 15000. */
  timeoutMs?: number;
  tls?: TlsOptions;
  userAgent?: string;
  /**
   * Replaces the client's own agents (for a proxy). Its maker applies TLS itself, for example
   * with `tlsAgentOptions`; `tls` is then not used.
   */
  agent?: unknown;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 5;
/** A Retry-After up to this long is waited out once; a longer one is reported. */
const MAX_RETRY_WAIT_SECONDS = 10;
const DEFAULT_USER_AGENT = 'coderflow-vscode';
/** Only this much of an answer is ever read for an excerpt or a message. */
const EXCERPT_INPUT_CHARS = 8 * 1024;

// ---------------------------------------------------------------------------------------------
// Server URLs
// ---------------------------------------------------------------------------------------------

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

function refuseSecretOverHttp(url: URL, what: string): void {
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new AuthError(
      'bad-input',
      l10n.t('CoderFlow will not send {0} over plain http to {1}: anyone on the network path could read it.', what, url.hostname),
      { field: 'serverUrl', fix: l10n.t('Use the server\'s https:// address. Plain http is allowed only for a server on this computer (localhost).') },
    );
  }
}


// ---------------------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------------------

interface RawResponse {
  url: URL;
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  /** The secrets the request carried, masked wherever the answer is quoted. */
  secrets: ReadonlyArray<string | undefined>;
}

/** What a 401 and a 403 mean depends on the request: a password check or a key check. */
interface StatusMeaning {
  on401?: () => AuthError;
  onNotFound?: () => AuthError;
}

/** Elements whose content is not text a person reads. */
const SKIPPED_ELEMENTS = new Set(['head', 'script', 'style']);

/**
 * A short, readable excerpt of a body that is not JSON, e.g. a reverse proxy's HTML page. Reads
 * the first 8 KiB only, in one pass with indexOf (no regular expression sees the server's markup,
 * so no answer can make this slow).
 */
function excerpt(body: string): string {
  const text = body.slice(0, EXCERPT_INPUT_CHARS);
  const lower = text.toLowerCase();
  let title: string | undefined;
  const titleAt = lower.indexOf('<title');
  const titleOpen = titleAt >= 0 ? lower.indexOf('>', titleAt) : -1;
  const titleClose = titleOpen >= 0 ? lower.indexOf('</title', titleOpen) : -1;
  if (titleClose >= 0) title = collapseSpace(text.slice(titleOpen + 1, titleClose));
  let plain = '';
  for (let i = 0; i < text.length; ) {
    if (text[i] !== '<') {
      const next = text.indexOf('<', i);
      const until = next < 0 ? text.length : next;
      plain += text.slice(i, until);
      i = until;
      continue;
    }
    const end = text.indexOf('>', i);
    if (end < 0) break;
    let nameEnd = i + 1;
    while (nameEnd < end && /[a-z0-9]/.test(lower[nameEnd])) nameEnd++;
    const name = lower.slice(i + 1, nameEnd);
    plain += ' ';
    i = end + 1;
    if (SKIPPED_ELEMENTS.has(name)) {
      const close = lower.indexOf(`</${name}`, i);
      if (close < 0) break;
      const closeEnd = lower.indexOf('>', close);
      if (closeEnd < 0) break;
      i = closeEnd + 1;
    }
  }
  const clean = collapseSpace(plain);
  const result = title && !clean.startsWith(title) ? `${title}: ${clean}` : clean;
  return result.length > 200 ? `${result.slice(0, 199)}…` : result;
}

function collapseSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function looksLikeHtml(response: RawResponse): boolean {
  return /html/i.test(response.headers.get('content-type') ?? '') || response.text.trimStart().startsWith('<');
}

/** CoderFlow's answers nest a few levels; far deeper is no CoderFlow answer. */
const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests deeper than `limit`, in one pass: JSON.parse takes about a tenth of a
 * second, blocking, for 1 MiB of "[[[[…".
 */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

function parseJsonBody(text: string): { ok: true; value: unknown } | { ok: false } {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function retryAfterSeconds(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

// ---------------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------------

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface SendOptions {
  body?: unknown;
  /** Sends the API key. */
  auth?: boolean;
  /** A secret other than the key that the exchange carries: what to call it, and its value. */
  secret?: { label: string; value?: string };
  signal?: AbortSignal | undefined;
}

export class CoderFlowClient {
  readonly serverUrl: string;
  private readonly options: ClientOptions;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;
  private httpsAgent: Promise<https.Agent> | undefined;

  constructor(options: ClientOptions) {
    this.options = options;
    this.serverUrl = normalizeServerUrl(options.serverUrl);
    this.apiKey = options.apiKey?.trim() || undefined;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Whether this client carries a key (never the key itself). */
  get hasApiKey(): boolean {
    return this.apiKey !== undefined;
  }

  /** The same server, TLS and agent, with another key. */
  withApiKey(apiKey: string): CoderFlowClient {
    return new CoderFlowClient({ ...this.options, serverUrl: this.serverUrl, apiKey });
  }

  /** `GET /health`: the server answers. Public, no key. */
  async health(signal?: AbortSignal): Promise<void> {
    const response = await this.send('GET', PATHS.health, { signal });
    if (!this.isSuccess(response)) throw this.errorFor(response);
  }

  /** `GET /auth/sso/config`: whether SSO and password sign-in are enabled. Public. */
  async ssoConfig(signal?: AbortSignal): Promise<SsoConfig> {
    const response = await this.send('GET', PATHS.ssoConfig, { signal });
    return this.parse(response, SsoConfig);
  }

  /** `GET /auth/me`: the user the key belongs to. */
  async me(signal?: AbortSignal): Promise<User> {
    const response = await this.send('GET', PATHS.me, { auth: true, signal });
    return this.parse(response, User);
  }

  /** `POST /auth/cli-login`: checks a username and password, and creates a key named keyName. */
  async cliLogin(username: string, password: string, keyName: string, signal?: AbortSignal): Promise<LoginResult> {
    const response = await this.send('POST', PATHS.cliLogin, { body: { username, password, keyName }, secret: { label: l10n.t('your password'), value: password }, signal });
    return this.parse(response, LoginResult, {
      on401: () => new AuthError('invalid-credentials', MESSAGES.invalidCredentials, { fix: MESSAGES.invalidCredentialsFix, field: 'password', status: 401 }),
    });
  }

  /** `POST /auth/sso/device`: starts a device authorization (RFC 8628 §3.1). */
  async startDevice(keyName: string, signal?: AbortSignal): Promise<DeviceAuthorization> {
    const response = await this.send('POST', PATHS.ssoDevice, { body: { keyName }, secret: { label: l10n.t('a sign-in code') }, signal });
    return this.parse(response, DeviceAuthorization, { onNotFound: ssoDisabled });
  }

  /** `POST /auth/sso/token`: one poll (RFC 8628 §3.4–3.5). Expiry and denial are thrown. */
  async pollDevice(
    deviceCode: string,
    signal?: AbortSignal,
  ): Promise<{ status: 'pending' | 'slow_down' } | { status: 'approved'; result: LoginResult }> {
    const response = await this.send('POST', PATHS.ssoToken, { body: { deviceCode }, secret: { label: l10n.t('a sign-in code'), value: deviceCode }, signal });
    if (response.status === 400) {
      const parsed = parseJsonBody(response.text);
      const body = parsed.ok ? ErrorBody.safeParse(parsed.value) : undefined;
      switch (body?.success ? body.data.error : undefined) {
        case ERROR_CODES.authorizationPending:
          return { status: 'pending' };
        case ERROR_CODES.slowDown:
          return { status: 'slow_down' };
        case ERROR_CODES.expiredToken:
          throw new AuthError('code-expired', MESSAGES.codeExpired, { fix: MESSAGES.codeExpiredFix, status: 400 });
        case ERROR_CODES.accessDenied:
          throw new AuthError('access-denied', MESSAGES.accessDenied, { fix: MESSAGES.accessDeniedFix, status: 400 });
      }
    }
    return { status: 'approved', result: this.parse(response, LoginResult, { onNotFound: ssoDisabled }) };
  }

  /** `GET /api-keys`: the signed-in user's keys, without secrets. */
  async listKeys(signal?: AbortSignal): Promise<ApiKeyInfo[]> {
    const response = await this.send('GET', PATHS.apiKeys, { auth: true, signal });
    return this.parse(response, ApiKeyList).keys;
  }

  /** `POST /api-keys`: a new key; its secret is in the answer this once. */
  async createKey(name: string, signal?: AbortSignal): Promise<CreatedKey> {
    const response = await this.send('POST', PATHS.apiKeys, { body: { name }, auth: true, signal });
    return this.parse(response, CreatedKey);
  }

  /**
   * `DELETE /api-keys/:id`: revokes the key at once. A 404 means the key is gone already, which
   * is what deleting wanted: every caller (revoke, rotation, sign-out) counts it as done.
   */
  async deleteKey(id: string, signal?: AbortSignal): Promise<'deleted' | 'already-gone'> {
    const response = await this.send('DELETE', PATHS.apiKey(id), { auth: true, signal });
    if (response.status === 404) return 'already-gone';
    if (!this.isSuccess(response)) throw this.errorFor(response);
    return 'deleted';
  }

  // -------------------------------------------------------------------------------------------

  /**
   * Any other CoderFlow endpoint, with the key, through the same timeouts, redirect and TLS rules
   * (the public API's `request`). A success answers its JSON body (undefined when empty); any
   * other status is the same AuthError as everywhere else.
   */
  async request(path: string, init: { method?: Method; body?: unknown; signal?: AbortSignal } = {}): Promise<unknown> {
    const response = await this.send(init.method ?? 'GET', path, { auth: true, body: init.body, signal: init.signal });
    if (!this.isSuccess(response)) throw this.errorFor(response);
    if (response.text.trim() === '') return undefined;
    const parsed = parseJsonBody(response.text);
    if (!parsed.ok) {
      throw new AuthError('unexpected-response', l10n.t('The server answered {0} with something that is not JSON.', path), {
        status: response.status,
        detail: this.safeExcerpt(response),
      });
    }
    return parsed.value;
  }

  private isSuccess(response: RawResponse): boolean {
    return response.status >= 200 && response.status < 300;
  }

  private parse<S extends z.ZodMiniType>(response: RawResponse, schema: S, meaning: StatusMeaning = {}): z.infer<S> {
    if (!this.isSuccess(response)) throw this.errorFor(response, meaning);
    const parsed = parseJsonBody(response.text);
    if (!parsed.ok) {
      const what = response.text.trim() === '' ? l10n.t('an empty answer') : looksLikeHtml(response) ? l10n.t('a web page') : l10n.t('something that is not JSON');
      throw new AuthError(
        'unexpected-response',
        l10n.t('The server at {0} sent {1} instead of CoderFlow data: it may not be a CoderFlow server, or a proxy or sign-in page is in the way.', this.serverUrl, what),
        {
          fix: l10n.t('Check the server URL, including any path prefix (for example https://host/coderflow).'),
          field: 'serverUrl',
          status: response.status,
          detail: this.safeExcerpt(response),
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

  private safeExcerpt(response: RawResponse): string {
    return this.redact(excerpt(response.text), response.secrets);
  }

  private redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
    return redactSecrets(text, [this.apiKey, ...secrets]);
  }

  /** The server's own error text, short and without any secret the request carried. */
  private serverMessage(message: string, response: RawResponse): string {
    const text = collapseSpace(this.redact(message.slice(0, EXCERPT_INPUT_CHARS), response.secrets));
    return text.length > 300 ? `${text.slice(0, 299)}…` : text;
  }

  /** The AuthError for a response that is not a success. */
  private errorFor(response: RawResponse, meaning: StatusMeaning = {}): AuthError {
    const { status } = response;
    const parsed = parseJsonBody(response.text);
    const body = parsed.ok ? ErrorBody.safeParse(parsed.value) : undefined;
    const code = body?.success ? body.data.error : undefined;
    const serverMessage = body?.success && body.data.message ? this.serverMessage(body.data.message, response) : undefined;
    const detail = serverMessage ?? (parsed.ok ? code?.slice(0, 200) : this.safeExcerpt(response)) ?? undefined;
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
          ? l10n.t('The server had a problem ({0}) and answered: "{1}".', statusLine, this.safeExcerpt(response))
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

  private async agentFor(url: URL): Promise<RequestInit['agent']> {
    const injected = this.options.agent as AgentOption | undefined;
    if (injected !== undefined) return typeof injected === 'function' ? injected(url) : injected;
    if (url.protocol !== 'https:') return undefined;
    this.httpsAgent ??= tlsAgentOptions(this.options.tls, url.origin).then((options) => new https.Agent(options));
    try {
      return await this.httpsAgent;
    } catch (e) {
      this.httpsAgent = undefined;
      throw e;
    }
  }

  /**
   * Runs a request; when the server's certificate is refused as untrusted and the person may pin
   * it (profoundCoder.tls.insecure), asks them, and after they trust it runs the request once more.
   */
  private async withPinning<T>(origin: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      const pins = this.options.agent === undefined ? this.options.tls?.pins : undefined;
      if (!pins || !isUntrustedCertificate(e) || !(await pins.confirm(origin))) throw e;
      this.httpsAgent = undefined;
      return run();
    }
  }

  /**
   * One request: per-attempt timeout, the caller's cancel, manual same-origin redirects, the
   * body limit, and one bounded retry on 429.
   */
  private async send(method: Method, path: string, options: SendOptions): Promise<RawResponse> {
    const { signal } = options;
    if (signal?.aborted) throw new AuthError('cancelled', MESSAGES.cancelled);
    if (options.auth && this.apiKey === undefined) {
      throw new AuthError('bad-input', l10n.t('No API key to send: sign in first.'), { field: 'apiKey' });
    }
    const first = this.resolvePath(path);
    if (options.auth) refuseSecretOverHttp(first, l10n.t('your API key'));
    if (options.secret) refuseSecretOverHttp(first, options.secret.label);

    for (let attempt = 0; ; attempt++) {
      const response = await this.withPinning(first.origin, () => this.sendFollowingRedirects(method, first, options));
      if (response.status !== 429 || attempt > 0) return response;
      const wait = retryAfterSeconds(response.headers, Date.now());
      if (wait === undefined || wait > MAX_RETRY_WAIT_SECONDS) return response;
      await sleep(wait * 1000, signal);
    }
  }

  /**
   * The URL of a path relative to the server URL, which must stay on the server's origin and under
   * its path prefix. Anything that a URL parser or a server could read as leaving the prefix is
   * refused before anything is sent: dot segments (also percent-encoded), encoded slashes and
   * backslashes (which some servers decode into separators).
   */
  private resolvePath(path: string): URL {
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
    const url = new URL(this.serverUrl + path);
    if (!this.isUnderServerUrl(url)) throw refuse(l10n.t('it leads outside the server URL.'));
    return url;
  }

  /** Same origin as the server URL, and a path under its prefix. */
  private isUnderServerUrl(url: URL): boolean {
    const base = new URL(this.serverUrl);
    const prefix = base.pathname.replace(/\/+$/, '');
    return url.origin === base.origin && (prefix === '' || url.pathname === prefix || url.pathname.startsWith(`${prefix}/`));
  }

  private async sendFollowingRedirects(method: Method, first: URL, options: SendOptions): Promise<RawResponse> {
    let url = first;
    let currentMethod: Method = method;
    let body = options.body;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const response = await this.sendOnce(currentMethod, url, body, options);
      const location = response.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(response.status) || !location) return response;
      const target = new URL(location, url);
      if (target.origin !== first.origin) throw this.crossOriginRedirect(first, target);
      if (!this.isUnderServerUrl(target)) throw this.redirectOutsidePrefix(target);
      // Fetch's rules: 303, and 301/302 after a POST, continue as a GET without a body.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && currentMethod === 'POST')) {
        currentMethod = 'GET';
        body = undefined;
      }
      url = target;
    }
    throw new AuthError('unexpected-response', l10n.t('The server at {0} redirected more than {1} times.', this.serverUrl, MAX_REDIRECTS), {
      fix: l10n.t('Check the server URL; a proxy or sign-in page may be redirecting in a loop.'),
      field: 'serverUrl',
    });
  }

  private redirectOutsidePrefix(target: URL): AuthError {
    return new AuthError(
      'unexpected-response',
      l10n.t('The server at {0} redirected to {1}, outside its path. CoderFlow does not follow it, so your key is not sent there.', this.serverUrl, target.pathname.slice(0, 120)),
      { fix: l10n.t('Check the server URL, including its path prefix.'), field: 'serverUrl' },
    );
  }

  private crossOriginRedirect(from: URL, target: URL): AuthError {
    // A server moved to https or another host: suggest the new server URL, keeping the prefix.
    const prefix = new URL(this.serverUrl).pathname.replace(/\/+$/, '');
    const suggestion = target.pathname.startsWith(prefix) ? `${target.origin}${prefix}` : target.origin;
    return new AuthError(
      'unexpected-response',
      l10n.t('The server at {0} redirected to {1}. CoderFlow does not follow a redirect to another address, so your key is never sent there.', from.origin, target.origin),
      { fix: l10n.t('If {0} is your CoderFlow server, set the server URL to {1}.', target.origin, suggestion), field: 'serverUrl', detail: target.origin },
    );
  }

  private async sendOnce(method: Method, url: URL, body: unknown, options: SendOptions): Promise<RawResponse> {
    const { signal } = options;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });

    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.options.userAgent ?? DEFAULT_USER_AGENT,
    };
    if (options.auth && this.apiKey !== undefined) headers.Authorization = `Bearer ${this.apiKey}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';

    try {
      const agent = await this.agentFor(url);
      const fetch = await loadFetch();
      const response = await fetch(url.href, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        redirect: 'manual',
        // node-fetch 2 checks the signal by its class name; Node's own AbortSignal passes.
        signal: controller.signal as unknown as RequestInit['signal'],
        agent,
        size: MAX_BODY_BYTES,
      });
      const length = Number(response.headers.get('content-length') ?? '0');
      if (length > MAX_BODY_BYTES) throw tooLarge();
      const text = await response.text();
      return { url, status: response.status, statusText: response.statusText, headers: response.headers, text, secrets: [options.secret?.value] };
    } catch (e) {
      if (e instanceof AuthError) throw e;
      if (signal?.aborted) throw new AuthError('cancelled', MESSAGES.cancelled, { cause: e });
      if (timedOut) {
        const within = this.timeoutMs < 1000 ? l10n.t('{0} ms', this.timeoutMs) : l10n.t('{0} seconds', Math.round(this.timeoutMs / 1000));
        throw new AuthError('timeout', l10n.t('The server at {0} did not answer within {1}.', url.host, within), {
          fix: l10n.t('Check the server URL and your network, VPN or proxy, then try again.'),
          cause: e,
        });
      }
      if ((e as { type?: unknown }).type === 'max-size') throw tooLarge(e);
      throw this.transportError(e, url, options);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private transportError(e: unknown, url: URL, options: SendOptions): AuthError {
    const code = (e as { code?: unknown }).code;
    const mapped = fromNodeErrorCode(typeof code === 'string' ? code : undefined, url.host, e);
    if (mapped) return mapped;
    // Node's own messages may quote a header value, which can be the key.
    const reason = this.redact(e instanceof Error ? e.message.replace(/^request to \S+ failed, reason: /, '').slice(0, 500) : String(e), [options.secret?.value]);
    return new AuthError('network', l10n.t('Could not reach {0}: {1}', url.host, reason), {
      fix: l10n.t('Check the server URL and your network, VPN or proxy.'),
      ...(typeof code === 'string' ? { detail: code } : {}),
      cause: e,
    });
  }
}

function tooLarge(cause?: unknown): AuthError {
  return new AuthError('unexpected-response', l10n.t("The server's answer was larger than {0} MiB, far more than CoderFlow sends.", MAX_BODY_BYTES / 1024 / 1024), {
    fix: l10n.t('Check that the server URL points to a CoderFlow server.'),
    cause,
  });
}

function ssoDisabled(): AuthError {
  return new AuthError('sso-disabled', MESSAGES.ssoDisabled, { fix: MESSAGES.ssoDisabledFix });
}
