import type { NeuronRow } from '../../src/protocol/bittensorProtocol';
import { element } from '../common/dom';
import { COLUMNS, tableCells, type TableView } from './metagraphTable';

/**
 * The metagraph as a DOM table: a header button per column (click sorts, again reverses; aria-sort tells which), a
 * filter box, and one row per UID. Cell text goes in by textContent only (identity names come from the chain).
 */
export class MetagraphTableView {
  readonly element: HTMLElement;
  private rows: readonly NeuronRow[] = [];
  private readonly table = element('table', { className: 'metagraph' });
  private readonly body = element('tbody');
  private readonly headers = new Map<string, HTMLTableCellElement>();
  private readonly count = element('span', { className: 'count' });

  constructor(private view: TableView, private readonly onViewChange: (view: TableView) => void) {
    const filter = element('input');
    filter.type = 'search';
    filter.id = 'metagraph-filter';
    filter.placeholder = 'Filter: UID, key, name or IP';
    filter.value = view.filter;
    filter.addEventListener('input', () => this.setView({ ...this.view, filter: filter.value }));
    const head = element('tr');
    for (const column of COLUMNS) {
      const button = element('button', { className: 'sort', text: column.label, title: `Sort by ${column.key}` });
      button.addEventListener('click', () => this.setView({
        ...this.view, sortKey: column.key, descending: this.view.sortKey === column.key ? !this.view.descending : column.numeric,
      }));
      const th = element('th', {}, button);
      th.dataset.column = column.key;
      if (column.numeric) th.className = 'numeric';
      this.headers.set(column.key, th);
      head.append(th);
    }
    this.table.append(element('thead', {}, head), this.body);
    this.element = element('div', { className: 'table-box' },
      element('div', { className: 'toolbar' }, filter, this.count),
      element('div', { className: 'table-scroll' }, this.table));
  }

  show(rows: readonly NeuronRow[]): void {
    this.rows = rows;
    this.render();
  }

  private setView(view: TableView): void {
    this.view = view;
    this.onViewChange(view);
    this.render();
  }

  private render(): void {
    const { rows, cells } = tableCells(this.rows, this.view);
    for (const [key, th] of this.headers) th.setAttribute('aria-sort', key === this.view.sortKey ? (this.view.descending ? 'descending' : 'ascending') : 'none');
    const fragment = document.createDocumentFragment();
    for (let i = 0; i < cells.length; i++) {
      const tr = document.createElement('tr');
      tr.dataset.uid = String(rows[i].uid);
      for (let c = 0; c < COLUMNS.length; c++) {
        const td = document.createElement('td');
        td.textContent = cells[i][c];
        if (COLUMNS[c].numeric) td.className = 'numeric';
        tr.append(td);
      }
      fragment.append(tr);
    }
    this.body.replaceChildren(fragment);
    this.count.textContent = `${rows.length} of ${this.rows.length} UIDs`;
  }
}
