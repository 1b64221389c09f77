// Test connection's server steps, through the client (the same network stack, proxy and trust as
// every request): /health, what its answer proves about the network steps, the SSO
// configuration, and the key's check with /auth/me.
import { toAuthError } from '../../core/errors';
import type { User } from '../../core/http/protocol';
import { fail, problem, skipped, timed, type DiagnosticRun, type DiagnosticStep } from './diagnosticStep';
import * as l10n from '@vscode/l10n';

export async function healthStep(run: DiagnosticRun): Promise<{ step: DiagnosticStep; healthy: boolean }> {
  let healthy = false;
  const step = await timed('health', async () => {
    try {
      await run.input.client.health();
      healthy = true;
      return { status: 'ok', detail: l10n.t('The server answered: it is up.') };
    } catch (e) {
      const error = toAuthError(e);
      return fail(run, error.kind, { status: 'fail', ...problem(error) });
    }
  });
  return { step, healthy };
}

export interface NetworkFindings {
  tls: { step: DiagnosticStep; refusedCode?: string };
  connection: { step: DiagnosticStep; proxyWantedCredentials: boolean };
}

/** Corrects the network steps where the server's answer to /health shows VS Code's requests get through. */
export function applyHealthyServer(run: DiagnosticRun, { tls, connection }: NetworkFindings): void {
  const { input, url } = run;
  // The raw probe uses Node's roots; VS Code's requests also trust the operating system's store
  // (http.systemCertificates). A refusal for an unknown authority that /health got past was that.
  if (tls.refusedCode && !input.tls.pins?.get(url.origin) && /ISSUER|SELF_SIGNED|UNABLE_TO_VERIFY/.test(tls.refusedCode)) {
    const tlsStep = tls.step;
    tlsStep.status = 'ok';
    delete tlsStep.fix;
    tlsStep.detail = l10n.t("Trusted by the operating system's certificate store, which VS Code adds to its requests (http.systemCertificates); Node's built-in list alone does not trust it.");
    tlsStep.facts = tlsStep.facts.filter((fact) => fact.label !== l10n.t('Error code'));
    tlsStep.facts.push({ label: l10n.t('Trusted by'), value: l10n.t('the operating system\'s certificate store (VS Code: http.systemCertificates)') });
    if (run.failure?.kind === 'tls') run.failure = undefined;
  }

  // VS Code answers a proxy's 407 for its own requests (it asks the person, or uses Kerberos);
  // this test's tunnel can only offer credentials written in the proxy URL.
  if (connection.proxyWantedCredentials) {
    const connectionStep = connection.step;
    connectionStep.status = 'warn';
    connectionStep.detail += l10n.t(' VS Code\'s own requests got through it (VS Code answers the proxy\'s request for credentials itself), so only this test\'s look at the certificate is missing.');
    delete connectionStep.fix;
    if (run.failure?.kind === 'proxy') run.failure = undefined;
  }
}

export function ssoStep(run: DiagnosticRun): Promise<DiagnosticStep> {
  return timed('sso', async () => {
    try {
      const sso = await run.input.client.ssoConfig();
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
  });
}

export async function keyStep(run: DiagnosticRun): Promise<{ step: DiagnosticStep; user?: User }> {
  const { input } = run;
  if (!input.client.hasApiKey) {
    // A profile without its key is a finding; a bare server URL has no key to check.
    const signedOut = input.noKeyReason && fail(run, 'signed-out', { status: 'warn', detail: input.noKeyReason, fix: l10n.t('Sign in again.') });
    return { step: signedOut ? { ...skipped('key', ''), ...signedOut } : skipped('key', l10n.t('No API key to check: this tests the server only.')) };
  }
  let user: User | undefined;
  const step = await timed('key', async () => {
    try {
      user = await input.client.me();
      const roles = user.roles.length > 0 ? user.roles.join(', ') : l10n.t('none');
      return { status: 'ok', detail: l10n.t('The key works: signed in as {0} (roles: {1}).', user.username, roles), facts: [{ label: l10n.t('User'), value: user.username }, { label: l10n.t('Roles'), value: roles }] };
    } catch (e) {
      const error = toAuthError(e);
      const status = error.status ? ` (${error.status})` : '';
      return fail(run, error.kind, { status: 'fail', detail: `${error.message}${status}`, ...(error.fix ? { fix: error.fix } : {}) });
    }
  });
  return { step, ...(user ? { user } : {}) };
}
