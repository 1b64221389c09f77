// The Add profile form's API key tab: the key field with its shape warning and hint, Save key and Cancel.
import * as l10n from '@vscode/l10n';
import { h, icon } from './dom';
import { Field } from './field';
import { keyShape, keyShapeWarning } from './keyShape';
import type { TabSpec } from './tabs';
import type { Answer, FormField } from '../src/shared/webviewProtocol';
import type { Request } from './vscodeApi';

export class ApiKeySection {
  readonly apiKey: Field;
  readonly saveButton: HTMLButtonElement;
  /** Shown while the server checks the key: aborts that check on the host. */
  readonly cancelButton: HTMLButtonElement;
  readonly tab: TabSpec<'apiKey'>;
  private readonly warning: HTMLParagraphElement;

  constructor() {
    const label = l10n.t('API key');
    this.apiKey = new Field('apiKey', label, { type: 'password', autocomplete: 'off', placeholder: 'pc_…' });
    this.warning = h('p', { id: 'apiKey-warning', class: 'field-warning', hidden: true });
    this.apiKey.addNote(this.warning);
    this.apiKey.addNote(
      h('p', { id: 'apiKey-hint', class: 'hint' }, l10n.t('A personal API key from CoderFlow or {0}. It is kept in VS Code’s secret storage and not shown again.', 'coder login')),
    );
    this.saveButton = h('button', { type: 'button', class: 'button' }, l10n.t('Save key'));
    this.cancelButton = h('button', { type: 'button', class: 'button secondary', hidden: true }, l10n.t('Cancel'));
    const panel = h('div', { class: 'panel' }, this.apiKey.element, h('div', { class: 'actions' }, this.saveButton, this.cancelButton));
    this.tab = { id: 'apiKey', label, panel };
    this.apiKey.input.addEventListener('input', () => this.showWarning());
  }

  /** What is missing before the key can be checked. */
  problems(): Array<[FormField, string]> {
    return this.apiKey.value.trim() === '' ? [['apiKey', l10n.t('Paste your API key.')]] : [];
  }

  save(request: Request, base: { profileName: string; serverUrl: string }): Promise<Answer<'saveApiKey'>> {
    return request('saveApiKey', { ...base, apiKey: this.apiKey.value.trim() });
  }

  /** Warns under the field when what was pasted does not look like a CoderFlow key. */
  showWarning(): void {
    const warning = keyShapeWarning(keyShape(this.apiKey.value));
    this.warning.replaceChildren(...(warning ? [icon('warning'), h('span', {}, warning)] : []));
    this.warning.hidden = warning === undefined;
    this.apiKey.refreshDescription();
  }
}
