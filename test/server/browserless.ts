import { httpRequest } from './httpClient';
import { caFor } from './trust';

interface Cookie {
  name: string;
  value: string;
  origin: string;
  path: string;
  secure: boolean;
  expiresAt: number;
}

export interface Page {
  url: string;
  status: number;
  html: string;
}

interface FormButton {
  text: string;
  name?: string;
  value?: string;
}

interface Form {
  action: string;
  method: string;
  fields: Map<string, string>;
  buttons: FormButton[];
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  if (!match) return undefined;
  return decodeEntities(match[1] ?? match[2] ?? match[3]);
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The page's visible text, tags removed: what a person reads. */
export function pageText(html: string): string {
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  return decodeEntities(body.replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

function formsOf(html: string): Form[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map(([, tag, inner]) => {
    const fields = new Map<string, string>();
    for (const [input] of inner.matchAll(/<input\b[^>]*>/gi)) {
      const name = attribute(input, 'name');
      if (name !== undefined) fields.set(name, attribute(input, 'value') ?? '');
    }
    const buttons = [...inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)].map(([, buttonTag, text]) => ({
      text: pageText(text), name: attribute(buttonTag, 'name'), value: attribute(buttonTag, 'value'),
    }));
    return { action: attribute(tag, 'action') ?? '', method: (attribute(tag, 'method') ?? 'get').toUpperCase(), fields, buttons };
  });
}

/**
 * A browser without a browser: follows redirects, keeps cookies by origin and path (RFC 6265's
 * rules as far as loopback needs them), and submits the page's own forms by their button label,
 * so it goes exactly where a person clicking would go.
 */
export class Browser {
  private cookies: Cookie[] = [];

  constructor(private readonly ca?: string) {}

  async open(url: string): Promise<Page> {
    return this.navigate('GET', url);
  }

  /** Fills the form holding the button labelled `button` with `values`, and presses it. */
  async submit(page: Page, button: string, values: Record<string, string> = {}): Promise<Page> {
    const form = formsOf(page.html).find((candidate) => candidate.buttons.some((b) => b.text === button));
    if (!form) {
      throw new Error(`No button "${button}" on ${page.url} (${page.status}): ${pageText(page.html).slice(0, 300)}`);
    }
    const fields = new Map(form.fields);
    for (const [name, value] of Object.entries(values)) {
      if (!fields.has(name)) throw new Error(`No field "${name}" in the form of "${button}" on ${page.url}.`);
      fields.set(name, value);
    }
    const pressed = form.buttons.find((b) => b.text === button);
    if (pressed?.name !== undefined) fields.set(pressed.name, pressed.value ?? '');
    const target = new URL(form.action || page.url, page.url).href;
    const encoded = new URLSearchParams([...fields]).toString();
    if (form.method === 'POST') return this.navigate('POST', target, encoded);
    const withQuery = new URL(target);
    withQuery.search = encoded;
    return this.navigate('GET', withQuery.href);
  }

  private async navigate(method: string, url: string, body?: string): Promise<Page> {
    let current = url;
    let currentMethod = method;
    let currentBody = body;
    for (let hop = 0; hop < 20; hop++) {
      const headers: Record<string, string> = { Accept: 'text/html' };
      const cookie = this.cookieHeader(current);
      if (cookie) headers.Cookie = cookie;
      if (currentBody !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
      const answer = await httpRequest(current, { method: currentMethod, headers, body: currentBody, ca: this.ca ?? caFor(current) });
      this.storeCookies(current, answer.headers['set-cookie'] ?? []);
      const location = answer.headers.location;
      if (answer.status >= 300 && answer.status < 400 && location) {
        current = new URL(location, current).href;
        if (answer.status !== 307 && answer.status !== 308) {
          currentMethod = 'GET';
          currentBody = undefined;
        }
        continue;
      }
      return { url: current, status: answer.status, html: answer.body };
    }
    throw new Error(`Too many redirects from ${url}.`);
  }

  private storeCookies(url: string, setCookies: string[]): void {
    const { origin, pathname, protocol } = new URL(url);
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const cookie: Cookie = {
        name: pair.slice(0, eq),
        value: pair.slice(eq + 1),
        origin,
        path: pathname.slice(0, Math.max(1, pathname.lastIndexOf('/'))),
        secure: false,
        expiresAt: Number.POSITIVE_INFINITY,
      };
      for (const attr of attributes) {
        const [rawKey, ...rest] = attr.split('=');
        const key = rawKey.toLowerCase();
        const value = rest.join('=');
        if (key === 'path' && value.startsWith('/')) cookie.path = value;
        else if (key === 'secure') cookie.secure = true;
        else if (key === 'max-age') cookie.expiresAt = Date.now() + Number(value) * 1000;
        else if (key === 'expires' && cookie.expiresAt === Number.POSITIVE_INFINITY) cookie.expiresAt = Date.parse(value);
      }
      if (cookie.secure && protocol !== 'https:') continue;
      this.cookies = this.cookies.filter((c) => !(c.name === cookie.name && c.origin === cookie.origin && c.path === cookie.path));
      if (cookie.expiresAt > Date.now()) this.cookies.push(cookie);
    }
  }

  private cookieHeader(url: string): string {
    const { origin, pathname, protocol } = new URL(url);
    const now = Date.now();
    const pathMatches = (path: string): boolean =>
      pathname === path || (pathname.startsWith(path) && (path.endsWith('/') || pathname[path.length] === '/'));
    return this.cookies
      .filter((c) => c.origin === origin && c.expiresAt > now && (!c.secure || protocol === 'https:') && pathMatches(c.path))
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

/**
 * Approves (or, with `deny`, refuses) an SSO device code the way a person does in a browser:
 * opens the verification page, enters the user code, signs in at the identity provider's login
 * page, then allows (or cancels) on its consent page. Rejects when a page is not the expected
 * one, e.g. when the provider refuses the password. TLS-mode servers of this process are trusted
 * by themselves; `ca` trusts another certificate.
 */
export async function completeSsoLogin(
  verificationUri: string,
  userCode: string,
  who: { username: string; password: string },
  options: { deny?: boolean; ca?: string } = {},
): Promise<void> {
  const browser = new Browser(options.ca);
  const codePage = await browser.open(verificationUri);
  const loginPage = await browser.submit(codePage, 'Continue', { user_code: userCode });
  if (!/name="password"/.test(loginPage.html)) {
    throw new Error(`Expected the identity provider's login page after entering the code, got ${loginPage.status}: ${pageText(loginPage.html).slice(0, 300)}`);
  }
  const consentPage = await browser.submit(loginPage, 'Sign in', { username: who.username, password: who.password });
  if (/name="password"/.test(consentPage.html)) {
    throw new Error(`The identity provider refused the sign-in (${consentPage.status}): ${pageText(consentPage.html).slice(0, 300)}`);
  }
  const endPage = await browser.submit(consentPage, options.deny ? 'Cancel' : 'Allow');
  const expected = options.deny ? 'Sign-in cancelled' : 'Approved';
  if (endPage.status !== 200 || !pageText(endPage.html).includes(expected)) {
    throw new Error(`Expected "${expected}" at the end of the sign-in, got ${endPage.status}: ${pageText(endPage.html).slice(0, 300)}`);
  }
}
