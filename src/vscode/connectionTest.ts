// Test connection in VS Code: runs the diagnostic of src/services/connectionCheck/connectionDiagnostic.ts with the
// settings VS Code applies (its proxy choice, the TLS settings and pinned certificates) and the
// same client as every request, and turns the outcome into what the palette and the Profile
// Manager show, and the palette's command. A bundle of its own (dist/connectionTest.js), loaded on
// the first test.
import vscode = require('vscode');
import { normalizeServerUrl } from '../core/http/serverUrl';
import type { User } from '../core/http/protocol';
import { runConnectionDiagnostic } from '../services/connectionCheck/connectionDiagnostic';
import { diagnosticReportText } from '../services/connectionCheck/diagnosticReport';
import type { ConnectionDiagnostic, Fact } from '../services/connectionCheck/diagnosticStep';
import { chooseProxy } from '../services/connectionCheck/proxyChoice';
import { Redactor } from '../core/redact';
import type { DiagnosticView } from '../shared/webviewProtocol';
import { diagnosticView } from '../services/connectionCheck/diagnosticView';
import { ask } from './prompts';
import { errorText } from '../shared/errorText';
import type { Services } from '../container';
import { defaultServerUrl, proxySettings, tlsOptions } from './settings';
import * as l10n from '@vscode/l10n';

export interface ConnectionTest {
  diagnostic: ConnectionDiagnostic;
  /** The redacted text for a support ticket. */
  report: string;
  /** The same, as the Profile Manager shows it: redacted, within the page's limits. */
  view: DiagnosticView;
}

export interface ConnectionTestTarget {
  serverUrl: string;
  apiKey?: string;
  /** A key was expected but there is none: why ("This profile is signed out."). */
  noKeyReason?: string;
}

let nextReport = 0;

export async function runConnectionTest(services: Pick<Services, 'certificatePins' | 'context' | 'credentials' | 'health' | 'log' | 'makeClient' | 'store'>, target: ConnectionTestTarget): Promise<ConnectionTest> {
  const proxy = chooseProxy(new URL(target.serverUrl), proxySettings());
  const diagnostic = await runConnectionDiagnostic({
    serverUrl: target.serverUrl,
    client: services.makeClient(target.serverUrl, target.apiKey),
    // The clients' pins, to name the pin that trusted a server.
    tls: tlsOptions(services.certificatePins),
    proxy,
    ...(target.noKeyReason ? { noKeyReason: target.noKeyReason } : {}),
  });
  const redactor = new Redactor();
  redactor.add(target.apiKey);
  if (proxy.url?.password) redactor.add(decodeURIComponent(proxy.url.password));
  const context: Fact[] = [
    { label: l10n.t('Extension'), value: `${services.context.extension.id} ${(services.context.extension.packageJSON as { version?: string }).version ?? ''}`.trim() },
    { label: 'VS Code', value: vscode.env.remoteName ? l10n.t('{0} (remote: {1})', vscode.version, vscode.env.remoteName) : vscode.version },
  ];
  const report = diagnosticReportText(diagnostic, redactor, context);
  return { diagnostic, report, view: diagnosticView(diagnostic, redactor, `report-${++nextReport}`) };
}

export interface ConnectionReport {
  ok: boolean;
  serverUrl?: string;
  /** The server answered /health. */
  reachable: boolean;
  user?: User;
  error?: { kind: string; message: string; fix?: string };
  /** Every step with its status, detail and duration (src/services/connectionCheck/connectionDiagnostic.ts). */
  diagnostic?: ConnectionDiagnostic;
  /** The redacted text Copy report puts on the clipboard. */
  report?: string;
  /** The same steps as the Profile Manager shows them. */
  view?: DiagnosticView;
}

/**
 * What to test: the credential in use; an extension profile (its key, and its "verified" mark);
 * or a server with the key given, if any (a CLI profile, or a server URL before signing in).
 */
export type ConnectionTarget =
  | { kind: 'inUse' }
  | { kind: 'profile'; profileId: string }
  | { kind: 'server'; serverUrl: string; apiKey?: string; noKeyReason?: string };

export async function checkConnection(services: Pick<Services, 'certificatePins' | 'context' | 'credentials' | 'health' | 'log' | 'makeClient' | 'store'>, target: ConnectionTarget): Promise<ConnectionReport> {
  let serverUrl: string | undefined;
  let key: string | undefined;
  let noKeyReason: string | undefined;
  if (target.kind === 'profile') {
    const profile = services.store.get(target.profileId);
    serverUrl = profile?.serverUrl;
    key = profile ? await services.store.getKey(profile.id) : undefined;
    if (!key) noKeyReason = l10n.t('This profile is signed out.');
  } else if (target.kind === 'server') {
    ({ serverUrl, apiKey: key, noKeyReason } = target);
  } else {
    const credential = (await services.credentials.refresh()).credential;
    serverUrl = credential?.serverUrl;
    key = credential?.apiKey;
  }
  if (!serverUrl) return { ok: false, reachable: false, error: { kind: 'bad-input', message: l10n.t('Not signed in to CoderFlow.'), fix: l10n.t('Sign in from the Profile Manager.') } };
  const { diagnostic, report, view } = await runConnectionTest(services, { serverUrl, ...(key ? { apiKey: key } : {}), ...(noKeyReason ? { noKeyReason } : {}) });
  const reachable = diagnostic.steps.some((step) => step.id === 'health' && step.status === 'ok');
  const failure = diagnostic.failure;
  const error = failure ? { kind: failure.kind, message: failure.message, ...(failure.fix ? { fix: failure.fix } : {}) } : undefined;
  // What the server said about the credential in use is what the status bar shows.
  if (target.kind === 'inUse' && key !== undefined) services.health.observe(diagnostic.user ? undefined : failure ? { kind: failure.kind } : undefined);
  if (diagnostic.user && target.kind !== 'server') {
    const id = target.kind === 'profile' ? target.profileId : services.credentials.credential?.source === 'profile' ? services.store.selectedId() : undefined;
    if (id) await services.store.markVerified(id, { username: diagnostic.user.username, ...(diagnostic.user.displayName ? { displayName: diagnostic.user.displayName } : {}) });
  }
  return {
    ok: diagnostic.ok,
    serverUrl,
    reachable,
    ...(diagnostic.user ? { user: diagnostic.user } : {}),
    ...(error ? { error } : {}),
    diagnostic,
    report,
    view,
  };
}

/** The palette's Test Connection: asks for a server when not signed in, then shows every step in a modal. */
export async function testConnectionCommand(services: Pick<Services, 'certificatePins' | 'context' | 'credentials' | 'health' | 'log' | 'makeClient' | 'store'>, args: { profileId?: string; serverUrl?: string; quiet?: boolean }): Promise<ConnectionReport | undefined> {
  let serverUrl = args.serverUrl;
  if (!args.profileId && !serverUrl && !args.quiet && !(await services.credentials.refresh()).credential) {
    // Not signed in: test a server before signing in, as the Profile Manager's form does.
    serverUrl = await ask({
      title: l10n.t('CoderFlow: Test Connection'),
      prompt: l10n.t('Not signed in. Test the connection to which CoderFlow server?'),
      value: defaultServerUrl() ?? '',
      placeholder: 'https://coderflow.example.com',
      accept: async (value) => {
        try {
          normalizeServerUrl(value);
          return undefined;
        } catch (e) {
          return errorText(e);
        }
      },
    });
    if (serverUrl === undefined) return undefined;
    serverUrl = normalizeServerUrl(serverUrl);
  }
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: l10n.t('CoderFlow: testing the connection…') },
    () => checkConnection(services, args.profileId ? { kind: 'profile', profileId: args.profileId } : serverUrl ? { kind: 'server', serverUrl } : { kind: 'inUse' }),
  );
  services.log.info(report.report ?? `Test connection: ${report.error?.message ?? 'failed'}`);
  if (!args.quiet) void showReport(services, report);
  return report;
}

/**
 * A modal: VS Code's own dialog, themed, read by screen readers and used from the keyboard, with
 * every step in its detail and Copy Report, which puts the redacted report on the clipboard.
 */
async function showReport(services: Pick<Services, 'certificatePins' | 'context' | 'credentials' | 'health' | 'log' | 'makeClient' | 'store'>, report: ConnectionReport): Promise<void> {
  const roles = report.user ? (report.user.roles.length ? report.user.roles.join(', ') : l10n.t('none')) : '';
  const summary = report.ok
    ? report.user
      ? l10n.t('CoderFlow: connected to {0} as {1} (roles: {2}).', String(report.serverUrl), report.user.username, roles)
      : l10n.t('CoderFlow: {0} answers; every check passed.', String(report.serverUrl))
    : l10n.t('CoderFlow: {0}', report.error?.message ?? l10n.t('The connection failed.'));
  const copy = l10n.t('Copy Report');
  const detail = report.report?.split('\n').slice(1).join('\n');
  const show = report.ok ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  const choice = await show(summary, { modal: true, ...(detail ? { detail } : {}) }, ...(report.report ? [copy] : []));
  if (choice === copy && report.report) {
    await vscode.env.clipboard.writeText(report.report);
    services.log.info('Test connection: the report was copied to the clipboard.');
    void vscode.window.showInformationMessage(l10n.t('CoderFlow: the connection report is on the clipboard (your key is not in it).'));
  }
}
