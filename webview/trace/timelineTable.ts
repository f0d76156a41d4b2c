import type { TracePanelRow } from '../../src/protocol/tracePanelProtocol';
import { element } from '../common/dom';
import { KeyedRows } from './keyedRows';
import { keyboardRows } from './rowKeys';
import { clock, delay, roleText, satsText, shortId } from './traceFormat';

const COLUMNS = ['Time', 'Since request', 'Role', 'Kind', 'Status', 'Author', 'Sats', 'Event'];

/**
 * Every event of the chain in timeline order: the accessible view of the graph (keyboard: one tab stop, arrows,
 * Enter selects the event's node and opens its details). Names and statuses are untrusted: textContent only.
 */
export class TimelineTable {
  readonly element: HTMLTableElement;
  private readonly body = element('tbody');

  constructor(activate: (row: TracePanelRow) => void) {
    this.element = element('table', { className: 'timeline' });
    this.element.setAttribute('aria-label', 'Timeline: every event of the job and its chain');
    const head = element('tr', {}, ...COLUMNS.map((column) => element('th', { text: column })));
    this.element.append(element('thead', {}, head), this.body);
    keyboardRows(this.body, (tr) => {
      const row = this.rows.get(tr.dataset.key ?? '');
      if (row) activate(row);
    });
  }

  private rows = new Map<string, TracePanelRow>();
  private readonly keyed = new KeyedRows(this.body);

  /** Draws the rows; a row drawn before with the same content is kept as it is (a live event adds one row). */
  render(rows: readonly TracePanelRow[], names: ReadonlyMap<string, string>): void {
    this.rows = new Map(rows.map((row) => [row.id, row]));
    this.keyed.render(rows.map((row) => {
      const author = row.authorName ?? names.get(row.pubkey);
      return { key: row.id, content: JSON.stringify([row, author]), draw: () => this.rowElement(row, author) };
    }));
  }

  /** Marks the rows of the selected node (none: undefined). */
  select(nodeId: string | undefined): void {
    for (const tr of this.body.rows) tr.setAttribute('aria-selected', String(nodeId !== undefined && tr.dataset.nodeId === nodeId));
  }

  private rowElement(row: TracePanelRow, author: string | undefined): HTMLTableRowElement {
    const tr = element('tr', {},
      element('td', { text: clock(row.createdAt) }),
      element('td', { text: delay(row.sinceRequestSec), className: 'number' }),
      element('td', { text: roleText(row.role) }),
      element('td', { text: String(row.kind), className: 'number' }),
      element('td', { text: row.status ?? '', className: 'text' }),
      element('td', { text: author ?? shortId(row.pubkey), className: author ? 'text name' : 'key', title: row.pubkey }),
      element('td', { text: satsText(row.amountSats), className: row.amountMismatch ? 'number flag' : 'number' }),
      element('td', { text: shortId(row.id), className: 'key', title: row.id }),
    );
    tr.dataset.key = row.id;
    tr.dataset.eventId = row.id;
    if (row.nodeId) tr.dataset.nodeId = row.nodeId;
    tr.tabIndex = -1;
    if (row.asked) {
      tr.classList.add('asked');
      tr.setAttribute('aria-current', 'true');
    }
    return tr;
  }
}
