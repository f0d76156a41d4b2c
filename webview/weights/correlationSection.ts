import type { StakeCorrelation, WeightsView } from '../../src/protocol/bittensorProtocol';
import { MAX_CORRELATED_HOTKEYS } from '../../src/protocol/weightsPanelProtocol';
import { element } from '../common/dom';
import { identityNames } from './clusterView';
import { shortHotkey } from './matrixGrid';

/** Hotkeys chosen when a matrix first arrives: the validators with the most stake. */
const DEFAULT_CHOSEN = 8;

export type CorrelationRequest = (hotkeys: readonly string[]) => Promise<StakeCorrelation>;

/**
 * Correlation of stake series between chosen hotkeys (the matrix's rows with a known hotkey), over the stored
 * snapshots each pair shares, as a matrix: a cell's text is its Pearson coefficient, its shade the same number.
 */
export class CorrelationSection {
  readonly element: HTMLElement;
  private readonly select = element('select');
  private readonly extra = element('input');
  private readonly run = element('button', { text: 'Correlate', className: 'secondary' });
  private readonly status = element('span', { className: 'status' });
  private readonly result = element('div', { className: 'table-box' });
  private names = new Map<number, string>();
  private asked = 0;

  constructor(private readonly request: CorrelationRequest) {
    this.select.id = 'correlation-hotkeys';
    this.select.multiple = true;
    this.select.size = 8;
    const label = element('label', { text: `Hotkeys (up to ${MAX_CORRELATED_HOTKEYS})` });
    label.htmlFor = this.select.id;
    // Any hotkey of the subnet, not only the validators that set weights: miners' stake moves too.
    this.extra.id = 'correlation-extra';
    this.extra.placeholder = 'more hotkeys, separated by spaces or commas';
    this.extra.setAttribute('aria-label', 'More hotkeys to correlate, separated by spaces or commas');
    this.status.setAttribute('role', 'status');
    this.run.addEventListener('click', () => void this.load());
    this.element = element('section', { className: 'correlation' },
      element('h2', { text: 'Correlation of stake' }),
      element('p', { className: 'note', text: 'Pearson correlation of the hotkeys\' stake over the stored snapshots both have (at least 3): 1 moves together, −1 opposite.' }),
      element('div', { className: 'toolbar' }, label, this.select, this.extra, this.run, this.status), this.result);
  }

  setMatrix(matrix: WeightsView): void {
    const chosen = new Set([...this.select.selectedOptions].map((option) => option.value));
    this.names = identityNames(matrix);
    const rows = matrix.rows.filter((row) => row.hotkey !== null);
    const options = rows.map((row, index) => {
      const name = this.names.get(row.uid);
      const option = element('option', { text: `UID ${row.uid} · ${shortHotkey(row.hotkey)}${name ? ` · ${name}` : ''}` });
      option.value = row.hotkey!;
      option.selected = chosen.size > 0 ? chosen.has(row.hotkey!) : index < DEFAULT_CHOSEN;
      return option;
    });
    this.select.replaceChildren(...options);
    this.run.disabled = options.length === 0;
    if (options.length === 0) this.status.textContent = 'No row has a stored hotkey: store a snapshot of this subnet first.';
  }

  private async load(): Promise<void> {
    const typed = this.extra.value.split(/[\s,]+/).filter((hotkey) => hotkey.length > 0);
    const hotkeys = [...new Set([...[...this.select.selectedOptions].map((option) => option.value), ...typed])].slice(0, MAX_CORRELATED_HOTKEYS);
    if (hotkeys.length === 0) {
      this.status.textContent = 'Choose one or more hotkeys.';
      return;
    }
    const asked = ++this.asked;
    this.status.textContent = 'Reading stake series…';
    try {
      const correlation = await this.request(hotkeys);
      if (asked !== this.asked) return;
      this.status.textContent = `${correlation.series.length} hotkey${correlation.series.length === 1 ? '' : 's'}.`;
      this.result.replaceChildren(correlationTable(correlation));
    } catch (error) {
      if (asked === this.asked) this.status.textContent = `Could not correlate: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

function correlationTable(correlation: StakeCorrelation): HTMLTableElement {
  const { series, coefficients, aligned } = correlation;
  const k = series.length;
  const label = (index: number) => series[index].uid === null ? shortHotkey(series[index].hotkey) : `UID ${series[index].uid}`;
  const headRow = element('tr', {}, element('td'), ...series.map((s, index) => {
    const th = element('th', { text: label(index), title: s.hotkey ?? s.key });
    th.scope = 'col';
    return th;
  }));
  const body = element('tbody', {}, ...series.map((s, a) => {
    const th = element('th', { text: label(a), title: s.hotkey ?? s.key });
    th.scope = 'row';
    return element('tr', {}, th, ...series.map((_, b) => {
      const r = coefficients[a * k + b];
      const cell = element('td', { text: r === null ? '–' : r.toFixed(3), title: `${aligned[a * k + b]} shared snapshots` });
      cell.className = 'r-cell';
      if (r !== null) {
        // The shade follows |r|; its hue says the sign (the classes pick theme colours).
        cell.classList.add(r >= 0 ? 'r-positive' : 'r-negative');
        cell.style.setProperty('--r-strength', `${Math.round(Math.abs(r) * 60)}%`);
      }
      return cell;
    }));
  }));
  return element('table', { className: 'data correlation-matrix' },
    element('caption', { className: 'visually-hidden', text: 'Pearson correlation of stake between the chosen hotkeys' }), element('thead', {}, headRow), body);
}
