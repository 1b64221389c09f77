// Test connection's network steps, below HTTP: the name lookup, the proxy, the connection (through
// the proxy's tunnel when there is one) and the TLS certificate, with what trusted it or exactly
// why it was refused.
import type { Socket } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { isLoopbackHost } from '../../core/http/serverUrl';
import { readCaFile, tlsAgentOptions, trustApplied } from '../../core/http/tls';
import { fromNodeErrorCode, toAuthError } from '../../core/errors';
import { certificateFacts, trustedBy, trustShort } from './certificateFacts';
import { connectDirect, connectThroughProxy, handshake, lookUpName, ProxyRefusal, type Handshake } from './connectionProbe';
import { fail, networkError, problem, skipped, stepName, timed, type DiagnosticRun, type DiagnosticStep } from './diagnosticStep';
import * as l10n from '@vscode/l10n';

/** The name. Through a proxy the proxy looks it up, so a local failure is only a warning. */
export async function addressStep(run: DiagnosticRun): Promise<{ step: DiagnosticStep; resolved: boolean }> {
  const { input, hostname } = run;
  let resolved = false;
  const step = await timed('address', async () => {
    try {
      const found = await lookUpName(hostname);
      resolved = true;
      return found.literal
        ? { status: 'ok', detail: l10n.t('{0} is an IP address: nothing to look up.', hostname) }
        : { status: 'ok', detail: l10n.t('{0} resolved to {1}.', hostname, found.addresses.join(', ')), facts: [{ label: l10n.t('Addresses'), value: found.addresses.join(', ') }] };
    } catch (e) {
      const error = networkError(e, hostname);
      if (input.proxy.url) return { status: 'warn', detail: l10n.t('{0} The proxy looks names up itself, so this may not matter.', error.message) };
      return fail(run, error.kind, { status: 'fail', ...problem(error) });
    }
  });
  return { step, resolved };
}

/** The proxy, as VS Code chooses it. */
export function proxyStep(run: DiagnosticRun): DiagnosticStep {
  const { proxy } = run.input;
  return {
    id: 'proxy',
    name: stepName('proxy'),
    status: 'ok',
    detail: proxy.reason,
    durationMs: 0,
    facts: [
      { label: l10n.t('Proxy'), value: proxy.shown ?? l10n.t('none (direct)') },
      { label: l10n.t('Read from'), value: l10n.t('http.proxySupport, http.noProxy, http.proxy, then HTTPS_PROXY, HTTP_PROXY and NO_PROXY, as VS Code reads them') },
    ],
  };
}

export interface Connected {
  step: DiagnosticStep;
  socket?: Socket;
  /** The proxy answered CONNECT with 407: it wants credentials this test cannot offer. */
  proxyWantedCredentials: boolean;
}

/** The connection, through the proxy's tunnel when there is one. */
export async function connectionStep(run: DiagnosticRun, resolved: boolean): Promise<Connected> {
  const { input, hostname, port, timeoutMs } = run;
  if (!resolved && !input.proxy.url) {
    return { step: skipped('connection', l10n.t('Not tried: the name could not be looked up.')), proxyWantedCredentials: false };
  }
  let socket: Socket | undefined;
  let proxyWantedCredentials = false;
  const step = await timed('connection', async () => {
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
        return fail(run, 'proxy', {
          status: 'fail',
          detail: l10n.t('The proxy {0} {1} ({2}).', String(input.proxy.shown), why, e.status),
          fix: e.status.startsWith('407') ? l10n.t('Put the proxy\'s user name and password in http.proxy (http://user:password@host:port), or ask your administrator.') : l10n.t('Ask your network administrator whether the proxy allows connections to this server.'),
        });
      }
      const error = networkError(e, input.proxy.url ? l10n.t('the proxy {0}', String(input.proxy.shown)) : where);
      return fail(run, error.kind, { status: 'fail', ...problem(error) });
    }
  });
  return { step, ...(socket ? { socket } : {}), proxyWantedCredentials };
}

/**
 * TLS: the certificate presented, and what trusts it or why it is refused. `refusedCode` is
 * Node's reason when the handshake ran and the certificate was refused.
 */
export async function tlsStep(run: DiagnosticRun, socket: Socket | undefined): Promise<{ step: DiagnosticStep; refusedCode?: string }> {
  const { input, url, hostname, port, timeoutMs } = run;
  if (url.protocol !== 'https:') {
    return {
      step: isLoopbackHost(hostname)
        ? { ...skipped('tls', l10n.t('No TLS: plain http, which CoderFlow allows only for a server on this computer.')), status: 'ok' }
        : { ...skipped('tls', l10n.t('No TLS: plain http. CoderFlow refuses to send a key or a password over it to another computer.')), status: 'fail' },
    };
  }
  if (!socket) return { step: skipped('tls', l10n.t('Not tried: there is no connection.')) };
  const open = socket;
  let refusedCode: string | undefined;
  const step = await timed('tls', async () => {
    let ca: SecureContextOptions['ca'];
    let caPem = input.tls.ca ?? '';
    try {
      ca = (await tlsAgentOptions(input.tls, url.origin)).ca;
      if (input.tls.caFile) caPem += `\n${await readCaFile(input.tls.caFile)}`;
    } catch (e) {
      open.destroy();
      const error = toAuthError(e);
      return fail(run, error.kind, { status: 'fail', ...problem(error) });
    }
    let shake: Handshake;
    try {
      shake = await handshake(open, hostname, ca, timeoutMs);
    } catch (e) {
      const error = networkError(e, `${hostname}:${port}`);
      return fail(run, error.kind, { status: 'fail', ...problem(error) });
    }
    const facts = certificateFacts(shake, run.now());
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
      return fail(run, 'tls', { status: 'fail', detail: l10n.t('The server no longer presents the certificate pinned for it ({0}).', pinned.fingerprint256), fix: l10n.t('If the server\'s certificate was replaced on purpose, confirm the new one when asked; otherwise do not: someone may be in between.'), facts });
    }
    return fail(run, 'tls', { status: 'fail', detail: why, ...(reason?.fix ? { fix: reason.fix } : {}), facts });
  });
  return { step, ...(refusedCode ? { refusedCode } : {}) };
}
