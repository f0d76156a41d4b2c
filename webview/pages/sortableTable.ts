import { element } from '../common/dom';
import { nextSort, sortRows, type SortState, type SortValue } from './tableSort';

export interface Column<R> {
  readonly label: string;
  /** What the column sorts by; a column without it does not sort. */
  readonly sort?: (row: R) => SortValue;
  readonly numeric?: boolean;
  readonly cell: (row: R) => Node | string;
}

/**
 * A table whose headers sort it (click or Enter; aria-sort says how). Cells are nodes or text, never HTML.
 * The sort is kept across re-renders, so a live update does not reshuffle what the user chose.
 */
export class SortableTable<R> {
  readonly element: HTMLTableElement;
  private readonly head = element('tr');
  private readonly body = element('tbody');
  private rows: readonly R[] = [];
  private sort: SortState | undefined;

  constructor(label: string, private readonly columns: readonly Column<R>[], private readonly empty = 'None.') {
    this.element = element('table', { className: 'page-table' });
    this.element.setAttribute('aria-label', label);
    this.element.append(element('thead', {}, this.head), this.body);
    this.head.append(...columns.map((column, index) => {
      const th = element('th', {});
      if (column.numeric) th.className = 'numeric';
      if (!column.sort) {
        th.textContent = column.label;
        return th;
      }
      const button = element('button', { className: 'sort', text: column.label, title: `Sort by ${column.label}` });
      button.type = 'button';
      button.addEventListener('click', () => {
        this.sort = nextSort(this.sort, index, column.numeric === true);
        this.draw();
      });
      th.append(button);
      return th;
    }));
  }

  render(rows: readonly R[]): void {
    this.rows = rows;
    this.draw();
  }

  private draw(): void {
    const sortBy = this.sort ? this.columns[this.sort.column].sort : undefined;
    const rows = this.sort && sortBy ? sortRows(this.rows, sortBy, this.sort.descending) : this.rows;
    for (const [index, th] of [...this.head.children].entries()) {
      if (this.sort?.column === index) th.setAttribute('aria-sort', this.sort.descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    }
    if (rows.length === 0) {
      const td = element('td', { className: 'empty', text: this.empty });
      td.colSpan = this.columns.length;
      this.body.replaceChildren(element('tr', {}, td));
      return;
    }
    this.body.replaceChildren(...rows.map((row) => element('tr', {}, ...this.columns.map((column) => {
      const td = element('td', column.numeric ? { className: 'numeric' } : {});
      td.append(column.cell(row));
      return td;
    }))));
  }
}
