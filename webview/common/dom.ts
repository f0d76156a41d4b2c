/** Creates an element with text content only: untrusted strings never pass through innerHTML. */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, options: { className?: string; text?: string; title?: string } = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.title !== undefined) node.title = options.title;
  for (const child of children) node.append(child);
  return node;
}

/** A label naming a form control by its id (given before this call): it focuses the control and is its accessible name. */
export function labelFor(control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, text: string): HTMLLabelElement {
  const label = element('label', { text });
  label.htmlFor = control.id;
  return label;
}
