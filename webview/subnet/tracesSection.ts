import type { TraceField } from '../../src/protocol/bittensorProtocol';
import type { ThemedChart } from '../common/charts';
import { element } from '../common/dom';
import { shortKey } from './keyColours';
import { lineChart } from './lineChart';
import { errorText, type Section, type SectionContext } from './sectionContext';
import { movingAverage } from './smoothing';

const FIELDS: readonly TraceField[] = ['stake', 'incentive', 'dividends', 'emission', 'trust', 'consensus'];

/** Per-hotkey traces of one field for the top N, one line per hotkey coloured by its coldkey. */
export function tracesSection(context: SectionContext): Section {
  const field = element('select');
  field.id = 'trace-field';
  for (const name of FIELDS) field.append(Object.assign(element('option', { text: name }), { value: name }));
  const label = element('label', { text: 'Field' });
  label.htmlFor = field.id;
  const smoothing = element('select');
  smoothing.id = 'trace-smoothing';
  for (const [value, text] of [['1', 'none'], ['5', '5 points'], ['20', '20 points']]) smoothing.append(Object.assign(element('option', { text }), { value }));
  const smoothingLabel = element('label', { text: 'Smoothing' });
  smoothingLabel.htmlFor = smoothing.id;
  const note = element('p', { className: 'note', text: 'The top N hotkeys by the field; one colour per coldkey. Points before the raw window are daily rollups.' });
  const canvas = element('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', 'Traces');
  const box = element('div', { className: 'chart-box' }, canvas);
  const empty = element('p', { className: 'empty', text: 'No stored snapshot in this range.' });
  empty.hidden = true;
  let chart: ThemedChart<'line'> | undefined;
  const smoothed = (points: readonly { block: number; value: number | null }[]) => {
    const values = movingAverage(points.map((point) => point.value), Number(smoothing.value));
    return points.map((point, i) => ({ x: point.block, y: values[i] }));
  };
  const section: Section = {
    id: 'traces',
    label: 'Traces',
    element: element('section', { className: 'section' }, element('div', { className: 'toolbar' }, label, field, smoothingLabel, smoothing), note, empty, box),
    async load() {
      try {
        const traces = await context.messenger.request('traces', { field: field.value as TraceField, top: context.top(), ...context.range() });
        chart?.dispose();
        chart = undefined;
        empty.hidden = traces.series.length > 0;
        canvas.setAttribute('aria-label', `${traces.field} of ${traces.series.length} hotkeys`);
        if (traces.series.length === 0) return;
        chart = lineChart(canvas, traces.series.map((series) => ({
          label: `${series.uid === null ? '' : `UID ${series.uid} · `}${shortKey(series.hotkey ?? series.key)}`,
          colourKey: series.coldkey ?? series.key,
          points: smoothed(series.points),
        })), traces.field);
      } catch (error) {
        context.say(`Could not read the traces: ${errorText(error)}`);
      }
    },
  };
  field.addEventListener('change', () => void section.load());
  smoothing.addEventListener('change', () => void section.load());
  return section;
}
