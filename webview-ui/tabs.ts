import './tabs.css';
import { h } from './dom';

export interface TabSpec<T extends string> {
  id: T;
  label: string;
  panel: HTMLElement;
}

/**
 * An ARIA tablist (WAI-ARIA Authoring Practices, automatic activation): one tab in the Tab order,
 * Left/Right/Home/End move between the tabs that are offered and select them.
 */
export class Tabs<T extends string> {
  readonly list: HTMLDivElement;
  private readonly tabs = new Map<T, HTMLButtonElement>();
  private readonly panels = new Map<T, HTMLElement>();
  private readonly order: T[];
  private selected: T;

  constructor(
    label: string,
    specs: ReadonlyArray<TabSpec<T>>,
    private readonly onSelect: (id: T) => void,
  ) {
    this.order = specs.map((spec) => spec.id);
    this.selected = this.order[0];
    this.list = h('div', { role: 'tablist', 'aria-label': label, class: 'tabs' });
    for (const spec of specs) {
      const tab = h('button', {
        type: 'button',
        role: 'tab',
        id: `tab-${spec.id}`,
        'aria-controls': `panel-${spec.id}`,
        class: 'tab',
      }, spec.label);
      tab.addEventListener('click', () => this.select(spec.id));
      tab.addEventListener('keydown', (event) => this.onKeyDown(event, spec.id));
      spec.panel.id = `panel-${spec.id}`;
      spec.panel.setAttribute('role', 'tabpanel');
      spec.panel.setAttribute('aria-labelledby', tab.id);
      this.tabs.set(spec.id, tab);
      this.panels.set(spec.id, spec.panel);
      this.list.appendChild(tab);
    }
    this.render();
  }

  get current(): T {
    return this.selected;
  }

  isAvailable(id: T): boolean {
    return !this.tabs.get(id)?.hidden;
  }

  /** Offers or withdraws a tab; withdrawing the selected one selects the first one left. */
  setAvailable(id: T, available: boolean): void {
    const tab = this.tabs.get(id);
    if (!tab || tab.hidden === !available) return;
    tab.hidden = !available;
    if (!available && this.selected === id) {
      const first = this.order.find((candidate) => this.isAvailable(candidate));
      if (first) this.select(first);
      return;
    }
    this.render();
  }

  select(id: T, options: { focus?: boolean } = {}): void {
    if (!this.isAvailable(id)) return;
    const changed = this.selected !== id;
    this.selected = id;
    this.render();
    if (options.focus) this.tabs.get(id)?.focus();
    if (changed) this.onSelect(id);
  }

  private render(): void {
    for (const [id, tab] of this.tabs) {
      const selected = id === this.selected;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      const panel = this.panels.get(id);
      if (panel) panel.hidden = !selected;
    }
  }

  private onKeyDown(event: KeyboardEvent, from: T): void {
    const available = this.order.filter((id) => this.isAvailable(id));
    const index = available.indexOf(from);
    let next: T | undefined;
    switch (event.key) {
      case 'ArrowRight':
        next = available[(index + 1) % available.length];
        break;
      case 'ArrowLeft':
        next = available[(index - 1 + available.length) % available.length];
        break;
      case 'Home':
        next = available[0];
        break;
      case 'End':
        next = available[available.length - 1];
        break;
      default:
        return;
    }
    event.preventDefault();
    if (next !== undefined) this.select(next, { focus: true });
  }
}
