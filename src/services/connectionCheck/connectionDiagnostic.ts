// Test connection, step by step: the name lookup, the proxy, the connection, the TLS certificate
// and what trusted it (or exactly why it was refused), the server's /health and SSO
// configuration, and the key's check with /auth/me. Each step is data (name, status, detail,
// duration), so the Profile Manager, the palette command and the support report show the same.
import type { SecureContextOptions } from 'node:tls';
import { isLoopbackHost, type CoderFlowClient } from '../../core/http/client';
import { readCaFile, tlsAgentOptions, trustApplied, type TlsOptions, type TrustApplied } from '../../core/http/tls';
import { fromNodeErrorCode, toAuthError, type AuthError } from '../../core/errors';
import type { User } from '../../core/http/protocol';
import type { Redactor } from '../../core/redact';
import { connectDirect, connectThroughProxy, handshake, lookUpName, ProxyRefusal, type Handshake } from './connectionProbe';
import type { ProxyChoice } from './proxyChoice';
import type { Socket } from 'node:net';
import * as l10n from '@vscode/l10n';

export type StepStatus = 'ok' | 'warn' | 'fail' | 'skipped';
export type StepId = 'address' | 'proxy' | 'connection' | 'tls' | 'health' | 'sso' | 'key';

export interface Fact {
  label: string;
  value: string;
}

export interface DiagnosticStep {
  id: StepId;
  name: string;
  status: StepStatus;
  /** One or two sentences: what was found. */
  detail: string;
  /** What to do about a warning or failure. */
  fix?: string;
  durationMs: number;
  facts: Fact[];
}

export interface ConnectionDiagnostic {
  serverUrl: string;
  /** ISO-8601. */
  startedAt: string;
  /** No step failed and the key (when one was expected) works. */
  ok: boolean;
  steps: DiagnosticStep[];
  /** The key's user, when /auth/me answered. */
  user?: User;
  /** The first failure as an AuthError kind, for callers that sort outcomes (signed out, forbidden…). */
  failure?: { kind: AuthError['kind'] | 'proxy' | 'signed-out'; message: string; fix?: string };
}

export interface DiagnosticInput {
  serverUrl: string;
  /** The client for /health, /auth/sso/config and /auth/me: the same network stack and trust as every request. */
  client: Pick<CoderFlowClient, 'health' | 'ssoConfig' | 'me' | 'hasApiKey'>;
  tls: TlsOptions;
  proxy: ProxyChoice;
  /** When the client has no key but one was expected: why ("This profile is signed out."). */
  noKeyReason?: string;
  /** Per step. Default 10 s. */
  timeoutMs?: number;
  /** For tests: the clock the validity dates are compared with. */
  now?: () => number;
}

// Functions, not tables, here and below: texts are looked up in the l10n bundle when a test runs,
// after activation loaded it, not when this module is evaluated.
function stepName(id: StepId): string {
  switch (id) {
    case 'address': return l10n.t('Address');
    case 'proxy': return l10n.t('Proxy');
    case 'connection': return l10n.t('Connection');
    case 'tls': return l10n.t('TLS certificate');
    case 'health': return l10n.t('Server health (/health)');
    case 'sso': return l10n.t('Sign-in options (/auth/sso/config)');
    case 'key': return l10n.t('API key (/auth/me)');
  }
}

type Outcome = Omit<DiagnosticStep, 'id' | 'name' | 'durationMs' | 'facts'> & { facts?: Fact[] };

async function timed(id: StepId, run: () => Promise<Outcome>): Promise<DiagnosticStep> {
  const started = performance.now();
  const outcome = await run();
  return { id, name: stepName(id), facts: [], ...outcome, durationMs: Math.round(performance.now() - started) };
}

function skipped(id: StepId, detail: string): DiagnosticStep {
  return { id, name: stepName(id), status: 'skipped', detail, durationMs: 0, facts: [] };
}

function problem(error: AuthError): Pick<Outcome, 'detail' | 'fix'> {
  return { detail: error.message, ...(error.fix ? { fix: error.fix } : {}) };
}

function networkError(e: unknown, host: string): AuthError {
  return fromNodeErrorCode((e as NodeJS.ErrnoException | undefined)?.code, host, e) ?? toAuthError(e);
}

export async function runConnectionDiagnostic(input: DiagnosticInput): Promise<ConnectionDiagnostic> {
  const startedAt = new Date().toISOString();
  const timeoutMs = input.timeoutMs ?? 10_000;
  const now = input.now ?? Date.now;
  const url = new URL(input.serverUrl);
  const hostname = url.hostname;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const secure = url.protocol === 'https:';
  const steps: DiagnosticStep[] = [];
  let failure: ConnectionDiagnostic['failure'];
  const fail = (kind: NonNullable<ConnectionDiagnostic['failure']>['kind'], step: Outcome) => {
    failure ??= { kind, message: step.detail, ...(step.fix ? { fix: step.fix } : {}) };
    return step;
  };

  // 1. The name. Through a proxy the proxy looks it up, so a local failure is only a warning.
  let resolved = false;
  steps.push(
    await timed('address', async () => {
      try {
        const found = await lookUpName(hostname);
        resolved = true;
        return found.literal
          ? { status: 'ok', detail: l10n.t('{0} is an IP address: nothing to look up.', hostname) }
          : { status: 'ok', detail: l10n.t('{0} resolved to {1}.', hostname, found.addresses.join(', ')), facts: [{ label: l10n.t('Addresses'), value: found.addresses.join(', ') }] };
      } catch (e) {
        const error = networkError(e, hostname);
        if (input.proxy.url) return { status: 'warn', detail: l10n.t('{0} The proxy looks names up itself, so this may not matter.', error.message) };
        return fail(error.kind, { status: 'fail', ...problem(error) });
      }
    }),
  );

  // 2. The proxy, as VS Code chooses it.
  steps.push({
    id: 'proxy',
    name: stepName('proxy'),
    status: 'ok',
    detail: input.proxy.reason,
    durationMs: 0,
    facts: [
      { label: l10n.t('Proxy'), value: input.proxy.shown ?? l10n.t('none (direct)') },
      { label: l10n.t('Read from'), value: l10n.t('http.proxySupport, http.noProxy, http.proxy, then HTTPS_PROXY, HTTP_PROXY and NO_PROXY, as VS Code reads them') },
    ],
  });

  // 3. The connection, through the proxy's tunnel when there is one.
  let socket: Socket | undefined;
  let proxyWantedCredentials = false;
  if (!resolved && !input.proxy.url) {
    steps.push(skipped('connection', l10n.t('Not tried: the name could not be looked up.')));
  } else {
    steps.push(
      await timed('connection', async () => {
        const where = `${hostname}:${port}`;
        try {
          if (input.proxy.url) {
            const tunnel = await connectThroughProxy(input.proxy.url, hostname.replace(/^\[|\]$/g, ''), port, timeoutMs);
            socket = tunnel.socket;
            return { status: 'ok', detail: l10n.t('Connected to {0} through the proxy {1}: it answered CONNECT with {2}.', where, String(input.proxy.shown), tunnel.status), facts: [{ label: l10n.t('Route'), value: l10n.t('through {0} ({1})', String(input.proxy.shown), String(input.proxy.from)) }] };
          }
          socket = await connectDirect(hostname, port, timeoutMs);
          return { status: 'ok', detail: l10n.t('Connected directly to {0} ({1}).', where, socket.remoteAddress ?? hostname), facts: [{ label: l10n.t('Route'), value: l10n.t('direct') }] };
        } catch (e) {
          if (e instanceof ProxyRefusal) {
            proxyWantedCredentials = e.status.startsWith('407');
            const why = e.status.startsWith('407') ? l10n.t('asks for a user name and password') : l10n.t('refused to connect to {0}', where);
            return fail('proxy', {
              status: 'fail',
              detail: l10n.t('The proxy {0} {1} ({2}).', String(input.proxy.shown), why, e.status),
              fix: e.status.startsWith('407') ? l10n.t('Put the proxy\'s user name and password in http.proxy (http://user:password@host:port), or ask your administrator.') : l10n.t('Ask your network administrator whether the proxy allows connections to this server.'),
            });
          }
          const error = networkError(e, input.proxy.url ? l10n.t('the proxy {0}', String(input.proxy.shown)) : where);
          return fail(error.kind, { status: 'fail', ...problem(error) });
        }
      }),
    );
  }

  // 4. TLS: the certificate presented, and what trusts it or why it is refused.
  let refusedCode: string | undefined;
  let tlsStepIndex = -1;
  if (!secure) {
    steps.push(
      isLoopbackHost(hostname)
        ? { ...skipped('tls', l10n.t('No TLS: plain http, which CoderFlow allows only for a server on this computer.')), status: 'ok' }
        : { ...skipped('tls', l10n.t('No TLS: plain http. CoderFlow refuses to send a key or a password over it to another computer.')), status: 'fail' },
    );
  } else if (!socket) {
    steps.push(skipped('tls', l10n.t('Not tried: there is no connection.')));
  } else {
    const open = socket;
    tlsStepIndex = steps.length;
    steps.push(
      await timed('tls', async () => {
        let ca: SecureContextOptions['ca'];
        let caPem = input.tls.ca ?? '';
        try {
          ca = (await tlsAgentOptions(input.tls, url.origin)).ca;
          if (input.tls.caFile) caPem += `\n${await readCaFile(input.tls.caFile)}`;
        } catch (e) {
          open.destroy();
          const error = toAuthError(e);
          return fail(error.kind, { status: 'fail', ...problem(error) });
        }
        let shake: Handshake;
        try {
          shake = await handshake(open, hostname, ca, timeoutMs);
        } catch (e) {
          const error = networkError(e, `${hostname}:${port}`);
          return fail(error.kind, { status: 'fail', ...problem(error) });
        }
        const facts = certificateFacts(shake, now());
        const pinned = input.tls.pins?.get(url.origin);
        if (shake.authorized) {
          const trust = shake.certificate ? trustApplied(shake.certificate.chain, { ...(caPem ? { caPem } : {}), ...(pinned ? { pinned } : {}) }) : { source: 'none' as const };
          facts.push({ label: l10n.t('Trusted by'), value: trustedBy(trust, input.tls) });
          return { status: 'ok', detail: l10n.t('The certificate is valid for {0} and trusted by {1} ({2}).', hostname, trustShort(trust.source), shake.protocol), facts };
        }
        refusedCode = shake.refusal;
        const reason = fromNodeErrorCode(shake.refusal, `${hostname}:${port}`);
        const why = reason?.message ?? l10n.t('The certificate was refused ({0}).', shake.refusal ?? l10n.t('no reason given'));
        if (shake.refusal) facts.push({ label: l10n.t('Error code'), value: shake.refusal });
        if (pinned) {
          return fail('tls', { status: 'fail', detail: l10n.t('The server no longer presents the certificate pinned for it ({0}).', pinned.fingerprint256), fix: l10n.t('If the server\'s certificate was replaced on purpose, confirm the new one when asked; otherwise do not: someone may be in between.'), facts });
        }
        return fail('tls', { status: 'fail', detail: why, ...(reason?.fix ? { fix: reason.fix } : {}), facts });
      }),
    );
  }
  socket?.destroy();

  // 5–7. The server, through the client: the same network stack, proxy and trust as every request.
  let healthy = false;
  steps.push(
    await timed('health', async () => {
      try {
        await input.client.health();
        healthy = true;
        return { status: 'ok', detail: l10n.t('The server answered: it is up.') };
      } catch (e) {
        const error = toAuthError(e);
        return fail(error.kind, { status: 'fail', ...problem(error) });
      }
    }),
  );

  // The raw probe uses Node's roots; VS Code's requests also trust the operating system's store
  // (http.systemCertificates). A refusal for an unknown authority that /health got past was that.
  const tlsStep = steps[tlsStepIndex];
  if (tlsStep && healthy && refusedCode && !input.tls.pins?.get(url.origin) && /ISSUER|SELF_SIGNED|UNABLE_TO_VERIFY/.test(refusedCode)) {
    tlsStep.status = 'ok';
    delete tlsStep.fix;
    tlsStep.detail = l10n.t("Trusted by the operating system's certificate store, which VS Code adds to its requests (http.systemCertificates); Node's built-in list alone does not trust it.");
    tlsStep.facts = tlsStep.facts.filter((fact) => fact.label !== l10n.t('Error code'));
    tlsStep.facts.push({ label: l10n.t('Trusted by'), value: l10n.t('the operating system\'s certificate store (VS Code: http.systemCertificates)') });
    if (failure?.kind === 'tls') failure = undefined;
  }

  // VS Code answers a proxy's 407 for its own requests (it asks the person, or uses Kerberos);
  // this test's tunnel can only offer credentials written in the proxy URL.
  const connectionStep = steps.find((step) => step.id === 'connection');
  if (connectionStep && healthy && proxyWantedCredentials) {
    connectionStep.status = 'warn';
    connectionStep.detail += l10n.t(' VS Code\'s own requests got through it (VS Code answers the proxy\'s request for credentials itself), so only this test\'s look at the certificate is missing.');
    delete connectionStep.fix;
    if (failure?.kind === 'proxy') failure = undefined;
  }

  if (!healthy) {
    steps.push(skipped('sso', l10n.t('Not asked: the server did not answer /health.')), skipped('key', l10n.t('Not checked: the server did not answer /health.')));
  } else {
    steps.push(
      await timed('sso', async () => {
        try {
          const sso = await input.client.ssoConfig();
          const ssoState = sso.enabled ? (sso.providerName ? l10n.t('enabled ({0})', sso.providerName) : l10n.t('enabled')) : l10n.t('not enabled');
          const passwordState = sso.passwordLoginEnabled ? l10n.t('enabled') : l10n.t('disabled');
          return {
            status: 'ok',
            detail: l10n.t('SSO is {0}; password sign-in is {1}.', ssoState, passwordState),
            facts: [{ label: l10n.t('SSO'), value: ssoState }, { label: l10n.t('Password sign-in'), value: passwordState }],
          };
        } catch (e) {
          const error = toAuthError(e);
          return { status: 'warn', ...problem(error) };
        }
      }),
    );
    if (!input.client.hasApiKey) {
      // A profile without its key is a finding; a bare server URL has no key to check.
      const signedOut = input.noKeyReason && fail('signed-out', { status: 'warn', detail: input.noKeyReason, fix: l10n.t('Sign in again.') });
      steps.push(signedOut ? { ...skipped('key', ''), ...signedOut } : skipped('key', l10n.t('No API key to check: this tests the server only.')));
    } else {
      let user: User | undefined;
      steps.push(
        await timed('key', async () => {
          try {
            user = await input.client.me();
            const roles = user.roles.length > 0 ? user.roles.join(', ') : l10n.t('none');
            return { status: 'ok', detail: l10n.t('The key works: signed in as {0} (roles: {1}).', user.username, roles), facts: [{ label: l10n.t('User'), value: user.username }, { label: l10n.t('Roles'), value: roles }] };
          } catch (e) {
            const error = toAuthError(e);
            const status = error.status ? ` (${error.status})` : '';
            return fail(error.kind, { status: 'fail', detail: `${error.message}${status}`, ...(error.fix ? { fix: error.fix } : {}) });
          }
        }),
      );
      if (user) return finish(input.serverUrl, startedAt, steps, failure, user);
    }
  }
  return finish(input.serverUrl, startedAt, steps, failure);
}

function finish(serverUrl: string, startedAt: string, steps: DiagnosticStep[], failure: ConnectionDiagnostic['failure'], user?: User): ConnectionDiagnostic {
  return { serverUrl, startedAt, ok: failure === undefined && !steps.some((step) => step.status === 'fail'), steps, ...(failure ? { failure } : {}), ...(user ? { user } : {}) };
}

function trustShort(source: TrustApplied['source']): string {
  switch (source) {
    case 'pinned': return l10n.t('the certificate pinned for this server');
    case 'caFile': return 'profoundCoder.tls.caFile';
    case 'system': return l10n.t('the certificate authorities built into Node');
    case 'none': return l10n.t('the certificate authorities this computer trusts');
  }
}

function trustedBy(trust: TrustApplied, tls: TlsOptions): string {
  const anchor = trust.anchor ? `: ${trust.anchor.subject.replace(/\n/g, ', ')}` : '';
  switch (trust.source) {
    case 'pinned':
      return l10n.t('the certificate you confirmed for this server, pinned by its SHA-256 fingerprint {0} (profoundCoder.tls.insecure)', trust.anchor?.fingerprint256 ?? '');
    case 'caFile':
      return `profoundCoder.tls.caFile${tls.caFile ? ` (${tls.caFile})` : ''}${anchor}`;
    case 'system':
      return l10n.t('the certificate authorities built into Node{0}', anchor);
    case 'none':
      return l10n.t('the certificate authorities this computer trusts (NODE_EXTRA_CA_CERTS or the system\'s)');
  }
}

function certificateFacts(shake: Handshake, now: number): Fact[] {
  const facts: Fact[] = [{ label: l10n.t('TLS version'), value: shake.protocol }];
  const certificate = shake.certificate;
  if (!certificate) return [...facts, { label: l10n.t('Certificate'), value: l10n.t('none presented') }];
  const expired = Date.parse(certificate.validTo) < now;
  const early = Date.parse(certificate.validFrom) > now;
  facts.push(
    { label: l10n.t('Subject'), value: certificate.subject },
    { label: l10n.t('Issuer'), value: certificate.issuer },
    { label: l10n.t('Valid from'), value: early ? l10n.t('{0} (not valid yet)', certificate.validFrom) : certificate.validFrom },
    { label: l10n.t('Valid until'), value: expired ? l10n.t('{0} (expired)', certificate.validTo) : certificate.validTo },
    { label: l10n.t('Name matches'), value: shake.nameMismatch ? l10n.t('no: {0}', shake.nameMismatch) : l10n.t('yes') },
  );
  if (certificate.subjectAltName) facts.push({ label: l10n.t('Names'), value: certificate.subjectAltName });
  facts.push({ label: l10n.t('SHA-256 fingerprint'), value: certificate.fingerprint256 });
  return facts;
}

function mark(status: StepStatus): string {
  switch (status) {
    case 'ok': return l10n.t('OK');
    case 'warn': return l10n.t('WARNING');
    case 'fail': return l10n.t('FAILED');
    case 'skipped': return l10n.t('SKIPPED');
  }
}

/**
 * The report for a support ticket, passed through the project's redaction (the caller registers
 * the key with the redactor): the key and any password never appear, whatever a message quoted.
 */
export function diagnosticReportText(diagnostic: ConnectionDiagnostic, redactor: Redactor, context: Fact[] = []): string {
  const lines = [
    l10n.t('CoderFlow connection report'),
    l10n.t('Server: {0}', diagnostic.serverUrl),
    l10n.t('Started: {0}', diagnostic.startedAt),
    ...context.map((fact) => `${fact.label}: ${fact.value}`),
    l10n.t('Result: {0}', diagnostic.ok ? mark('ok') : diagnostic.failure ? `${mark('fail')}: ${diagnostic.failure.message}` : mark('fail')),
    '',
  ];
  for (const step of diagnostic.steps) {
    lines.push(`[${mark(step.status)}] ${step.name} (${l10n.t('{0} ms', step.durationMs)}): ${step.detail}`);
    for (const fact of step.facts) lines.push(`    ${fact.label}: ${fact.value}`);
    if (step.fix) lines.push(l10n.t('    What to do: {0}', step.fix));
  }
  return redactor.redact(lines.join('\n'));
}
