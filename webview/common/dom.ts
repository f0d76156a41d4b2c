/** Creates an element with text content only: untrusted strings never pass through innerHTML. */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, options: { className?: string; text?: string; title?: string } = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.title !== undefined) node.title = options.title;
  for (const child of children) node.append(child);
  return node;
}
