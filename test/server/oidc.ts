import { generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { html, pageHtml, readForm, sendPage } from './http';
import { demoUsers, findUserById, findUserByUsername, passwordMatches, type DemoUser } from './users';

// The small part of oidc-provider's API used here. The package ships no type declarations.
interface ProviderInteraction {
  uid: string;
  prompt: {
    name: string;
    details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  };
  params: Record<string, unknown>;
  session?: { accountId?: string };
  grantId?: string;
}
interface ProviderGrant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}
interface Provider {
  callback(): (req: IncomingMessage, res: ServerResponse) => unknown;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<ProviderInteraction>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  Grant: {
    new (init: { accountId: string; clientId: string }): ProviderGrant;
    find(id: string): Promise<ProviderGrant | undefined>;
  };
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}
type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => Provider;
// Koa's context, as renderError sees it.
interface KoaContext {
  type: string;
  body: unknown;
}

type Log = ((line: string) => void) | undefined;

/** Runs `action` with oidc-provider's console notices sent to `log` (or nowhere) instead of stdout. */
async function quietly<T>(log: Log, action: () => Promise<T>): Promise<T> {
  const { warn, info } = console;
  const divert = (...args: unknown[]): void => log?.(args.map(String).join(' '));
  console.warn = divert;
  console.info = divert;
  try {
    return await action();
  } finally {
    console.warn = warn;
    console.info = info;
  }
}

let providerClass: Promise<ProviderConstructor> | undefined;
function loadProviderClass(log: Log): Promise<ProviderConstructor> {
  // A specifier in a variable keeps tsc from looking for declarations; tsc leaves import() as is
  // under module Node16, which is how a CommonJS file loads this ESM-only package.
  const specifier = 'oidc-provider';
  providerClass ??= quietly(log, async () => ((await import(specifier)) as { Provider: ProviderConstructor }).Provider);
  return providerClass;
}

/**
 * oidc-provider's storage, in memory and per server. The package's own memory adapter shares
 * one store between every provider of the process, and several servers run side by side in tests.
 */
class MemoryStore {
  readonly entries = new Map<string, { payload: Record<string, unknown>; expiresAt: number }>();
  readonly grants = new Map<string, Set<string>>();

  get(key: string): Record<string, unknown> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (Date.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }
}

class MemoryAdapter {
  constructor(
    private readonly model: string,
    private readonly store: MemoryStore,
  ) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number): Promise<void> {
    const key = this.key(id);
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
    this.store.entries.set(key, { payload, expiresAt });
    if (this.model === 'Session' && typeof payload.uid === 'string') {
      this.store.entries.set(`sessionUid:${payload.uid}`, { payload: { id }, expiresAt });
    }
    if (typeof payload.userCode === 'string') {
      this.store.entries.set(`userCode:${payload.userCode}`, { payload: { id }, expiresAt });
    }
    if (typeof payload.grantId === 'string') {
      const members = this.store.grants.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      this.store.grants.set(payload.grantId, members);
    }
  }

  async find(id: string): Promise<Record<string, unknown> | undefined> {
    return this.store.get(this.key(id));
  }

  async findByUid(uid: string): Promise<Record<string, unknown> | undefined> {
    const index = this.store.get(`sessionUid:${uid}`);
    return typeof index?.id === 'string' ? this.find(index.id) : undefined;
  }

  async findByUserCode(userCode: string): Promise<Record<string, unknown> | undefined> {
    const index = this.store.get(`userCode:${userCode}`);
    return typeof index?.id === 'string' ? this.find(index.id) : undefined;
  }

  async consume(id: string): Promise<void> {
    const payload = this.store.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.store.entries.delete(this.key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const key of this.store.grants.get(grantId) ?? []) this.store.entries.delete(key);
    this.store.grants.delete(grantId);
  }
}

export interface IdentityProviderOptions {
  /** The provider's issuer, e.g. http://127.0.0.1:4000/coderflow/oidc. */
  issuer: string;
  /** The issuer's path, where the provider is mounted on the server. */
  mountPath: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  log: Log;
}

export interface IdTokenClaims {
  sub: string;
  nonce?: string;
}

/**
 * A real OpenID Connect provider (oidc-provider) mounted on the reference server, with its own
 * login and consent pages: the package's development pages accept any password.
 */
export class IdentityProvider {
  private readonly signingKey: KeyObject;
  private readonly keyId: string;

  private constructor(
    private readonly options: IdentityProviderOptions,
    private readonly provider: Provider,
    private readonly handler: (req: IncomingMessage, res: ServerResponse) => unknown,
    signing: { key: KeyObject; kid: string },
  ) {
    this.signingKey = signing.key;
    this.keyId = signing.kid;
  }

  static async start(options: IdentityProviderOptions): Promise<IdentityProvider> {
    const Provider = await loadProviderClass(options.log);
    // P-256: generated in a millisecond, where an RSA key would slow every server start.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kid = randomBytes(8).toString('hex');
    const store = new MemoryStore();
    const configuration: Record<string, unknown> = {
      adapter: (model: string) => new MemoryAdapter(model, store),
      clients: [{
        client_id: options.clientId,
        client_secret: options.clientSecret,
        client_name: 'CoderFlow',
        redirect_uris: [options.redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'ES256',
      }],
      jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' }] },
      cookies: { keys: [randomBytes(32).toString('hex')] },
      claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
      responseTypes: ['code'],
      pkce: { required: () => true },
      features: { devInteractions: { enabled: false } },
      interactions: { url: async (_ctx: unknown, interaction: { uid: string }) => `${options.mountPath}/interaction/${interaction.uid}` },
      findAccount: async (_ctx: unknown, sub: string) => {
        const user = findUserById(sub);
        if (!user) return undefined;
        return {
          accountId: user.id,
          claims: async () => ({
            sub: user.id, name: user.displayName, preferred_username: user.username, email: user.email, email_verified: true,
          }),
        };
      },
      ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
      clientBasedCORS: () => false,
      renderError: async (ctx: KoaContext, out: Record<string, string>) => {
        ctx.type = 'html';
        ctx.body = pageHtml('Sign-in error', html`
<h1>The identity provider could not continue</h1>
<p class="error">${out.error_description ?? out.error ?? 'Unknown error'}</p>
<p>Start the sign-in again from VS Code.</p>`);
      },
    };
    const provider = await quietly(options.log, async () => new Provider(options.issuer, configuration));
    // Koa prints unhandled errors to stderr unless someone listens.
    provider.on('error', (error: unknown) => options.log?.(`oidc-provider error: ${String(error)}`));
    provider.on('server_error', (_ctx: unknown, error: unknown) => options.log?.(`oidc-provider server_error: ${String(error)}`));
    return new IdentityProvider(options, provider, provider.callback(), { key: publicKey, kid });
  }

  get issuer(): string {
    return this.options.issuer;
  }

  /** Serves a request whose path (after the server's prefix) starts with the mount path `/oidc`. */
  async handle(req: IncomingMessage, res: ServerResponse, pathAfterMount: string, query: string): Promise<void> {
    const interaction = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?$/.exec(pathAfterMount);
    if (interaction) {
      await this.interact(req, res, interaction[1], interaction[2]);
      return;
    }
    // Mounted the way Express mounts it: oidc-provider reads the mount path from these two.
    const original = req.url ?? '';
    Object.assign(req, { originalUrl: original, baseUrl: this.options.mountPath, url: `${pathAfterMount || '/'}${query}` });
    await this.handler(req, res);
  }

  /** The claims of an ID token from this provider's token endpoint, after checking it. */
  verifyIdToken(idToken: string, nonce: string): IdTokenClaims {
    const parts = idToken.split('.');
    if (parts.length !== 3) throw new Error('The ID token is not a JWT.');
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as { alg?: string; kid?: string };
    if (header.alg !== 'ES256' || header.kid !== this.keyId) throw new Error('The ID token is not signed with the provider key.');
    const signed = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: this.signingKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'));
    if (!signed) throw new Error('The ID token signature does not verify.');
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.iss !== this.options.issuer) throw new Error('The ID token comes from another issuer.');
    if (!audience.includes(this.options.clientId)) throw new Error('The ID token is for another client.');
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) throw new Error('The ID token has expired.');
    if (claims.nonce !== nonce) throw new Error('The ID token nonce does not match the sign-in.');
    if (typeof claims.sub !== 'string') throw new Error('The ID token has no subject.');
    return { sub: claims.sub, nonce: claims.nonce };
  }

  private async interact(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    const form = req.method === 'POST' ? await readForm(req) : undefined;
    let details: ProviderInteraction;
    try {
      details = await this.provider.interactionDetails(req, res);
    } catch {
      sendPage(res, 400, 'Sign-in expired', html`
<h1>This sign-in page has expired</h1>
<p>Start the sign-in again from VS Code.</p>`);
      return;
    }
    if (details.uid !== uid || (action === undefined) !== (req.method === 'GET' || req.method === 'HEAD')) {
      sendPage(res, 400, 'Sign-in expired', html`
<h1>This sign-in page is out of date</h1>
<p>Start the sign-in again from VS Code.</p>`);
      return;
    }
    const prompt = details.prompt.name;
    if (action === 'abort') {
      await this.provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' }, { mergeWithLastSubmission: false });
    } else if (prompt === 'login' && action === 'login') {
      const user = findUserByUsername(form?.get('username') ?? '');
      if (!user || !passwordMatches(user, form?.get('password') ?? '')) {
        this.loginPage(res, 401, uid, form?.get('username') ?? '', 'Wrong username or password.');
        return;
      }
      await this.provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
    } else if (prompt === 'consent' && action === 'confirm') {
      await this.provider.interactionFinished(req, res, { consent: { grantId: await this.grantConsent(details) } }, { mergeWithLastSubmission: true });
    } else if (prompt === 'login' && action === undefined) {
      this.loginPage(res, 200, uid, '', undefined);
    } else if (prompt === 'consent' && action === undefined) {
      this.consentPage(res, uid, findUserById(details.session?.accountId ?? ''));
    } else {
      sendPage(res, 400, 'Sign-in expired', html`
<h1>This sign-in page is out of date</h1>
<p>Start the sign-in again from VS Code.</p>`);
    }
  }

  private async grantConsent(details: ProviderInteraction): Promise<string> {
    const accountId = details.session?.accountId ?? '';
    const clientId = String(details.params.client_id);
    const grant = (details.grantId ? await this.provider.Grant.find(details.grantId) : undefined) ?? new this.provider.Grant({ accountId, clientId });
    const missing = details.prompt.details;
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
    return grant.save();
  }

  private loginPage(res: ServerResponse, status: number, uid: string, username: string, error: string | undefined): void {
    const base = `${this.options.mountPath}/interaction/${uid}`;
    sendPage(res, status, 'Sign in — Demo Identity Provider', html`
<h1>Demo Identity Provider</h1>
<p>Sign in to continue to <strong>CoderFlow</strong>.</p>
${error ? html`<p class="error" role="alert">${error}</p>` : html``}
<form method="post" action="${base}/login">
  <label for="username">Username</label>
  <input id="username" name="username" autocomplete="username" required value="${username}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>
<form method="post" action="${base}/abort">
  <button type="submit">Cancel</button>
</form>
<p class="note">Demo users: ${demoUsers.map((user) => user.username).join(', ')} (password: the username followed by "-password").</p>`);
  }

  private consentPage(res: ServerResponse, uid: string, user: DemoUser | undefined): void {
    const base = `${this.options.mountPath}/interaction/${uid}`;
    sendPage(res, 200, 'Allow access — Demo Identity Provider', html`
<h1>Allow CoderFlow to sign you in?</h1>
<p>Signed in at the identity provider as <strong>${user ? `${user.displayName} (${user.username})` : 'unknown user'}</strong>.</p>
<p>CoderFlow will receive your name, username and email address.</p>
<form method="post" action="${base}/confirm">
  <button type="submit">Allow</button>
</form>
<form method="post" action="${base}/abort">
  <button type="submit">Cancel</button>
</form>`);
  }
}
