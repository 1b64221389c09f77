// What Test connection produces (steps as data: name, status, detail, duration), and what every
// step shares: its name, its timing, and the run's first failure.
import { fromNodeErrorCode, toAuthError, type AuthError } from '../../core/errors';
import type { CoderFlowClient } from '../../core/http/client';
import type { User } from '../../core/http/protocol';
import type { TlsOptions } from '../../core/http/tls';
import type { ProxyChoice } from './proxyChoice';
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

/** One diagnostic under way: its input, the server's address, and the first failure found so far. */
export interface DiagnosticRun {
  input: DiagnosticInput;
  url: URL;
  hostname: string;
  port: number;
  timeoutMs: number;
  now: () => number;
  failure: ConnectionDiagnostic['failure'];
}

export type Outcome = Omit<DiagnosticStep, 'id' | 'name' | 'durationMs' | 'facts'> & { facts?: Fact[] };

// Functions, not tables, here and below: texts are looked up in the l10n bundle when a test runs,
// after activation loaded it, not when this module is evaluated.
export function stepName(id: StepId): string {
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

export async function timed(id: StepId, run: () => Promise<Outcome>): Promise<DiagnosticStep> {
  const started = performance.now();
  const outcome = await run();
  return { id, name: stepName(id), facts: [], ...outcome, durationMs: Math.round(performance.now() - started) };
}

export function skipped(id: StepId, detail: string): DiagnosticStep {
  return { id, name: stepName(id), status: 'skipped', detail, durationMs: 0, facts: [] };
}

/** Notes the run's first failure (the one callers sort by) and hands the step back. */
export function fail(run: DiagnosticRun, kind: NonNullable<ConnectionDiagnostic['failure']>['kind'], step: Outcome): Outcome {
  run.failure ??= { kind, message: step.detail, ...(step.fix ? { fix: step.fix } : {}) };
  return step;
}

export function problem(error: AuthError): Pick<Outcome, 'detail' | 'fix'> {
  return { detail: error.message, ...(error.fix ? { fix: error.fix } : {}) };
}

export function networkError(e: unknown, host: string): AuthError {
  return fromNodeErrorCode((e as NodeJS.ErrnoException | undefined)?.code, host, e) ?? toAuthError(e);
}
