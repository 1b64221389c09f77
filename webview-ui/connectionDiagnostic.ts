// Test connection's steps on the page. A bundle of its own (dist/webview/diagnostic.js and .css),
// loaded by diagnosticLoader.ts on the first result: most visits never test a connection, and the
// page's first load stays within its size budget.
import './connectionDiagnostic.css';
import { h, icon } from './dom';
import type { DiagnosticView, ToHost } from '../src/webviewProtocol';

type Status = DiagnosticView['steps'][number]['status'];

// Each status is said in words, not only by an icon or a colour. Icons are named literally,
// `icon('name')`: the build keeps the codicon rules it finds named so.
const statuses: Record<Status, { text: string; icon: () => HTMLElement }> = {
  ok: { text: 'OK', icon: () => icon('pass') },
  warn: { text: 'Warning', icon: () => icon('warning') },
  fail: { text: 'Failed', icon: () => icon('error') },
  skipped: { text: 'Skipped', icon: () => icon('circle-slash') },
};

let sections = 0;

/** The first failed (else warned) step, in a sentence for the live region. */
export function diagnosticSummary(diagnostic: DiagnosticView): string {
  const worst = diagnostic.steps.find((step) => step.status === 'fail') ?? diagnostic.steps.find((step) => step.status === 'warn');
  if (diagnostic.ok && !worst) return 'Connection test passed: every step is OK.';
  const verdict = diagnostic.ok ? 'Connection test passed with a warning' : 'Connection test failed';
  return worst ? `${verdict} at ${worst.name}: ${worst.detail}` : `${verdict}.`;
}

/**
 * Test connection's steps, in order, each with its status in words, its time, what was found and
 * what to do; a Copy report button below. `post` sends Copy report's request to the host.
 */
export function diagnosticSection(diagnostic: DiagnosticView, post: (message: ToHost) => void): HTMLElement {
  const headingId = `diagnostic-${++sections}`;
  const copy = h('button', { type: 'button', class: 'button secondary small', 'data-action': 'copyReport' }, icon('copy'), 'Copy report');
  copy.addEventListener('click', () => post({ type: 'copyReport', reportId: diagnostic.reportId }));
  const steps = diagnostic.steps.map((step) => {
    const status = statuses[step.status];
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
          step.status !== 'skipped' && h('span', { class: 'step-time' }, `${step.durationMs} ms`),
        ),
      ),
      h('p', { class: 'step-detail' }, step.detail),
      step.facts.length > 0 && h('dl', { class: 'step-facts' }, ...step.facts.flatMap((fact) => [h('dt', {}, fact.label), h('dd', {}, fact.value)])),
      step.fix && h('p', { class: 'step-fix' }, h('strong', {}, 'What to do: '), step.fix),
    );
  });
  return h(
    'section',
    { class: `diagnostic ${diagnostic.ok ? 'ok' : 'fail'}`, 'aria-labelledby': headingId, 'data-report-id': diagnostic.reportId },
    h('h3', { id: headingId, class: 'diagnostic-heading' }, `Connection test ${diagnostic.ok ? 'passed' : 'failed'}`),
    h('ol', { class: 'diagnostic-steps' }, ...steps),
    h('div', { class: 'actions' }, copy, h('span', { class: 'copy-status hint', 'data-report-status': diagnostic.reportId })),
  );
}

export type DiagnosticModule = { diagnosticSection: typeof diagnosticSection; diagnosticSummary: typeof diagnosticSummary };

(window as unknown as { coderflowDiagnostic?: DiagnosticModule }).coderflowDiagnostic = { diagnosticSection, diagnosticSummary };
