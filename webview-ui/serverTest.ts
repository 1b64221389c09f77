import './serverTest.css';
import * as l10n from '@vscode/l10n';
import { h, icon, isBusy, replaceChildren, setBusy } from './dom';
import { loadDiagnostic } from './diagnosticLoader';
import type { RequestResult } from '../src/shared/webviewProtocol';
import type { Request } from './vscodeApi';

/** What the parts of the page that show a connection test need of the host. */
export interface TestHost {
  request: Request;
  announce(text: string): void;
}

/** Copy report: the host copies the report it keeps under that id; the outcome shows next to its button and is read out. */
export function copyReport(host: TestHost, reportId: string): void {
  void host.request('copyReport', { reportId }).then((answer) => {
    const text = answer.ok ? (answer.value.message ?? l10n.t('Report copied.')) : (answer.error?.message ?? l10n.t('The report was not copied.'));
    for (const status of document.querySelectorAll<HTMLElement>('[data-report-status]')) {
      status.textContent = status.dataset.reportStatus === reportId ? text : '';
    }
    host.announce(text);
  });
}

/**
 * Test connection for the Add profile form's Server URL, before signing in: no key is involved.
 * A button under the field, and the steps below it when the host answers.
 */
export class ServerTest {
  readonly element: HTMLDivElement;
  private readonly button: HTMLButtonElement;
  private readonly result: HTMLDivElement;
  private testing: string | undefined;

  constructor(
    private readonly host: TestHost,
    private readonly serverUrl: () => string | { problem: string },
  ) {
    // The profiles' buttons say Test connection too: the accessible name says which this is, and
    // starts with the visible text (WCAG 2.5.3, label in name).
    this.button = h('button', { type: 'button', class: 'button secondary small', 'data-action': 'testServer', 'aria-label': l10n.t('Test connection to the server URL') }, l10n.t('Test connection'));
    this.button.addEventListener('click', () => this.run());
    this.result = h('div', { class: 'server-test-result' });
    this.element = h('div', { class: 'server-test' }, h('div', { class: 'actions' }, this.button), this.result);
  }

  private onResult(message: RequestResult<'testServer'>): void {
    if (message.serverUrl !== this.testing) return;
    this.testing = undefined;
    replaceChildren(this.button, l10n.t('Test connection'));
    setBusy(this.button, false);
    const diagnostic = message.diagnostic;
    if (diagnostic) {
      void loadDiagnostic().then(
        (view) => {
          replaceChildren(this.result, view.diagnosticSection(diagnostic, (reportId) => copyReport(this.host, reportId)));
          this.host.announce(view.diagnosticSummary(diagnostic));
        },
        () => this.showProblem({ message: l10n.t('The connection test’s result could not be shown.'), fix: l10n.t('Reload the view and test again.') }),
      );
    } else {
      this.showProblem(message.error ?? { message: l10n.t('The connection test did not run.') });
    }
  }

  private showProblem(problem: { message: string; fix?: string }): void {
    replaceChildren(this.result, h('p', { class: 'profile-status error' }, icon('error'), h('span', {}, problem.message, problem.fix ? ` ${problem.fix}` : '')));
    this.host.announce(problem.message);
  }

  /** The field changed: an earlier result is about another address. */
  clear(): void {
    if (this.testing === undefined) this.result.replaceChildren();
  }

  private run(): void {
    if (isBusy(this.button)) return;
    const url = this.serverUrl();
    if (typeof url !== 'string') return this.showProblem({ message: url.problem });
    this.testing = url;
    this.result.replaceChildren();
    replaceChildren(this.button, icon('loading', 'codicon-modifier-spin'), l10n.t('Testing…'));
    setBusy(this.button, true);
    this.host.announce(l10n.t('Testing the connection to {0}…', url));
    void this.host.request('testServer', { serverUrl: url }).then((answer) => {
      if (answer.ok) this.onResult(answer.value);
      else this.onResult({ serverUrl: url, ...(answer.error ? { error: answer.error } : {}) });
    });
  }
}
