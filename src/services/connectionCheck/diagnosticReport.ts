// Test connection's outcome as the plain-text report for a support ticket.
import type { Redactor } from '../../core/redact';
import type { ConnectionDiagnostic, Fact, StepStatus } from './diagnosticStep';
import * as l10n from '@vscode/l10n';

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
