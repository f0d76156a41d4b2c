/**
 * Table rows as one keyboard stop (roving tabindex, as the WAI-ARIA grid pattern does): Tab reaches the table once,
 * the arrow keys, Home and End move between rows, Enter or Space activates the focused row, and so does a click.
 * The rows are the accessible view of the trace graph's canvas.
 */
export function keyboardRows(body: HTMLTableSectionElement, activate: (row: HTMLTableRowElement) => void): void {
  body.addEventListener('click', (event) => {
    const row = (event.target as Element | null)?.closest('tr');
    if (row && body.contains(row)) {
      focusRow(body, row as HTMLTableRowElement);
      activate(row as HTMLTableRowElement);
    }
  });
  body.addEventListener('keydown', (event) => {
    const row = (event.target as Element | null)?.closest('tr') as HTMLTableRowElement | null;
    if (!row || !body.contains(row)) return;
    const rows = [...body.rows];
    const index = rows.indexOf(row);
    let next: HTMLTableRowElement | undefined;
    switch (event.key) {
      case 'ArrowDown': next = rows[Math.min(rows.length - 1, index + 1)]; break;
      case 'ArrowUp': next = rows[Math.max(0, index - 1)]; break;
      case 'Home': next = rows[0]; break;
      case 'End': next = rows[rows.length - 1]; break;
      case 'Enter':
      case ' ':
        event.preventDefault();
        activate(row);
        return;
      default:
        return;
    }
    event.preventDefault();
    if (next) focusRow(body, next);
  });
}

/** Makes `row` the table's one tab stop and focuses it. */
export function focusRow(body: HTMLTableSectionElement, row: HTMLTableRowElement, focus = true): void {
  for (const other of body.rows) other.tabIndex = other === row ? 0 : -1;
  if (focus) row.focus();
}

/** After a re-render: the row with this key keeps the tab stop (and focus, if it had it), else the first row. */
export function restoreTabStop(body: HTMLTableSectionElement, key: string | undefined, hadFocus: boolean): void {
  const rows = [...body.rows];
  const row = rows.find((each) => each.dataset.key === key) ?? rows[0];
  if (row) focusRow(body, row, hadFocus && row.dataset.key === key);
}
