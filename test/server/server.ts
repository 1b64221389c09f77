import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import * as z from 'zod';
import { DeviceCodes } from './deviceCodes';
import { type Fault, type FaultSwitches, FaultTable } from './faults';
import { HttpError, readJsonObject, sendEmpty, sendError, sendJson } from './http';
import { KeyStore } from './keys';
import { IdentityProvider } from './oidc';
import { RelyingParty } from './sso';
import { selfSignedCertificate, type CertificateMaterial } from './tls';
import { forgetOrigin, trustOrigin } from './trust';
import { type DemoUser, demoUsers, findUserById, findUserByUsername, mayManageApiKeys, passwordMatches, publicUser } from './users';

export interface StartOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Path prefix, e.g. '/coderflow' (the server URL then ends with it); default ''. */
  prefix?: string;
  /**
   * Self-signed TLS: a certificate for 127.0.0.1/localhost is made at start (see `caPem`); or
   * this certificate, e.g. an expired one from datedCertificate.
   */
  tls?: boolean | CertificateMaterial;
  /** Default true. */
  sso?: boolean;
  /** Default true; false → cli-login answers 403 password_login_disabled. */
  passwordLogin?: boolean;
  /** Default 600. */
  deviceCodeTtlSeconds?: number;
  /** Default 5. */
  pollIntervalSeconds?: number;
  /** Expose POST/DELETE /__test/faults and POST /__test/keys, for other processes. */
  testControl?: boolean;
  /** Request log, one line per request; never carries a key. Also receives oidc-provider's notices. */
  log?: (line: string) => void;
}

export interface ReceivedRequest {
  method: string;
  /** Path after the prefix, without the query (the whole path when outside the prefix). */
  path: string;
  authorization: boolean;
  at: number;
}

export interface ReferenceServer {
  /** Base URL with the prefix, no trailing slash, e.g. http://127.0.0.1:41234/coderflow. */
  url: string;
  origin: string;
  /** TLS mode: the certificate (PEM) a client can trust. */
  caPem?: string;
  users: ReadonlyArray<DemoUser>;
  faults: FaultSwitches;
  /** Test setup shortcut: a key for a demo user, as if created by POST /api-keys. */
  issueKey(username: string, name?: string): Promise<{ key: string; id: string }>;
  /** Whether a key would authenticate now (revoked → false). */
  keyIsValid(key: string): boolean;
  /** Every request received, except /__test/* and the server's own back-channel requests. */
  requests: ReadonlyArray<ReceivedRequest>;
  stop(): Promise<void>;
}

const clientId = 'coderflow-server';
const defaultKeyName = 'CLI Access';
const keyName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

function parseBody<T>(schema: z.ZodType<T>, body: Record<string, unknown>): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const detail = result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
    throw new HttpError(400, 'invalid_request', `Invalid request body (${detail}).`);
  }
  return result.data;
}

function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  if (trimmed !== '' && !/^\/[A-Za-z0-9._~\-/]+$/.test(trimmed)) {
    throw new Error(`A prefix is a path such as "/coderflow", not ${JSON.stringify(prefix)}.`);
  }
  return trimmed;
}

function methodNotAllowed(allowed: string[]): HttpError {
  return new HttpError(405, 'method_not_allowed', `Use ${allowed.join(' or ')}.`, { Allow: allowed.join(', ') });
}

export async function startServer(options: StartOptions = {}): Promise<ReferenceServer> {
  const host = options.host ?? '127.0.0.1';
  const prefix = normalizePrefix(options.prefix ?? '');
  const ssoEnabled = options.sso ?? true;
  const passwordLoginEnabled = options.passwordLogin ?? true;
  const log = options.log;
  const tlsMaterial = options.tls === true ? await selfSignedCertificate(host) : options.tls || undefined;

  const keys = new KeyStore();
  const faults = new FaultTable();
  const requests: ReceivedRequest[] = [];
  const deviceCodes = new DeviceCodes(options.deviceCodeTtlSeconds ?? 600, options.pollIntervalSeconds ?? 5);
  const internalHeader: [string, string] = ['x-reference-server-internal', randomBytes(16).toString('hex')];
  const sockets = new Set<Socket>();
  const waits = new Set<() => void>();
  let stopped = false;
  let stopping: Promise<void> | undefined;
  let route: (req: http.IncomingMessage, res: http.ServerResponse) => void = (_req, res) => sendEmpty(res, 503);

  const server = tlsMaterial ? https.createServer({ key: tlsMaterial.key, cert: tlsMaterial.cert }) : http.createServer();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', (req, res) => route(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostInUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `${tlsMaterial ? 'https' : 'http'}://${hostInUrl}:${address.port}`;
  const url = `${origin}${prefix}`;
  if (tlsMaterial) trustOrigin(origin, tlsMaterial.cert);

  let identityProvider: IdentityProvider | undefined;
  let relyingParty: RelyingParty | undefined;
  if (ssoEnabled) {
    const clientSecret = randomBytes(32).toString('base64url');
    const redirectUri = `${url}/auth/sso/callback`;
    try {
      identityProvider = await IdentityProvider.start({ issuer: `${url}/oidc`, mountPath: `${prefix}/oidc`, clientId, clientSecret, redirectUri, log });
    } catch (error) {
      server.close();
      throw error;
    }
    relyingParty = new RelyingParty({
      serverUrl: url, prefix, clientId, clientSecret, redirectUri, deviceCodes, provider: identityProvider,
      secure: tlsMaterial !== undefined, ca: tlsMaterial?.cert, internalHeader,
    });
  }

  function wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        waits.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waits.add(done);
    });
  }

  function authenticate(req: http.IncomingMessage): DemoUser {
    const header = req.headers.authorization;
    if (header === undefined) {
      throw new HttpError(401, 'missing_api_key', 'Authentication required: send an API key as "Authorization: Bearer pc_…".', { 'WWW-Authenticate': 'Bearer' });
    }
    const bearer = /^Bearer +(\S+) *$/i.exec(header);
    const used = bearer ? keys.use(bearer[1]) : undefined;
    const user = used ? findUserById(used.userId) : undefined;
    if (!user) {
      throw new HttpError(401, 'invalid_api_key', 'Invalid API key: it was deleted, mistyped, or belongs to a deleted user.', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    }
    return user;
  }

  function authorizeKeyManagement(user: DemoUser): void {
    if (!mayManageApiKeys(user)) {
      throw new HttpError(403, 'forbidden', 'Forbidden: your roles do not allow managing API keys. Ask an administrator to review your teams and access bindings.');
    }
  }

  function signInBody(user: DemoUser, name: string): Record<string, unknown> {
    const issued = keys.issue(user.id, name);
    return { key: issued.key, id: issued.id, name: issued.name, createdAt: issued.createdAt, user: publicUser(user) };
  }

  function requireSso(): RelyingParty {
    if (!relyingParty) throw new HttpError(404, 'sso_disabled', 'SSO is not enabled on this server.');
    return relyingParty;
  }

  async function api(req: http.IncomingMessage, res: http.ServerResponse, method: string, path: string, query: URLSearchParams): Promise<void> {
    const only = (...allowed: string[]): void => {
      if (!allowed.includes(method)) throw methodNotAllowed(allowed);
    };
    switch (path) {
      case '/health':
        only('GET');
        sendJson(res, 200, { status: 'ok' });
        return;
      case '/auth/me':
        only('GET');
        sendJson(res, 200, publicUser(authenticate(req)));
        return;
      case '/auth/cli-login': {
        only('POST');
        const body = await readJsonObject(req);
        if (!passwordLoginEnabled) {
          throw new HttpError(403, 'password_login_disabled', 'Password login is disabled on this server: sign in with SSO.');
        }
        const login = parseBody(z.object({ username: z.string().min(1), password: z.string().min(1), keyName: keyName.optional() }), body);
        const user = findUserByUsername(login.username);
        if (!user || !passwordMatches(user, login.password)) {
          throw new HttpError(401, 'invalid_credentials', 'Invalid username or password.');
        }
        sendJson(res, 200, signInBody(user, login.keyName ?? defaultKeyName));
        return;
      }
      case '/auth/sso/config':
        only('GET');
        sendJson(res, 200, ssoEnabled
          ? { enabled: true, providerName: 'Demo Identity Provider', passwordLoginEnabled }
          : { enabled: false, passwordLoginEnabled });
        return;
      case '/auth/sso/device': {
        only('POST');
        const sso = requireSso();
        const request = parseBody(z.object({ keyName: keyName.optional() }), await readJsonObject(req));
        const code = deviceCodes.create(request.keyName ?? defaultKeyName);
        sendJson(res, 200, {
          deviceCode: code.deviceCode,
          userCode: code.userCode,
          verificationUri: sso.verificationUri,
          verificationUriComplete: `${sso.verificationUri}?user_code=${encodeURIComponent(code.userCode)}`,
          expiresIn: Math.round((code.expiresAt - Date.now()) / 1000),
          interval: code.intervalSeconds,
        });
        return;
      }
      case '/auth/sso/token': {
        only('POST');
        requireSso();
        const request = parseBody(z.object({ deviceCode: z.string().min(1) }), await readJsonObject(req));
        const outcome = deviceCodes.poll(request.deviceCode);
        if (outcome.kind === 'error') {
          sendJson(res, 400, { error: outcome.error, message: outcome.message });
          return;
        }
        const user = findUserById(outcome.userId);
        if (!user) throw new HttpError(400, 'access_denied', 'The account that approved the sign-in no longer exists.');
        sendJson(res, 200, signInBody(user, outcome.keyName));
        return;
      }
      case '/auth/sso/verify': {
        only('GET', 'POST');
        const sso = requireSso();
        if (method === 'GET') sso.verifyPage(res, query);
        else await sso.verifySubmit(req, res);
        return;
      }
      case '/auth/sso/callback':
        only('GET');
        await requireSso().callback(req, res, query);
        return;
      case '/api-keys': {
        only('GET', 'POST');
        const user = authenticate(req);
        authorizeKeyManagement(user);
        if (method === 'GET') {
          sendJson(res, 200, { keys: keys.listFor(user.id) });
          return;
        }
        const request = parseBody(z.object({ name: keyName }), await readJsonObject(req));
        sendJson(res, 201, keys.issue(user.id, request.name));
        return;
      }
    }
    const keyPath = /^\/api-keys\/([^/]+)$/.exec(path);
    if (keyPath) {
      only('DELETE');
      const user = authenticate(req);
      authorizeKeyManagement(user);
      let id: string;
      try {
        id = decodeURIComponent(keyPath[1]);
      } catch {
        id = keyPath[1];
      }
      if (!keys.revoke(user.id, id)) throw new HttpError(404, 'not_found', 'No API key of yours has this id.');
      sendEmpty(res, 204);
      return;
    }
    throw new HttpError(404, 'not_found', `No route for ${method} ${path}.`);
  }

  async function control(req: http.IncomingMessage, res: http.ServerResponse, method: string, path: string): Promise<void> {
    if (path === '/__test/faults' && method === 'POST') {
      const body = await readJsonObject(req);
      try {
        faults.set(body);
      } catch (error) {
        throw new HttpError(400, 'invalid_request', `Invalid fault: ${(error as Error).message}`);
      }
      sendEmpty(res, 204);
    } else if (path === '/__test/faults' && method === 'DELETE') {
      faults.clear();
      sendEmpty(res, 204);
    } else if (path === '/__test/keys' && method === 'POST') {
      const request = parseBody(z.object({ username: z.string(), name: keyName.optional() }), await readJsonObject(req));
      const user = findUserByUsername(request.username);
      if (!user) throw new HttpError(404, 'not_found', `No demo user named ${request.username}.`);
      const issued = keys.issue(user.id, request.name ?? 'Test key');
      sendJson(res, 201, { key: issued.key, id: issued.id });
    } else {
      throw new HttpError(404, 'not_found', `No test control route for ${method} ${path}.`);
    }
  }

  /** Applies a fault; true when the request has been answered (or dropped) by it. */
  async function applyFault(fault: Fault, req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    if (fault.latencyMs) await wait(fault.latencyMs);
    if (stopped) return true;
    if (fault.drop) {
      req.socket.destroy();
      return true;
    }
    if (fault.redirectTo !== undefined || fault.status !== undefined) {
      const body = fault.body ?? '';
      res.writeHead(fault.status ?? 302, {
        ...(body !== '' ? { 'Content-Type': fault.contentType ?? 'text/html; charset=utf-8' } : {}),
        ...(fault.redirectTo !== undefined ? { Location: fault.redirectTo } : {}),
        'Content-Length': String(Buffer.byteLength(body)),
        ...fault.headers,
      });
      res.end(body);
      return true;
    }
    return false;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    const search = queryAt < 0 ? '' : rawUrl.slice(queryAt);
    const underPrefix = prefix === '' || rawPath === prefix || rawPath.startsWith(`${prefix}/`);
    const path = underPrefix ? rawPath.slice(prefix.length) || '/' : rawPath;
    const isControl = underPrefix && (path === '/__test' || path.startsWith('/__test/'));
    const internal = req.headers[internalHeader[0]] === internalHeader[1];
    delete req.headers[internalHeader[0]];

    if (log) {
      res.on('close', () => log(`${method} ${rawPath} → ${res.writableFinished ? res.statusCode : 'dropped'} (${Date.now() - started} ms)${internal ? ' [server back-channel]' : ''}`));
    }
    if (!isControl && !internal) {
      requests.push({ method, path, authorization: req.headers.authorization !== undefined, at: started });
      const fault = faults.take(method, path);
      if (fault && (await applyFault(fault, req, res))) return;
    }

    try {
      if (!underPrefix) throw new HttpError(404, 'not_found', `This server lives under ${prefix}.`);
      if (isControl) {
        if (!options.testControl) throw new HttpError(404, 'not_found', `No route for ${method} ${path}.`);
        await control(req, res, method, path);
        return;
      }
      if (path === '/oidc' || path.startsWith('/oidc/')) {
        if (!identityProvider) throw new HttpError(404, 'sso_disabled', 'SSO is not enabled on this server.');
        await identityProvider.handle(req, res, path.slice('/oidc'.length), search);
        return;
      }
      // Like common server frameworks: one trailing slash is not significant; HEAD is a GET.
      const routePath = path.length > 1 ? path.replace(/\/$/, '') : path;
      await api(req, res, method === 'HEAD' ? 'GET' : method, routePath, new URLSearchParams(search));
    } catch (error) {
      if (res.headersSent || res.destroyed) {
        log?.(`error after the answer began: ${String(error)}`);
        res.destroy();
      } else if (error instanceof HttpError) {
        sendError(res, error);
      } else {
        log?.(`internal error: ${(error as Error).stack ?? String(error)}`);
        sendError(res, new HttpError(500, 'internal_error', 'The server failed to handle the request.'));
      }
    }
  }

  route = (req, res) => void handle(req, res);

  return {
    url,
    origin,
    ...(tlsMaterial ? { caPem: tlsMaterial.cert } : {}),
    users: demoUsers,
    faults,
    requests,
    async issueKey(username: string, name = 'Test key') {
      const user = findUserByUsername(username);
      if (!user) throw new Error(`No demo user named ${username}.`);
      const issued = keys.issue(user.id, name);
      return { key: issued.key, id: issued.id };
    },
    keyIsValid: (key: string) => keys.isValid(key),
    stop() {
      if (!stopping) {
        stopped = true;
        for (const done of [...waits]) done();
        if (tlsMaterial) forgetOrigin(origin);
        stopping = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }
      return stopping;
    },
  };
}
