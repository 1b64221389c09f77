import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type DeviceCode, type DeviceCodes, normalizeUserCode } from './deviceCodes';
import { html, readForm, sendPage, type RawHtml } from './http';
import { httpRequest } from './httpClient';
import type { IdentityProvider } from './oidc';
import { findUserById } from './users';

// Pages left open longer than this need a fresh start.
const pendingLoginTtlMs = 10 * 60 * 1000;
const bindingCookie = 'coderflow_sso';

interface PendingLogin {
  device: DeviceCode;
  codeVerifier: string;
  nonce: string;
  binding: string;
  startedAt: number;
}

export interface RelyingPartyOptions {
  /** The server URL, prefix included. */
  serverUrl: string;
  /** Path of the server URL (the prefix), for form actions and the cookie path. */
  prefix: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  deviceCodes: DeviceCodes;
  provider: IdentityProvider;
  secure: boolean;
  /** Certificate for reaching the provider's token endpoint in TLS mode. */
  ca: string | undefined;
  /** Marks the server's own back-channel requests, which faults and the request log skip. */
  internalHeader: [string, string];
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/**
 * The CoderFlow server's side of SSO: the verification page where a person enters the user code,
 * the authorization code flow (PKCE, state bound to the device code and to the browser) against
 * the identity provider, and the callback that approves or denies the device code.
 */
export class RelyingParty {
  private readonly pending = new Map<string, PendingLogin>();

  constructor(private readonly options: RelyingPartyOptions) {}

  get verificationUri(): string {
    return `${this.options.serverUrl}/auth/sso/verify`;
  }

  verifyPage(res: ServerResponse, query: URLSearchParams): void {
    const given = query.get('user_code') ?? '';
    const code = normalizeUserCode(given);
    const device = code ? this.options.deviceCodes.findByUserCode(code) : undefined;
    const request = device && device.state.kind === 'pending' && !this.options.deviceCodes.isExpired(device)
      ? html`<p>Requested by: <strong>${device.keyName}</strong>. Continue only if you started this sign-in.</p>`
      : html``;
    this.codeForm(res, 200, code ?? given, request);
  }

  async verifySubmit(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const given = (await readForm(req)).get('user_code') ?? '';
    const code = normalizeUserCode(given);
    const device = code ? this.options.deviceCodes.findByUserCode(code) : undefined;
    if (!device) {
      this.codeForm(res, 400, given, html`<p class="error" role="alert">That code is not valid. Check the code shown in VS Code.</p>`);
      return;
    }
    if (this.options.deviceCodes.isExpired(device)) {
      this.codeForm(res, 400, given, html`<p class="error" role="alert">That code has expired. Start the sign-in again in VS Code.</p>`);
      return;
    }
    if (device.state.kind !== 'pending') {
      this.codeForm(res, 400, given, html`<p class="error" role="alert">That code has already been used.</p>`);
      return;
    }
    this.forgetOldLogins();
    const state = randomBytes(24).toString('base64url');
    const codeVerifier = randomBytes(32).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    const binding = cookieValue(req, bindingCookie) ?? randomBytes(24).toString('base64url');
    this.pending.set(state, { device, codeVerifier, nonce, binding, startedAt: Date.now() });
    const authorize = new URL(`${this.options.provider.issuer}/auth`);
    authorize.search = new URLSearchParams({
      client_id: this.options.clientId,
      redirect_uri: this.options.redirectUri,
      response_type: 'code',
      scope: 'openid profile email',
      state,
      nonce,
      code_challenge: createHash('sha256').update(codeVerifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const cookie = [`${bindingCookie}=${binding}`, `Path=${this.options.prefix}/auth/sso`, 'HttpOnly', 'SameSite=Lax', `Max-Age=${pendingLoginTtlMs / 1000}`];
    if (this.options.secure) cookie.push('Secure');
    res.writeHead(303, { Location: authorize.href, 'Set-Cookie': cookie.join('; '), 'Content-Length': '0', 'Cache-Control': 'no-store' });
    res.end();
  }

  async callback(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
    const state = query.get('state') ?? '';
    const login = this.pending.get(state);
    if (!login || Date.now() - login.startedAt > pendingLoginTtlMs) {
      this.endPage(res, 400, 'Sign-in link not valid', 'This sign-in link is not valid or was already used', 'Start the sign-in again in VS Code.');
      return;
    }
    if (cookieValue(req, bindingCookie) !== login.binding) {
      // Another browser's callback: leave that person's sign-in alone.
      this.endPage(res, 400, 'Sign-in not started here', 'This sign-in did not start in this browser', 'Open the link VS Code shows in this browser and start again.');
      return;
    }
    this.pending.delete(state);
    const { device } = login;
    const issuer = query.get('iss');
    if (issuer !== null && issuer !== this.options.provider.issuer) {
      this.endPage(res, 400, 'Sign-in failed', 'The answer came from an unexpected identity provider', 'Start the sign-in again in VS Code.');
      return;
    }
    if (this.options.deviceCodes.isExpired(device)) {
      this.endPage(res, 400, 'Code expired', 'This sign-in code has expired', 'Start the sign-in again in VS Code.');
      return;
    }
    if (device.state.kind !== 'pending') {
      this.endPage(res, 400, 'Code already used', 'This sign-in code has already been used', 'You can close this tab and return to VS Code.');
      return;
    }
    if (query.has('error') || !query.has('code')) {
      device.state = { kind: 'denied' };
      this.endPage(res, 200, 'Sign-in cancelled', 'Sign-in cancelled', 'The sign-in was not approved. You can close this tab and return to VS Code.');
      return;
    }
    let userId: string;
    try {
      userId = await this.redeem(query.get('code') ?? '', login);
    } catch (error) {
      this.endPage(res, 502, 'Sign-in failed', 'The identity provider did not complete the sign-in', `${(error as Error).message} Start the sign-in again in VS Code.`);
      return;
    }
    const user = findUserById(userId);
    if (!user) {
      device.state = { kind: 'denied' };
      this.endPage(res, 403, 'Sign-in refused', 'This account has no CoderFlow user', 'You can close this tab and return to VS Code.');
      return;
    }
    device.state = { kind: 'approved', userId: user.id };
    this.endPage(res, 200, 'Approved', 'Approved — you can close this tab and return to VS Code', `Signed in as ${user.displayName} (${user.username}).`);
  }

  /** The authorization code exchange at the provider's token endpoint; answers the user's id (`sub`). */
  private async redeem(code: string, login: PendingLogin): Promise<string> {
    const basic = Buffer.from(`${encodeURIComponent(this.options.clientId)}:${encodeURIComponent(this.options.clientSecret)}`).toString('base64');
    const answer = await httpRequest(`${this.options.provider.issuer}/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
        [this.options.internalHeader[0]]: this.options.internalHeader[1],
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: this.options.redirectUri,
        code_verifier: login.codeVerifier,
      }).toString(),
      ca: this.options.ca,
    });
    let tokens: { id_token?: unknown; error?: unknown; error_description?: unknown };
    try {
      tokens = JSON.parse(answer.body) as typeof tokens;
    } catch {
      throw new Error(`The token endpoint answered ${answer.status} without JSON.`);
    }
    if (answer.status !== 200 || typeof tokens.id_token !== 'string') {
      throw new Error(`The token endpoint answered ${answer.status} ${String(tokens.error ?? '')} ${String(tokens.error_description ?? '')}.`);
    }
    return this.options.provider.verifyIdToken(tokens.id_token, login.nonce).sub;
  }

  private codeForm(res: ServerResponse, status: number, code: string, notice: RawHtml): void {
    sendPage(res, status, 'Sign in to CoderFlow', html`
<h1>Sign in to CoderFlow</h1>
<p>Enter the code shown in VS Code, then continue to your identity provider.</p>
${notice}
<form method="post" action="${this.options.prefix}/auth/sso/verify">
  <label for="user_code">Code</label>
  <input id="user_code" name="user_code" value="${code}" autocomplete="off" autocapitalize="characters" spellcheck="false" required>
  <button type="submit">Continue</button>
</form>`);
  }

  private endPage(res: ServerResponse, status: number, title: string, heading: string, text: string): void {
    sendPage(res, status, title, html`
<h1>${heading}</h1>
<p>${text}</p>`);
  }

  private forgetOldLogins(): void {
    const cutoff = Date.now() - pendingLoginTtlMs;
    for (const [state, login] of this.pending) if (login.startedAt < cutoff) this.pending.delete(state);
  }
}
