// A small element builder: the page is plain DOM, and CSP forbids inline handlers and styles, so
// attributes are set here and listeners added with addEventListener.

type Attributes = Record<string, string | boolean | undefined>;
type Child = Node | string | false | undefined | null;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : value);
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** A decorative codicon: hidden from assistive technology, which reads the text beside it. */
export function icon(name: string, extraClass = ''): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name} ${extraClass}`.trim(), 'aria-hidden': 'true' });
}

/**
 * Busy buttons stay focusable (aria-disabled, not `disabled`): disabling the button a person just
 * pressed would drop their focus to the top of the page.
 */
export function setBusy(button: HTMLButtonElement, busy: boolean): void {
  if (busy) button.setAttribute('aria-disabled', 'true');
  else button.removeAttribute('aria-disabled');
}

export function isBusy(button: HTMLButtonElement): boolean {
  return button.getAttribute('aria-disabled') === 'true';
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A translated sentence with an element where its `{0}` is: the translation decides the word order. */
export function around(text: string, node: Node): Array<Node | string> {
  const at = text.indexOf('{0}');
  return at < 0 ? [text, node] : [text.slice(0, at), node, text.slice(at + 3)];
}
