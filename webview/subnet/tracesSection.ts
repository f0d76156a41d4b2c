import type { TraceField } from '../../src/protocol/bittensorProtocol';
import type { ThemedChart } from '../common/charts';
import { element, labelFor } from '../common/dom';
import { spanText, xOf } from './axisChoice';
import { colourCount, colourKeyOf } from './colourBy';
import { shortKey } from './keyColours';
import { lineChart } from './lineChart';
import { errorText, type Section, type SectionContext } from './sectionContext';
import { movingAverage } from './smoothing';

const FIELDS: readonly TraceField[] = ['stake', 'incentive', 'dividends', 'emission', 'trust', 'consensus'];

/** Per-hotkey traces of one field for the top N, one line per hotkey coloured by its coldkey, hotkey or axon IP. */
export function tracesSection(context: SectionContext): Section {
  const field = element('select');
  field.id = 'trace-field';
  for (const name of FIELDS) field.append(Object.assign(element('option', { text: name }), { value: name }));
  const label = labelFor(field, 'Field');
  const smoothing = element('select');
  smoothing.id = 'trace-smoothing';
  for (const [value, text] of [['1', 'none'], ['5', '5 points'], ['20', '20 points']]) smoothing.append(Object.assign(element('option', { text }), { value }));
  const smoothingLabel = labelFor(smoothing, 'Smoothing');
  const note = element('p', { className: 'note', text: 'The top N hotkeys by the field; one colour per coldkey, hotkey or axon IP (Colour by). Points before the raw window are daily rollups.' });
  const canvas = element('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', 'Traces');
  const box = element('div', { className: 'chart-box' }, canvas);
  const empty = element('p', { className: 'empty', text: 'No stored snapshot in this range.' });
  empty.hidden = true;
  let chart: ThemedChart<'line'> | undefined;
  const smoothed = (points: readonly { block: number; time: number; value: number | null }[]) => {
    const values = movingAverage(points.map((point) => point.value), Number(smoothing.value));
    const axis = context.xAxis();
    return points.map((point, i) => ({ x: xOf(point, axis), y: values[i] }));
  };
  const section: Section = {
    id: 'traces',
    label: 'Traces',
    element: element('section', { className: 'section' }, element('div', { className: 'toolbar' }, label, field, smoothingLabel, smoothing), note, empty, box),
    async load() {
      try {
        const by = context.colourBy();
        const [traces, ips] = await Promise.all([
          context.messenger.request('traces', { field: field.value as TraceField, top: context.top(), ...context.range() }),
          by === 'ip' ? context.hotkeyIps() : undefined,
        ]);
        chart?.dispose();
        chart = undefined;
        empty.hidden = traces.series.length > 0;
        const lines = traces.series.map((series) => ({
          label: `${series.uid === null ? '' : `UID ${series.uid} · `}${shortKey(series.hotkey ?? series.key)}`,
          colourKey: colourKeyOf(by, { hotkey: series.hotkey ?? series.key, coldkey: series.coldkey ?? series.key }, ips),
          points: smoothed(series.points),
        }));
        // The label says what the chart shows, so that a screen reader (and the e2e test) can tell the grouping and span.
        const xs = lines.flatMap((line) => line.points.map((point) => point.x));
        canvas.setAttribute('aria-label', `${traces.field} of ${traces.series.length} hotkeys, coloured by ${by} (${colourCount(lines.map((line) => line.colourKey))} colours), ${spanText(xs, context.xAxis())}`);
        if (traces.series.length === 0) return;
        chart = lineChart(canvas, lines, traces.field, context.xAxis());
      } catch (error) {
        context.say(`Could not read the traces: ${errorText(error)}`);
      }
    },
  };
  field.addEventListener('change', () => void section.load());
  smoothing.addEventListener('change', () => void section.load());
  return section;
}
