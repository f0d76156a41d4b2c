import { restoreTabStop } from './rowKeys';

/** A row to draw: its key (an event id, a node id), what it shows, and how to make its element. */
export interface KeyedRow {
  readonly key: string;
  /** Any text that changes when what the row shows changes (its data as JSON). */
  readonly content: string;
  draw(): HTMLTableRowElement;
}

/**
 * A table body redrawn by key: a row whose content is unchanged keeps its element (and so its focus, selection
 * and scroll place), a changed one is drawn anew, a new one is inserted where it belongs, a gone one removed. A live
 * trace event then costs one row, not the hundreds a chain has.
 */
export class KeyedRows {
  private drawn = new Map<string, { readonly content: string; readonly element: HTMLTableRowElement }>();

  constructor(private readonly body: HTMLTableSectionElement) {}

  render(rows: readonly KeyedRow[]): void {
    const focused = this.body.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.key : undefined;
    const stop = [...this.body.rows].find((row) => row.tabIndex === 0)?.dataset.key;
    const next = new Map<string, { readonly content: string; readonly element: HTMLTableRowElement }>();
    for (const row of rows) {
      const old = this.drawn.get(row.key);
      next.set(row.key, old && old.content === row.content ? old : { content: row.content, element: row.draw() });
    }
    for (const [key, old] of this.drawn) if (next.get(key) !== old) old.element.remove();
    let index = 0;
    for (const { element } of next.values()) {
      if (this.body.rows[index] !== element) this.body.insertBefore(element, this.body.rows[index] ?? null);
      index++;
    }
    this.drawn = next;
    restoreTabStop(this.body, focused ?? stop, focused !== undefined);
  }
}
