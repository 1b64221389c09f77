import * as l10n from '@vscode/l10n';
// Which proxy VS Code's network stack sends a request through. An extension cannot ask VS Code,
// so this reads the same inputs in the same order as VS Code's resolver (@vscode/proxy-agent,
// createProxyResolver and createHttpPatch, as shipped with VS Code 1.100): `http.proxySupport`
// "off" leaves Node's network stack unpatched, and "on" leaves alone a request that brings its own
// agent, as the client's https requests do; localhost, 127.0.0.1 and ::1 always go direct; `http.noProxy` (or,
// when that is empty, NO_PROXY); then `http.proxy`; then HTTPS_PROXY / HTTP_PROXY (either case,
// whatever the scheme); then the operating system's proxy configuration, which only VS Code's
// main process can read.

type Env = Readonly<Record<string, string | undefined>>;

export interface ProxyInputs {
  /** `http.proxySupport`: off | on | fallback | override (VS Code's default). */
  proxySupport?: string | undefined;
  /** `http.proxy`. */
  proxySetting?: string | undefined;
  /** `http.noProxy`. */
  noProxySetting?: readonly string[] | undefined;
  /** The extension host's environment. */
  env: Env;
}

export interface ProxyChoice {
  /** The proxy, credentials included (for the CONNECT request only, never shown); absent: direct. */
  url?: URL;
  /** The proxy as it may be shown: scheme, host and port, never a user name or password. */
  shown?: string;
  /** Where the choice comes from: `http.proxy`, `HTTPS_PROXY`, … */
  from?: string;
  /** One sentence: what was chosen and how that was determined. */
  reason: string;
  /** No proxy is configured where an extension can see it; the system's proxy may still apply. */
  systemMayApply: boolean;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** A proxy URL as it may be shown: no user name, no password. */
export function showProxy(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

function parseProxy(value: string | undefined): URL | undefined {
  const text = value?.trim();
  if (!text || !text.includes('://')) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** VS Code's no-proxy rule: `*`, or a host name matching itself and its subdomains, optionally with `:port`. */
function bypasses(entries: readonly string[], hostname: string, port: string): boolean {
  const list = entries.map((entry) => entry.trim().toLowerCase()).filter(Boolean);
  if (list.includes('*')) return true;
  return list.some((entry) => {
    const [name = '', entryPort] = entry.split(':', 2);
    const domain = name.startsWith('.') ? name : `.${name}`;
    return name !== '' && `.${hostname.toLowerCase()}`.endsWith(domain) && (!entryPort || entryPort === port);
  });
}

export function chooseProxy(target: URL, inputs: ProxyInputs): ProxyChoice {
  const support = inputs.proxySupport ?? 'override';
  if (support === 'off') {
    return { reason: l10n.t('Direct: http.proxySupport is "off", so VS Code does not route extensions\' requests through a proxy.'), systemMayApply: false };
  }
  if (support === 'on' && target.protocol === 'https:') {
    return { reason: l10n.t('Direct: http.proxySupport is "on", which leaves requests that bring their own TLS settings, as CoderFlow\'s do, to connect directly.'), systemMayApply: false };
  }
  const hostname = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK.has(hostname)) {
    return { reason: l10n.t('Direct: VS Code never sends requests for {0} (this computer) through a proxy.', hostname), systemMayApply: false };
  }
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const configNoProxy = inputs.noProxySetting ?? [];
  const noProxyFrom = configNoProxy.length > 0 ? 'http.noProxy' : 'NO_PROXY';
  const noProxy = configNoProxy.length > 0 ? configNoProxy : (inputs.env.no_proxy ?? inputs.env.NO_PROXY ?? '').split(',');
  if (bypasses(noProxy, hostname, port)) {
    return { reason: l10n.t('Direct: {0} is listed in {1}.', hostname, noProxyFrom), systemMayApply: false };
  }
  const setting = parseProxy(inputs.proxySetting);
  if (setting) return through(setting, 'http.proxy', l10n.t('the http.proxy setting'));
  for (const name of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']) {
    const fromEnv = parseProxy(inputs.env[name]);
    if (fromEnv) return through(fromEnv, name, l10n.t('the {0} environment variable (http.proxy is empty)', name));
  }
  return {
    reason: l10n.t('Direct, unless your operating system\'s proxy settings name one: http.proxy is empty and no HTTPS_PROXY or HTTP_PROXY is set. VS Code reads the system\'s proxy itself; extensions cannot see it.'),
    systemMayApply: true,
  };
}

function through(url: URL, from: string, described: string): ProxyChoice {
  const shown = showProxy(url);
  return { url, shown, from, reason: l10n.t('Through {0}, from {1}.', shown, described), systemMayApply: false };
}
