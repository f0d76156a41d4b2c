import { element } from '../common/dom';
import type { TraceGroup } from './traceGroups';

/** The graph's legend: one entry per group, its swatch coloured and shaped by a class (media/trace.css), no inline style. */
export function legend(groups: Readonly<Record<TraceGroup, { readonly legend: string; readonly shape?: string }>>): HTMLElement {
  const list = element('ul', { className: 'legend' });
  list.setAttribute('aria-label', 'Legend');
  for (const [group, info] of Object.entries(groups)) {
    const swatch = element('span', { className: `swatch swatch-${group} shape-${info.shape ?? 'dot'}` });
    swatch.setAttribute('aria-hidden', 'true');
    list.append(element('li', {}, swatch, element('span', { text: info.legend })));
  }
  return list;
}
