// The Add profile heading: plain text while no profile is listed; with profiles, the button that
// folds and unfolds the form below it.
import * as l10n from '@vscode/l10n';
import { h, icon } from './dom';

export class AddProfileHeading {
  readonly element: HTMLHeadingElement;
  private readonly text: HTMLSpanElement;
  private readonly toggle: HTMLButtonElement;
  /** Profiles are listed: the form folds behind its Add profile button unless opened. */
  private foldable = false;
  private expanded = false;

  /** `body` is what folds; `inUse` says whether the person is filling it in. */
  constructor(
    private readonly body: HTMLElement,
    private readonly inUse: () => boolean,
  ) {
    // Without profiles the heading is plain text; with profiles it holds the button that unfolds
    // the form (the WAI-ARIA Authoring Practices' disclosure pattern), so the region and the form
    // keep the name "Add profile" either way.
    this.text = h('span', {}, l10n.t('Add profile'));
    this.toggle = h(
      'button',
      { type: 'button', class: 'button secondary fold-toggle', 'aria-expanded': 'true', 'aria-controls': body.id, hidden: true },
      icon('chevron-right', 'fold-icon'),
      l10n.t('Add profile'),
    );
    this.toggle.addEventListener('click', () => {
      this.expanded = !this.expanded;
      this.render();
    });
    this.element = h('h2', { id: 'add-heading', tabindex: '-1' }, this.text, this.toggle);
  }

  /** With at least one profile listed the form folds behind Add profile, unless it is in use. */
  setFoldable(foldable: boolean): void {
    if (foldable === this.foldable) return;
    this.foldable = foldable;
    // Profiles can appear while the person is filling the form (another window signed in).
    if (foldable) this.expanded = this.inUse();
    this.render();
  }

  unfold(): void {
    this.expanded = true;
    this.render();
  }

  fold(): void {
    this.expanded = false;
    this.render();
  }

  private render(): void {
    const folded = this.foldable && !this.expanded;
    const hadFocus = this.body.contains(document.activeElement);
    this.text.hidden = this.foldable;
    this.toggle.hidden = !this.foldable;
    this.toggle.setAttribute('aria-expanded', String(!folded));
    this.body.hidden = folded;
    // Focus inside what is now hidden would fall back to the page's top.
    if (folded && hadFocus) this.toggle.focus();
  }
}
