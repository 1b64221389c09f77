// The one client every caller uses to talk to a CoderFlow server: its endpoints, with the rules
// that keep a key safe on the wire (no plain http off this machine, no Authorization header to
// another origin) and every failure an AuthError a person can act on.
import type { RequestInit } from 'node-fetch';
import * as http from 'node:http';
import * as https from 'node:https';
import { AuthError, MESSAGES } from '../errors';
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
  type ApiKeyInfo,
} from './protocol';
import { sleep } from '../sleep';
import { isUntrustedCertificate, tlsAgentOptions, type TlsOptions } from './tls';
import { normalizeServerUrl, refuseSecretOverHttp } from './serverUrl';
import { followRedirects, resolveRequestPath } from './requestPath';
import { fetchWithTimeout, type Method } from './fetchWithTimeout';
import { isSuccess, parseJsonBody, retryAfterSeconds, safeExcerpt, type RawResponse } from './responseBody';
import { parseAnswer, ssoDisabled, statusError } from './responseErrors';
import * as l10n from '@vscode/l10n';

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
/** A Retry-After up to this long is waited out once; a longer one is reported. */
const MAX_RETRY_WAIT_SECONDS = 10;
const DEFAULT_USER_AGENT = 'coderflow-vscode';

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
    if (!isSuccess(response)) throw statusError(response);
  }

  /** `GET /auth/sso/config`: whether SSO and password sign-in are enabled. Public. */
  async ssoConfig(signal?: AbortSignal): Promise<SsoConfig> {
    const response = await this.send('GET', PATHS.ssoConfig, { signal });
    return parseAnswer(response, SsoConfig, this.serverUrl);
  }

  /** `GET /auth/me`: the user the key belongs to. */
  async me(signal?: AbortSignal): Promise<User> {
    const response = await this.send('GET', PATHS.me, { auth: true, signal });
    return parseAnswer(response, User, this.serverUrl);
  }

  /** `POST /auth/cli-login`: checks a username and password, and creates a key named keyName. */
  async cliLogin(username: string, password: string, keyName: string, signal?: AbortSignal): Promise<LoginResult> {
    const response = await this.send('POST', PATHS.cliLogin, { body: { username, password, keyName }, secret: { label: l10n.t('your password'), value: password }, signal });
    return parseAnswer(response, LoginResult, this.serverUrl, {
      on401: () => new AuthError('invalid-credentials', MESSAGES.invalidCredentials, { fix: MESSAGES.invalidCredentialsFix, field: 'password', status: 401 }),
    });
  }

  /** `POST /auth/sso/device`: starts a device authorization (RFC 8628 §3.1). */
  async startDevice(keyName: string, signal?: AbortSignal): Promise<DeviceAuthorization> {
    const response = await this.send('POST', PATHS.ssoDevice, { body: { keyName }, secret: { label: l10n.t('a sign-in code') }, signal });
    return parseAnswer(response, DeviceAuthorization, this.serverUrl, { onNotFound: ssoDisabled });
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
    return { status: 'approved', result: parseAnswer(response, LoginResult, this.serverUrl, { onNotFound: ssoDisabled }) };
  }

  /** `GET /api-keys`: the signed-in user's keys, without secrets. */
  async listKeys(signal?: AbortSignal): Promise<ApiKeyInfo[]> {
    const response = await this.send('GET', PATHS.apiKeys, { auth: true, signal });
    return parseAnswer(response, ApiKeyList, this.serverUrl).keys;
  }

  /** `POST /api-keys`: a new key; its secret is in the answer this once. */
  async createKey(name: string, signal?: AbortSignal): Promise<CreatedKey> {
    const response = await this.send('POST', PATHS.apiKeys, { body: { name }, auth: true, signal });
    return parseAnswer(response, CreatedKey, this.serverUrl);
  }

  /**
   * `DELETE /api-keys/:id`: revokes the key at once. A 404 means the key is gone already, which
   * is what deleting wanted: every caller (revoke, rotation, sign-out) counts it as done.
   */
  async deleteKey(id: string, signal?: AbortSignal): Promise<'deleted' | 'already-gone'> {
    const response = await this.send('DELETE', PATHS.apiKey(id), { auth: true, signal });
    if (response.status === 404) return 'already-gone';
    if (!isSuccess(response)) throw statusError(response);
    return 'deleted';
  }

  /**
   * Any other CoderFlow endpoint, with the key, through the same timeouts, redirect and TLS rules
   * (the public API's `request`). A success answers its JSON body (undefined when empty); any
   * other status is the same AuthError as everywhere else.
   */
  async request(path: string, init: { method?: Method; body?: unknown; signal?: AbortSignal } = {}): Promise<unknown> {
    const response = await this.send(init.method ?? 'GET', path, { auth: true, body: init.body, signal: init.signal });
    if (!isSuccess(response)) throw statusError(response);
    if (response.text.trim() === '') return undefined;
    const parsed = parseJsonBody(response.text);
    if (!parsed.ok) {
      throw new AuthError('unexpected-response', l10n.t('The server answered {0} with something that is not JSON.', path), {
        status: response.status,
        detail: safeExcerpt(response),
      });
    }
    return parsed.value;
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
    const first = resolveRequestPath(this.serverUrl, path);
    if (options.auth) refuseSecretOverHttp(first, l10n.t('your API key'));
    if (options.secret) refuseSecretOverHttp(first, options.secret.label);

    for (let attempt = 0; ; attempt++) {
      const response = await this.withPinning(first.origin, () =>
        followRedirects(this.serverUrl, method, first, options.body, (hopMethod, url, body) => this.sendOnce(hopMethod, url, body, options)),
      );
      if (response.status !== 429 || attempt > 0) return response;
      const wait = retryAfterSeconds(response.headers, Date.now());
      if (wait === undefined || wait > MAX_RETRY_WAIT_SECONDS) return response;
      await sleep(wait * 1000, signal);
    }
  }

  /** One attempt at a URL: the headers of this client, its timeout and its agent. */
  private sendOnce(method: Method, url: URL, body: unknown, options: SendOptions): Promise<RawResponse> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.options.userAgent ?? DEFAULT_USER_AGENT,
    };
    if (options.auth && this.apiKey !== undefined) headers.Authorization = `Bearer ${this.apiKey}`;
    return fetchWithTimeout({
      method,
      url,
      body,
      headers,
      secrets: [this.apiKey, options.secret?.value],
      timeoutMs: this.timeoutMs,
      signal: options.signal,
      agentFor: (target) => this.agentFor(target),
    });
  }
}
