/** A sortable column's value: numbers sort as numbers, text as text; null (no figure) always sorts last. */
export type SortValue = number | string | null;

export interface SortState {
  readonly column: number;
  readonly descending: boolean;
}

/**
 * The rows in the order a sortable table shows them: by one column, ties kept in their incoming order (the
 * engine's order, busiest first), and rows without a figure last in both directions, so "–" never tops a ranking.
 * No DOM here, so it is unit-tested in plain Node.
 */
export function sortRows<R>(rows: readonly R[], value: (row: R) => SortValue, descending: boolean): R[] {
  const keyed = rows.map((row, index) => ({ row, index, key: value(row) }));
  keyed.sort((a, b) => {
    if (a.key === null || b.key === null) return a.key === b.key ? a.index - b.index : a.key === null ? 1 : -1;
    const order = typeof a.key === 'number' && typeof b.key === 'number' ? a.key - b.key : String(a.key).localeCompare(String(b.key));
    return order === 0 || Number.isNaN(order) ? a.index - b.index : descending ? -order : order;
  });
  return keyed.map((entry) => entry.row);
}

/** A click on a column header: the same column flips its direction; another starts with numbers high first. */
export function nextSort(current: SortState | undefined, column: number, numeric: boolean): SortState {
  if (current && current.column === column) return { column, descending: !current.descending };
  return { column, descending: numeric };
}
