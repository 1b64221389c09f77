import { isIP } from 'node:net';
import vscode = require('vscode');
import { AuthError } from '../core/errors';
import { PinnedCertificates, type PinQuestion } from '../services/pinnedCertificates';
import { connectDirect, connectThroughProxy, handshake, type Handshake } from '../services/connectionCheck/connectionProbe';
import { chooseProxy } from '../services/connectionCheck/proxyChoice';
import { proxySettings } from './settings';
import * as l10n from '@vscode/l10n';
import { messageOf } from '../shared/errorText';

const PROBE_TIMEOUT_MS = 10_000;

/**
 * The certificates pinned per server under profoundCoder.tls.insecure, read over the route the
 * client's requests take and confirmed in a modal. Host tests replace `ask` through the testing
 * hooks, as a modal cannot be answered from the extension host.
 */
export class CertificatePinStore extends PinnedCertificates {
  constructor(state: vscode.Memento) {
    super(state, presentedCertificate, askWithModal);
  }
}

/**
 * The certificate the server presents, by the route the client's requests take. The client
 * brings its own agent for https: with `http.proxySupport` "on" VS Code keeps it and the request
 * goes direct; with "override" (the default) and "fallback" VS Code's proxy choice applies
 * (createHttpPatch in @vscode/proxy-agent 0.32); "off" is direct.
 */
async function presentedCertificate(url: URL): Promise<Handshake> {
  const settings = proxySettings();
  const proxySupport = settings.proxySupport ?? 'override';
  const proxy = proxySupport === 'override' || proxySupport === 'fallback' ? chooseProxy(url, { ...settings, proxySupport }).url : undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  if (proxy && isIP(host)) {
    // https-proxy-agent (VS Code 1.100) sends no server name for an IP address, so Node checks the
    // certificate against the proxy's name, or "localhost" when the proxy too is an IP address.
    throw new AuthError('tls', l10n.t('Through a proxy, VS Code checks the certificate of a server addressed by IP address ({0}) against another name, so trusting it would not help.', host), {
      fix: l10n.t('Use the server\'s host name in the server URL, or list the server in http.noProxy.'),
    });
  }
  try {
    const socket = proxy ? (await connectThroughProxy(proxy, host, port, PROBE_TIMEOUT_MS)).socket : await connectDirect(host, port, PROBE_TIMEOUT_MS);
    return await handshake(socket, host, undefined, PROBE_TIMEOUT_MS);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? messageOf(e);
    throw new AuthError('tls', l10n.t('Could not read the certificate {0} presents, to show it to you ({1}).', url.host, reason), {
      fix: l10n.t('Check the server URL and your network or proxy; or set profoundCoder.tls.caFile to the certificate authority of the server.'),
      cause: e,
    });
  }
}

async function askWithModal(question: PinQuestion): Promise<boolean> {
  const trust = l10n.t('Trust This Certificate');
  const intro = question.previous
    ? l10n.t("{0} now presents another certificate than the one you trusted on {1} (SHA-256 {2}). A server's certificate changes when it is renewed, and also when someone intercepts the connection: ask its administrator before trusting it.", question.host, question.previous.pinnedAt.slice(0, 10), question.previous.fingerprint256)
    : l10n.t('No certificate authority this computer trusts vouches for {0}. profoundCoder.tls.insecure is on, so you may trust the certificate it presents, for this server only.', question.host);
  const detail = [
    intro,
    l10n.t('Compare this SHA-256 fingerprint with the one the server\'s administrator gives you:'),
    question.fingerprint256,
    l10n.t('{0}: {1}, valid until {2}.', question.isAuthority ? l10n.t("Certificate authority that issued the server's certificate") : l10n.t('Certificate'), question.subject, question.validTo),
  ].join('\n\n');
  const choice = await vscode.window.showWarningMessage(l10n.t('Trust the certificate of {0}?', question.origin), { modal: true, detail }, trust);
  return choice === trust;
}
