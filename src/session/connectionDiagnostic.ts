// Test connection, step by step: the name lookup, the proxy, the connection, the TLS certificate
// and what trusted it (or exactly why it was refused), the server's /health and SSO
// configuration, and the key's check with /auth/me. Each step is data (name, status, detail,
// duration), so the Profile Manager, the palette command and the support report show the same.
import type { SecureContextOptions } from 'node:tls';
import { isLoopbackHost, type CoderFlowClient } from '../auth/client';
import { readCaFile, tlsAgentOptions, trustApplied, type TlsOptions, type TrustApplied } from '../auth/tls';
import { fromNodeErrorCode, toAuthError, type AuthError } from '../auth/errors';
import type { User } from '../auth/protocol';
import type { Redactor } from '../util/redact';
import { connectDirect, connectThroughProxy, handshake, lookUpName, ProxyRefusal, type Handshake } from './connectionProbe';
import type { ProxyChoice } from './proxyChoice';
import type { Socket } from 'node:net';

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

const NAMES: Record<StepId, string> = {
  address: 'Address',
  proxy: 'Proxy',
  connection: 'Connection',
  tls: 'TLS certificate',
  health: 'Server health (/health)',
  sso: 'Sign-in options (/auth/sso/config)',
  key: 'API key (/auth/me)',
};

type Outcome = Omit<DiagnosticStep, 'id' | 'name' | 'durationMs' | 'facts'> & { facts?: Fact[] };

async function timed(id: StepId, run: () => Promise<Outcome>): Promise<DiagnosticStep> {
  const started = performance.now();
  const outcome = await run();
  return { id, name: NAMES[id], facts: [], ...outcome, durationMs: Math.round(performance.now() - started) };
}

function skipped(id: StepId, detail: string): DiagnosticStep {
  return { id, name: NAMES[id], status: 'skipped', detail, durationMs: 0, facts: [] };
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
          ? { status: 'ok', detail: `${hostname} is an IP address: nothing to look up.` }
          : { status: 'ok', detail: `${hostname} resolved to ${found.addresses.join(', ')}.`, facts: [{ label: 'Addresses', value: found.addresses.join(', ') }] };
      } catch (e) {
        const error = networkError(e, hostname);
        if (input.proxy.url) return { status: 'warn', detail: `${error.message} The proxy looks names up itself, so this may not matter.` };
        return fail(error.kind, { status: 'fail', ...problem(error) });
      }
    }),
  );

  // 2. The proxy, as VS Code chooses it.
  steps.push({
    id: 'proxy',
    name: NAMES.proxy,
    status: 'ok',
    detail: input.proxy.reason,
    durationMs: 0,
    facts: [
      { label: 'Proxy', value: input.proxy.shown ?? 'none (direct)' },
      { label: 'Read from', value: 'http.proxySupport, http.noProxy, http.proxy, then HTTPS_PROXY, HTTP_PROXY and NO_PROXY, as VS Code reads them' },
    ],
  });

  // 3. The connection, through the proxy's tunnel when there is one.
  let socket: Socket | undefined;
  let proxyWantedCredentials = false;
  if (!resolved && !input.proxy.url) {
    steps.push(skipped('connection', 'Not tried: the name could not be looked up.'));
  } else {
    steps.push(
      await timed('connection', async () => {
        const where = `${hostname}:${port}`;
        try {
          if (input.proxy.url) {
            const tunnel = await connectThroughProxy(input.proxy.url, hostname.replace(/^\[|\]$/g, ''), port, timeoutMs);
            socket = tunnel.socket;
            return { status: 'ok', detail: `Connected to ${where} through the proxy ${input.proxy.shown}: it answered CONNECT with ${tunnel.status}.`, facts: [{ label: 'Route', value: `through ${input.proxy.shown} (${input.proxy.from})` }] };
          }
          socket = await connectDirect(hostname, port, timeoutMs);
          return { status: 'ok', detail: `Connected directly to ${where} (${socket.remoteAddress ?? hostname}).`, facts: [{ label: 'Route', value: 'direct' }] };
        } catch (e) {
          if (e instanceof ProxyRefusal) {
            proxyWantedCredentials = e.status.startsWith('407');
            const why = e.status.startsWith('407') ? 'asks for a user name and password' : `refused to connect to ${where}`;
            return fail('proxy', {
              status: 'fail',
              detail: `The proxy ${input.proxy.shown} ${why} (${e.status}).`,
              fix: e.status.startsWith('407') ? 'Put the proxy\'s user name and password in http.proxy (http://user:password@host:port), or ask your administrator.' : 'Ask your network administrator whether the proxy allows connections to this server.',
            });
          }
          const error = networkError(e, input.proxy.url ? `the proxy ${input.proxy.shown}` : where);
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
        ? { ...skipped('tls', 'No TLS: plain http, which CoderFlow allows only for a server on this computer.'), status: 'ok' }
        : { ...skipped('tls', 'No TLS: plain http. CoderFlow refuses to send a key or a password over it to another computer.'), status: 'fail' },
    );
  } else if (!socket) {
    steps.push(skipped('tls', 'Not tried: there is no connection.'));
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
          facts.push({ label: 'Trusted by', value: trustedBy(trust, input.tls) });
          return { status: 'ok', detail: `The certificate is valid for ${hostname} and trusted by ${TRUST_SHORT[trust.source]} (${shake.protocol}).`, facts };
        }
        refusedCode = shake.refusal;
        const reason = fromNodeErrorCode(shake.refusal, `${hostname}:${port}`);
        const why = reason?.message ?? `The certificate was refused (${shake.refusal ?? 'no reason given'}).`;
        if (shake.refusal) facts.push({ label: 'Error code', value: shake.refusal });
        if (pinned) {
          return fail('tls', { status: 'fail', detail: `The server no longer presents the certificate pinned for it (${pinned.fingerprint256}).`, fix: 'If the server\'s certificate was replaced on purpose, confirm the new one when asked; otherwise do not: someone may be in between.', facts });
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
        return { status: 'ok', detail: 'The server answered: it is up.' };
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
    tlsStep.detail = `Trusted by the operating system's certificate store, which VS Code adds to its requests (http.systemCertificates); Node's built-in list alone does not trust it.`;
    tlsStep.facts = tlsStep.facts.filter((fact) => fact.label !== 'Error code');
    tlsStep.facts.push({ label: 'Trusted by', value: 'the operating system\'s certificate store (VS Code: http.systemCertificates)' });
    if (failure?.kind === 'tls') failure = undefined;
  }

  // VS Code answers a proxy's 407 for its own requests (it asks the person, or uses Kerberos);
  // this test's tunnel can only offer credentials written in the proxy URL.
  const connectionStep = steps.find((step) => step.id === 'connection');
  if (connectionStep && healthy && proxyWantedCredentials) {
    connectionStep.status = 'warn';
    connectionStep.detail += ' VS Code\'s own requests got through it (VS Code answers the proxy\'s request for credentials itself), so only this test\'s look at the certificate is missing.';
    delete connectionStep.fix;
    if (failure?.kind === 'proxy') failure = undefined;
  }

  if (!healthy) {
    steps.push(skipped('sso', 'Not asked: the server did not answer /health.'), skipped('key', 'Not checked: the server did not answer /health.'));
  } else {
    steps.push(
      await timed('sso', async () => {
        try {
          const sso = await input.client.ssoConfig();
          const ssoState = sso.enabled ? `enabled${sso.providerName ? ` (${sso.providerName})` : ''}` : 'not enabled';
          const passwordState = sso.passwordLoginEnabled ? 'enabled' : 'disabled';
          return {
            status: 'ok',
            detail: `SSO is ${ssoState}; password sign-in is ${passwordState}.`,
            facts: [{ label: 'SSO', value: ssoState }, { label: 'Password sign-in', value: passwordState }],
          };
        } catch (e) {
          const error = toAuthError(e);
          return { status: 'warn', ...problem(error) };
        }
      }),
    );
    if (!input.client.hasApiKey) {
      // A profile without its key is a finding; a bare server URL has no key to check.
      const signedOut = input.noKeyReason && fail('signed-out', { status: 'warn', detail: input.noKeyReason, fix: 'Sign in again.' });
      steps.push(signedOut ? { ...skipped('key', ''), ...signedOut } : skipped('key', 'No API key to check: this tests the server only.'));
    } else {
      let user: User | undefined;
      steps.push(
        await timed('key', async () => {
          try {
            user = await input.client.me();
            const roles = user.roles.length > 0 ? user.roles.join(', ') : 'none';
            return { status: 'ok', detail: `The key works: signed in as ${user.username} (roles: ${roles}).`, facts: [{ label: 'User', value: user.username }, { label: 'Roles', value: roles }] };
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

const TRUST_SHORT: Record<TrustApplied['source'], string> = {
  pinned: 'the certificate pinned for this server',
  caFile: 'profoundCoder.tls.caFile',
  system: 'the certificate authorities built into Node',
  none: 'the certificate authorities this computer trusts',
};

function trustedBy(trust: TrustApplied, tls: TlsOptions): string {
  const anchor = trust.anchor ? `: ${trust.anchor.subject.replace(/\n/g, ', ')}` : '';
  switch (trust.source) {
    case 'pinned':
      return `the certificate you confirmed for this server, pinned by its SHA-256 fingerprint ${trust.anchor?.fingerprint256 ?? ''} (profoundCoder.tls.insecure)`;
    case 'caFile':
      return `profoundCoder.tls.caFile${tls.caFile ? ` (${tls.caFile})` : ''}${anchor}`;
    case 'system':
      return `the certificate authorities built into Node${anchor}`;
    case 'none':
      return 'the certificate authorities this computer trusts (NODE_EXTRA_CA_CERTS or the system\'s)';
  }
}

function certificateFacts(shake: Handshake, now: number): Fact[] {
  const facts: Fact[] = [{ label: 'TLS version', value: shake.protocol }];
  const certificate = shake.certificate;
  if (!certificate) return [...facts, { label: 'Certificate', value: 'none presented' }];
  const expired = Date.parse(certificate.validTo) < now;
  const early = Date.parse(certificate.validFrom) > now;
  facts.push(
    { label: 'Subject', value: certificate.subject },
    { label: 'Issuer', value: certificate.issuer },
    { label: 'Valid from', value: `${certificate.validFrom}${early ? ' (not valid yet)' : ''}` },
    { label: 'Valid until', value: `${certificate.validTo}${expired ? ' (expired)' : ''}` },
    { label: 'Name matches', value: shake.nameMismatch ? `no: ${shake.nameMismatch}` : 'yes' },
  );
  if (certificate.subjectAltName) facts.push({ label: 'Names', value: certificate.subjectAltName });
  facts.push({ label: 'SHA-256 fingerprint', value: certificate.fingerprint256 });
  return facts;
}

const MARKS: Record<StepStatus, string> = { ok: 'OK', warn: 'WARNING', fail: 'FAILED', skipped: 'SKIPPED' };

/**
 * The report for a support ticket, passed through the project's redaction (the caller registers
 * the key with the redactor): the key and any password never appear, whatever a message quoted.
 */
export function diagnosticReportText(diagnostic: ConnectionDiagnostic, redactor: Redactor, context: Fact[] = []): string {
  const lines = [
    'CoderFlow connection report',
    `Server: ${diagnostic.serverUrl}`,
    `Started: ${diagnostic.startedAt}`,
    ...context.map((fact) => `${fact.label}: ${fact.value}`),
    `Result: ${diagnostic.ok ? 'OK' : `FAILED${diagnostic.failure ? `: ${diagnostic.failure.message}` : ''}`}`,
    '',
  ];
  for (const step of diagnostic.steps) {
    lines.push(`[${MARKS[step.status]}] ${step.name} (${step.durationMs} ms): ${step.detail}`);
    for (const fact of step.facts) lines.push(`    ${fact.label}: ${fact.value}`);
    if (step.fix) lines.push(`    What to do: ${step.fix}`);
  }
  return redactor.redact(lines.join('\n'));
}
