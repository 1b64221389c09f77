// Test connection's steps on the page. A bundle of its own (dist/webview/diagnostic.js and .css),
// loaded by diagnosticLoader.ts on the first result: most visits never test a connection, and the
// page's first load stays within its size budget.
import './diagnosticSteps.css';
import * as l10n from '@vscode/l10n';
import { h, icon } from './dom';
import { useTranslations } from './scriptTranslations';
import type { DiagnosticView } from '../src/shared/webviewProtocol';

type Status = DiagnosticView['steps'][number]['status'];

// Each status is said in words, not only by an icon or a colour. Icons are named literally,
// `icon('name')`: the build keeps the codicon rules it finds named so. A function: the
// translations are configured after this bundle loads (useTranslations, from the page).
const statuses = (): Record<Status, { text: string; icon: () => HTMLElement }> => ({
  ok: { text: l10n.t('OK'), icon: () => icon('pass') },
  warn: { text: l10n.t('Warning'), icon: () => icon('warning') },
  fail: { text: l10n.t('Failed'), icon: () => icon('error') },
  skipped: { text: l10n.t('Skipped'), icon: () => icon('circle-slash') },
});

let sections = 0;

/** The first failed (else warned) step, in a sentence for the live region. */
export function diagnosticSummary(diagnostic: DiagnosticView): string {
  const worst = diagnostic.steps.find((step) => step.status === 'fail') ?? diagnostic.steps.find((step) => step.status === 'warn');
  if (diagnostic.ok && !worst) return l10n.t('Connection test passed: every step is OK.');
  if (!worst) return l10n.t('Connection test failed.');
  return diagnostic.ok
    ? l10n.t('Connection test passed with a warning at {0}: {1}', worst.name, worst.detail)
    : l10n.t('Connection test failed at {0}: {1}', worst.name, worst.detail);
}

/**
 * Test connection's steps, in order, each with its status in words, its time, what was found and
 * what to do; a Copy report button below, which calls `copy` with the report's id.
 */
export function diagnosticSection(diagnostic: DiagnosticView, copy: (reportId: string) => void): HTMLElement {
  const headingId = `diagnostic-${++sections}`;
  const copyButton = h('button', { type: 'button', class: 'button secondary small', 'data-action': 'copyReport' }, icon('copy'), l10n.t('Copy report'));
  copyButton.addEventListener('click', () => copy(diagnostic.reportId));
  const texts = statuses();
  const steps = diagnostic.steps.map((step) => {
    const status = texts[step.status];
    return h(
      'li',
      { class: `diagnostic-step ${step.status}` },
      h(
        'p',
        { class: 'step-head' },
        status.icon(),
        h(
          'span',
          {},
          h('span', { class: 'step-name' }, step.name),
          ' ',
          h('span', { class: 'step-status' }, status.text),
          step.status !== 'skipped' && ' ',
          step.status !== 'skipped' && h('span', { class: 'step-time' }, l10n.t('{0} ms', step.durationMs)),
        ),
      ),
      h('p', { class: 'step-detail' }, step.detail),
      step.facts.length > 0 && h('dl', { class: 'step-facts' }, ...step.facts.flatMap((fact) => [h('dt', {}, fact.label), h('dd', {}, fact.value)])),
      step.fix && h('p', { class: 'step-fix' }, h('strong', {}, l10n.t('What to do:')), ' ', step.fix),
    );
  });
  return h(
    'section',
    { class: `diagnostic ${diagnostic.ok ? 'ok' : 'fail'}`, 'aria-labelledby': headingId, 'data-report-id': diagnostic.reportId },
    h('h3', { id: headingId, class: 'diagnostic-heading' }, diagnostic.ok ? l10n.t('Connection test passed') : l10n.t('Connection test failed')),
    h('ol', { class: 'diagnostic-steps' }, ...steps),
    h('div', { class: 'actions' }, copyButton, h('span', { class: 'copy-status hint', 'data-report-status': diagnostic.reportId })),
  );
}

export type DiagnosticModule = {
  diagnosticSection: typeof diagnosticSection;
  diagnosticSummary: typeof diagnosticSummary;
  useTranslations: typeof useTranslations;
};

(window as unknown as { coderflowDiagnostic?: DiagnosticModule }).coderflowDiagnostic = { diagnosticSection, diagnosticSummary, useTranslations };
