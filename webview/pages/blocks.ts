import { element } from '../common/dom';

/** The building blocks every page uses: a titled section and a list of facts (label → value). */

export function section(title: string, ...children: Node[]): HTMLElement {
  const box = element('section', { className: 'page-section' }, element('h2', { text: title }), ...children);
  box.setAttribute('aria-label', title);
  return box;
}

export type Fact = readonly [label: string, value: Node | string];

export function facts(rows: readonly Fact[]): HTMLDListElement {
  const list = element('dl', { className: 'facts' });
  for (const [label, value] of rows) {
    const dd = element('dd');
    dd.append(value);
    list.append(element('dt', { text: label }), dd);
  }
  return list;
}

/** A view of one page type, kept while the panel shows pages of that subject, so live updates keep its sort and canvas. */
export interface PageView<T> {
  readonly element: HTMLElement;
  render(page: T): void;
  dispose(): void;
}
