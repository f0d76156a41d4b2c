import type { TracePanelRow } from '../../src/protocol/tracePanelProtocol';
import { element } from '../common/dom';
import { keyboardRows, restoreTabStop } from './rowKeys';
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

  render(rows: readonly TracePanelRow[], names: ReadonlyMap<string, string>): void {
    const focused = this.body.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.key : undefined;
    const stop = [...this.body.rows].find((row) => row.tabIndex === 0)?.dataset.key;
    this.rows = new Map(rows.map((row) => [row.id, row]));
    this.body.replaceChildren(...rows.map((row) => this.rowElement(row, names)));
    restoreTabStop(this.body, focused ?? stop, focused !== undefined);
  }

  /** Marks the rows of the selected node (none: undefined). */
  select(nodeId: string | undefined): void {
    for (const tr of this.body.rows) tr.setAttribute('aria-selected', String(nodeId !== undefined && tr.dataset.nodeId === nodeId));
  }

  private rowElement(row: TracePanelRow, names: ReadonlyMap<string, string>): HTMLTableRowElement {
    const author = row.authorName ?? names.get(row.pubkey);
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
