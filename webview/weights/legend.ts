import { element } from '../common/dom';
import { colourAt, type Palette } from './palette';

export interface LegendStop {
  /** Colour position 0–1. */
  readonly at: number;
  readonly label: string;
}

/**
 * A colour legend: a gradient strip (decorative: the stops repeat it as text) and its labelled stops. Rebuilt,
 * not patched, on every matrix and theme change; it is a handful of nodes.
 */
export function legend(title: string, stops: readonly LegendStop[], palette: Palette): HTMLElement {
  const width = 180;
  const strip = element('canvas', { className: 'legend-strip' });
  strip.width = width;
  strip.height = 10;
  strip.setAttribute('aria-hidden', 'true');
  const context = strip.getContext('2d');
  if (context) {
    for (let x = 0; x < width; x++) {
      context.fillStyle = colourAt(palette, x / (width - 1));
      context.fillRect(x, 0, 1, 10);
    }
  }
  const labels = element('div', { className: 'legend-stops' }, ...stops.map((stop) => element('span', { text: stop.label })));
  const box = element('div', { className: 'legend' }, element('span', { className: 'legend-title', text: title }), element('div', { className: 'legend-scale' }, strip, labels));
  box.setAttribute('aria-label', `${title}: ${stops.map((stop) => stop.label).join(', ')}`);
  box.setAttribute('role', 'group');
  return box;
}
