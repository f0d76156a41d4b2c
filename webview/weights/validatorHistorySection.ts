import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { ValidatorWeightsHistory, WeightsView } from '../../src/protocol/bittensorProtocol';
import { themedChart, type ThemedChart } from '../common/charts';
import { element } from '../common/dom';
import { dataTable } from './agreementTables';
import { percentText, shortHotkey } from './matrixGrid';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

/** Each point is a chain read of a whole matrix: a remote archive node may take seconds per point. */
const REQUEST_TIMEOUT_MS = 120_000;
const MAX_POINTS = 16;
const TOP = 10;

export type HistoryRequest = (hotkey: string, top: number, maxPoints: number, timeoutMs: number) => Promise<ValidatorWeightsHistory>;

/**
 * A validator's weights over the stored snapshots: choose a validator (the matrix's rows with a known hotkey), get
 * its weights to the targets it weighted most at each stored block, as lines and as a table.
 */
export class ValidatorHistorySection {
  readonly element: HTMLElement;
  private readonly select = element('select');
  private readonly show = element('button', { text: 'Show', className: 'secondary' });
  private readonly status = element('span', { className: 'status' });
  private readonly canvas = element('canvas');
  private readonly chartBox = element('div', { className: 'chart-box' }, this.canvas);
  private readonly tableBox = element('div');
  private chart: ThemedChart<'line'> | undefined;
  private asked = 0;

  constructor(private readonly request: HistoryRequest) {
    this.select.id = 'history-validator';
    const label = element('label', { text: 'Validator' });
    label.htmlFor = this.select.id;
    this.status.setAttribute('role', 'status');
    this.canvas.setAttribute('role', 'img');
    this.chartBox.hidden = true;
    this.show.addEventListener('click', () => void this.load());
    this.element = element('section', { className: 'validator-history' },
      element('h2', { text: 'A validator\'s weights over time' }),
      element('p', { className: 'note', text: `Its weights at the stored snapshots (up to ${MAX_POINTS}, spread evenly), each read from the chain at that block, to the ${TOP} UIDs it weighted most.` }),
      element('div', { className: 'toolbar' }, label, this.select, this.show, this.status),
      this.chartBox, this.tableBox);
  }

  /** Offers the rows of a new matrix, keeping the chosen hotkey when it is still there. */
  setMatrix(matrix: WeightsView): void {
    const chosen = this.select.value;
    const options = matrix.rows.filter((row) => row.hotkey !== null && row.weights.length > 0).map((row) => {
      const option = element('option', { text: `UID ${row.uid} · ${shortHotkey(row.hotkey)}` });
      option.value = row.hotkey!;
      return option;
    });
    this.select.replaceChildren(...options);
    if (options.some((option) => option.value === chosen)) this.select.value = chosen;
    this.show.disabled = options.length === 0;
    if (options.length === 0) this.status.textContent = 'No row has a stored hotkey: store a snapshot of this subnet first.';
  }

  private async load(): Promise<void> {
    const hotkey = this.select.value;
    if (!hotkey) return;
    const asked = ++this.asked;
    this.status.textContent = 'Reading its weights at each stored snapshot from the chain…';
    this.show.disabled = true;
    try {
      const history = await this.request(hotkey, TOP, MAX_POINTS, REQUEST_TIMEOUT_MS);
      if (asked !== this.asked) return;
      this.render(history);
    } catch (error) {
      if (asked === this.asked) this.status.textContent = `Could not read its weights: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      if (asked === this.asked) this.show.disabled = false;
    }
  }

  private render(history: ValidatorWeightsHistory): void {
    const { points, targets } = history;
    this.status.textContent = points.length === 0
      ? 'No stored snapshot of this subnet: nothing to read its weights at.'
      : `${points.length} stored snapshot${points.length === 1 ? '' : 's'}, from block ${points[0].block.toLocaleString()} to ${points[points.length - 1].block.toLocaleString()}.`;
    this.chartBox.hidden = points.length === 0;
    this.canvas.setAttribute('aria-label', `Weights of ${shortHotkey(history.hotkey)} to ${targets.length} UIDs at ${points.length} stored blocks; the table below lists them.`);
    const series = [
      ...targets.map((target, index) => ({ label: `UID ${target}`, data: points.map((p) => ({ x: p.block, y: p.uid === null ? null : p.weights[index] })) })),
      { label: 'all others', data: points.map((p) => ({ x: p.block, y: p.uid === null ? null : p.rest })) },
    ];
    this.chart?.dispose();
    this.chart = themedChart<'line'>(this.canvas, {
      type: 'line',
      data: { datasets: series.map((each) => ({ ...each, pointRadius: 2, borderWidth: 1.5, spanGaps: false })) },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
        interaction: { mode: 'nearest', intersect: false },
        scales: { x: { type: 'linear', title: { display: true, text: 'block' } }, y: { type: 'linear', min: 0, title: { display: true, text: 'weight' } } },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } } },
      },
    }, (chart, colors) => {
      const { blue, orange, green, purple, red, yellow } = colors.charts;
      const cycle = [blue, orange, green, purple, red, yellow];
      chart.data.datasets.forEach((dataset, index) => {
        const colour = index === targets.length ? colors.muted : cycle[index % cycle.length];
        dataset.borderColor = colour;
        dataset.backgroundColor = colour;
      });
    });
    const table = dataTable('Weights at each stored block', ['Block', 'UID', ...targets.map((target) => `→ ${target}`), 'Others'],
      points.map((p) => [p.block.toLocaleString(), p.uid === null ? 'not registered' : String(p.uid),
        ...p.weights.map((w) => (p.uid === null ? '–' : percentText(w))), p.uid === null ? '–' : percentText(p.rest)]));
    table.classList.add('history-table');
    this.tableBox.replaceChildren(element('div', { className: 'table-box' }, table));
  }
}
