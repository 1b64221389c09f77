// Test connection, step by step: the name lookup, the proxy, the connection, the TLS certificate
// and what trusted it (or exactly why it was refused), the server's /health and SSO
// configuration, and the key's check with /auth/me. Each step is data (diagnosticStep.ts), so
// the Profile Manager, the palette command and the support report show the same.
import type { User } from '../../core/http/protocol';
import { skipped, type ConnectionDiagnostic, type DiagnosticInput, type DiagnosticRun, type DiagnosticStep } from './diagnosticStep';
import { addressStep, connectionStep, proxyStep, tlsStep } from './networkSteps';
import { applyHealthyServer, healthStep, keyStep, ssoStep } from './serverSteps';
import * as l10n from '@vscode/l10n';

export async function runConnectionDiagnostic(input: DiagnosticInput): Promise<ConnectionDiagnostic> {
  const startedAt = new Date().toISOString();
  const url = new URL(input.serverUrl);
  const run: DiagnosticRun = {
    input,
    url,
    hostname: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    timeoutMs: input.timeoutMs ?? 10_000,
    now: input.now ?? Date.now,
    failure: undefined,
  };
  const steps: DiagnosticStep[] = [];

  const address = await addressStep(run);
  steps.push(address.step, proxyStep(run));
  const connection = await connectionStep(run, address.resolved);
  steps.push(connection.step);
  const tls = await tlsStep(run, connection.socket);
  steps.push(tls.step);
  connection.socket?.destroy();

  const health = await healthStep(run);
  steps.push(health.step);
  if (!health.healthy) {
    steps.push(skipped('sso', l10n.t('Not asked: the server did not answer /health.')), skipped('key', l10n.t('Not checked: the server did not answer /health.')));
    return finish(input.serverUrl, startedAt, steps, run.failure);
  }
  applyHealthyServer(run, { tls, connection });
  steps.push(await ssoStep(run));
  const key = await keyStep(run);
  steps.push(key.step);
  return finish(input.serverUrl, startedAt, steps, run.failure, key.user);
}

function finish(serverUrl: string, startedAt: string, steps: DiagnosticStep[], failure: ConnectionDiagnostic['failure'], user?: User): ConnectionDiagnostic {
  return { serverUrl, startedAt, ok: failure === undefined && !steps.some((step) => step.status === 'fail'), steps, ...(failure ? { failure } : {}), ...(user ? { user } : {}) };
}
