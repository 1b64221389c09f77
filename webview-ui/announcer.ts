import { h } from './dom';

/** One polite live region for progress and outcomes that have no field to sit next to. */
export class Announcer {
  readonly element = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  private timer: ReturnType<typeof setTimeout> | undefined;

  announce(text: string): void {
    // Emptying first and writing on the next tick makes screen readers repeat an identical text.
    this.element.textContent = '';
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.element.textContent = text;
      this.timer = undefined;
    }, 50);
  }
}
