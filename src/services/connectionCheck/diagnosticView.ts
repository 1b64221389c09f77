// Test connection's steps as the Profile Manager page receives them. Free of `vscode`, so that the
// component tests render what a real diagnostic produced.
import type { ConnectionDiagnostic } from './diagnosticStep';
import type { Redactor } from '../../core/redact';
import type { DiagnosticView } from '../../shared/webviewProtocol';

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** What the Profile Manager is sent: every text through the redactor, within the page's limits. */
export function diagnosticView(diagnostic: ConnectionDiagnostic, redactor: Redactor, reportId: string): DiagnosticView {
  const clean = (text: string, max: number) => clip(redactor.redact(text), max);
  return {
    reportId,
    serverUrl: clip(diagnostic.serverUrl, 2048),
    startedAt: diagnostic.startedAt,
    ok: diagnostic.ok,
    steps: diagnostic.steps.map((step) => ({
      id: step.id,
      name: step.name,
      status: step.status,
      detail: clean(step.detail, 2000),
      ...(step.fix ? { fix: clean(step.fix, 1000) } : {}),
      durationMs: Math.min(step.durationMs, 3_600_000),
      facts: step.facts.slice(0, 20).map((fact) => ({ label: clip(fact.label, 100), value: clean(fact.value, 2000) })),
    })),
  };
}
