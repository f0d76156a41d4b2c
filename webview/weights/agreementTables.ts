import type { WeightRow, WeightsMatrix } from '../../src/protocol/bittensorProtocol';
import { element } from '../common/dom';
import { outliersFirst, shortHotkey } from './matrixGrid';

/** Rows shown per table; the rest are counted below it (the DOM stays small at 1,024 UIDs). */
const TABLE_LIMIT = 256;

/** Each row's cosine with the stake-weighted mean row, lowest first: the validators who disagree most lead. */
export function consensusTable(matrix: WeightsMatrix): HTMLElement {
  const byUid = rowsByUid(matrix);
  const entries = outliersFirst(matrix.agreement.withConsensus);
  const table = dataTable('Agreement with consensus, lowest first', ['UID', 'Hotkey', 'Stake', 'Permit', 'Last update', 'Cosine'],
    entries.slice(0, TABLE_LIMIT).map((entry) => {
      const row = byUid.get(entry.uid);
      return [
        String(entry.uid),
        hotkeyCell(row?.hotkey ?? null),
        row?.stake === null || row?.stake === undefined ? '–' : `${formatStake(row.stake)} α`,
        row?.validatorPermit === null || row?.validatorPermit === undefined ? '–' : row.validatorPermit ? 'yes' : 'no',
        row?.lastUpdate === null || row?.lastUpdate === undefined ? '–' : `block ${row.lastUpdate}`,
        entry.cosine.toFixed(4),
      ];
    }));
  return withOverflow(table, entries.length, 'No row to compare: agreement needs at least one UID that set weights.');
}

/** Pairs of rows at or above the near-duplicate cosine: candidates for weight copying, highest first. */
export function duplicatesTable(matrix: WeightsMatrix, threshold: number): HTMLElement {
  const byUid = rowsByUid(matrix);
  const pairs = [...matrix.agreement.nearDuplicates].sort((x, y) => y.cosine - x.cosine || x.a - y.a || x.b - y.b);
  const table = dataTable(`Near-duplicate weights (cosine ≥ ${threshold})`, ['UID', 'Hotkey', 'UID', 'Hotkey', 'Cosine'],
    pairs.slice(0, TABLE_LIMIT).map((pair) => [
      String(pair.a), hotkeyCell(byUid.get(pair.a)?.hotkey ?? null),
      String(pair.b), hotkeyCell(byUid.get(pair.b)?.hotkey ?? null),
      pair.cosine.toFixed(4),
    ]));
  return withOverflow(table, pairs.length, `No two validators' weights have a cosine of ${threshold} or more.`);
}

export type Cell = string | HTMLElement;

/** Captions are for screen readers; the panel shows a visible heading above each table. */
export function dataTable(caption: string, headings: readonly string[], rows: readonly (readonly Cell[])[]): HTMLTableElement {
  const head = element('thead', {}, element('tr', {}, ...headings.map((heading) => {
    const th = element('th', { text: heading });
    th.scope = 'col';
    return th;
  })));
  const body = element('tbody', {}, ...rows.map((cells) => element('tr', {}, ...cells.map((cell) =>
    typeof cell === 'string' ? element('td', { text: cell }) : element('td', {}, cell)))));
  return element('table', { className: 'data' }, element('caption', { className: 'visually-hidden', text: caption }), head, body);
}

/** The full hotkey in a title, a short one shown; both as text (hotkeys come from the chain). */
export function hotkeyCell(hotkey: string | null): HTMLElement {
  return element('span', { className: 'hotkey', text: shortHotkey(hotkey), title: hotkey ?? undefined });
}

export function withOverflow(table: HTMLTableElement, total: number, emptyText: string): HTMLElement {
  if (total === 0) return element('p', { className: 'empty', text: emptyText });
  const box = element('div', { className: 'table-box' }, table);
  if (total > TABLE_LIMIT) box.append(element('p', { className: 'note', text: `${(total - TABLE_LIMIT).toLocaleString()} more not shown.` }));
  return box;
}

function rowsByUid(matrix: WeightsMatrix): Map<number, WeightRow> {
  return new Map(matrix.rows.map((row) => [row.uid, row]));
}

function formatStake(stake: number): string {
  return stake >= 100 ? Math.round(stake).toLocaleString() : stake.toFixed(2);
}
