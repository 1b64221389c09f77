import './field.css';
import { h, icon, replaceChildren } from './dom';
import type { Problem } from '../src/shared/webviewProtocol';

/**
 * A labelled input with its notes (hints, warnings, the probe's verdict) and its inline error.
 * `aria-describedby` lists only what is on screen: a hidden element referenced there would still
 * be read out.
 */
export class Field {
  readonly element: HTMLDivElement;
  readonly input: HTMLInputElement;
  private readonly error: HTMLParagraphElement;
  private readonly notes: HTMLElement[] = [];

  constructor(
    readonly id: string,
    label: string,
    attributes: Record<string, string | boolean | undefined>,
  ) {
    this.input = h('input', { id, name: id, spellcheck: 'false', 'aria-required': 'true', ...attributes });
    this.error = h('p', { id: `${id}-error`, class: 'field-error', hidden: true });
    this.element = h('div', { class: 'field' }, h('label', { for: id }, label), this.input, this.error);
    this.input.addEventListener('input', () => this.clearError());
  }

  get value(): string {
    return this.input.value;
  }

  set value(value: string) {
    this.input.value = value;
  }

  /** Places an element under the input and describes the input with it while it is shown. */
  addNote(note: HTMLElement): void {
    this.notes.push(note);
    this.element.appendChild(note);
    this.refreshDescription();
  }

  showError(problem: Problem): void {
    replaceChildren(
      this.error,
      icon('error'),
      h('span', { class: 'message' }, problem.message),
      problem.fix ? h('span', { class: 'fix' }, problem.fix) : undefined,
    );
    this.error.hidden = false;
    this.input.setAttribute('aria-invalid', 'true');
    this.refreshDescription();
  }

  clearError(): void {
    if (this.error.hidden) return;
    this.error.hidden = true;
    this.error.replaceChildren();
    this.input.removeAttribute('aria-invalid');
    this.refreshDescription();
  }

  get hasError(): boolean {
    return !this.error.hidden;
  }

  refreshDescription(): void {
    const ids = [this.error, ...this.notes].filter((element) => !element.hidden).map((element) => element.id);
    if (ids.length > 0) this.input.setAttribute('aria-describedby', ids.join(' '));
    else this.input.removeAttribute('aria-describedby');
  }
}
