import type { ThemedChart } from '../common/charts';
import { element } from '../common/dom';
import { spanText, xOf } from './axisChoice';
import { lineChart } from './lineChart';
import { errorText, type Section, type SectionContext } from './sectionContext';

/** Hotkeys added / removed / changed per snapshot, and slots used over the range. */
export function churnSection(context: SectionContext): Section {
  const churnCanvas = element('canvas');
  churnCanvas.setAttribute('role', 'img');
  churnCanvas.setAttribute('aria-label', 'Churn per snapshot');
  const slotsCanvas = element('canvas');
  slotsCanvas.setAttribute('role', 'img');
  slotsCanvas.setAttribute('aria-label', 'Slots used');
  const registrations = element('p', { className: 'note' });
  let charts: ThemedChart<'line'>[] = [];
  return {
    id: 'churn',
    label: 'Churn',
    element: element('section', { className: 'section' },
      element('h3', { text: 'Hotkeys added, removed and replaced per snapshot' }), element('div', { className: 'chart-box' }, churnCanvas),
      element('h3', { text: 'Slots used' }), element('div', { className: 'chart-box' }, slotsCanvas), registrations),
    async load() {
      try {
        const history = await context.messenger.request('churnHistory', context.range());
        for (const chart of charts) chart.dispose();
        const axis = context.xAxis();
        const churn = (pick: (point: (typeof history.churn)[number]) => number) => history.churn.map((point) => ({ x: xOf(point, axis), y: pick(point) }));
        churnCanvas.setAttribute('aria-label', `Churn per snapshot, ${spanText(history.churn.map((point) => xOf(point, axis)), axis)}`);
        slotsCanvas.setAttribute('aria-label', `Slots used, ${spanText(history.slots.map((point) => xOf(point, axis)), axis)}`);
        charts = [
          lineChart(churnCanvas, [
            { label: 'added', colourKey: 'added', points: churn((p) => p.added) },
            { label: 'removed', colourKey: 'removed', points: churn((p) => p.removed) },
            { label: 'replaced', colourKey: 'replaced', points: churn((p) => p.changed) },
          ], 'hotkeys', axis),
          lineChart(slotsCanvas, [
            { label: 'validators', colourKey: 'validators', points: history.slots.map((p) => ({ x: xOf(p, axis), y: p.occupancy.validators.used })) },
            { label: 'miners', colourKey: 'miners', points: history.slots.map((p) => ({ x: xOf(p, axis), y: p.occupancy.miners.used })) },
          ], 'slots used', axis),
        ];
        const days = history.registrationsPerDay;
        registrations.textContent = days.length === 0 ? 'No registrations seen after the first stored day.'
          : `Registrations per day: ${days.map((day) => `${new Date(day.day * 86_400_000).toISOString().slice(0, 10)}: ${day.registrations}`).join(', ')}`;
      } catch (error) {
        context.say(`Could not read the churn: ${errorText(error)}`);
      }
    },
  };
}
