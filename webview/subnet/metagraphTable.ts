import type { NeuronRow } from '../../src/protocol/bittensorProtocol';

/**
 * The block-introspection table, without the DOM: its columns (every NeuronRow field, the axon flattened, in the
 * order of `swarmscope metagraph --csv`), sorting, filtering and the text of each cell. tableView.ts draws what
 * this returns; the unit tests and `npm run bench metagraph` call it directly.
 */

export type CellValue = string | number | boolean | null;

export interface Column {
  readonly key: string;
  readonly label: string;
  readonly numeric: boolean;
  read(row: NeuronRow): CellValue;
}

const number = (key: string, read: (row: NeuronRow) => number | null, label = key): Column => ({ key, label, numeric: true, read });
const text = (key: string, read: (row: NeuronRow) => string | boolean | null, label = key): Column => ({ key, label, numeric: false, read });

export const COLUMNS: readonly Column[] = [
  number('uid', (n) => n.uid, 'UID'),
  text('hotkey', (n) => n.hotkey),
  text('coldkey', (n) => n.coldkey),
  text('identity', (n) => n.identity ?? null),
  text('active', (n) => n.active),
  text('validatorPermit', (n) => n.validatorPermit, 'permit'),
  number('stake', (n) => n.stake),
  number('stakeAlpha', (n) => n.stakeAlpha, 'stake α'),
  number('stakeTao', (n) => n.stakeTao, 'stake τ'),
  number('rank', (n) => n.rank),
  number('trust', (n) => n.trust),
  number('consensus', (n) => n.consensus),
  number('incentive', (n) => n.incentive),
  number('dividends', (n) => n.dividends),
  number('validatorTrust', (n) => n.validatorTrust, 'vtrust'),
  number('emission', (n) => n.emission),
  number('lastUpdate', (n) => n.lastUpdate),
  number('registrationBlock', (n) => n.registrationBlock, 'registered'),
  text('axonIp', (n) => n.axon?.ip ?? null, 'axon IP'),
  number('axonPort', (n) => n.axon?.port ?? null, 'port'),
  number('axonIpType', (n) => n.axon?.ipType ?? null, 'IP type'),
  number('axonVersion', (n) => n.axon?.version ?? null, 'version'),
];

export interface TableView {
  readonly sortKey: string;
  readonly descending: boolean;
  readonly filter: string;
}

export function columnOf(key: string): Column {
  return COLUMNS.find((column) => column.key === key) ?? COLUMNS[0];
}

/**
 * Rows in the chosen order: numbers by value, text by code points (keys are ss58, names anything), missing values
 * last whichever the direction; ties by UID, so that the order is total and stable across re-sorts.
 */
export function sortRows(rows: readonly NeuronRow[], sortKey: string, descending: boolean): NeuronRow[] {
  const column = columnOf(sortKey);
  const keyed = rows.map((row) => ({ row, value: column.read(row) }));
  const sign = descending ? -1 : 1;
  keyed.sort((a, b) => {
    if (a.value === null || b.value === null) {
      if (a.value !== b.value) return a.value === null ? 1 : -1;
      return a.row.uid - b.row.uid;
    }
    const order = typeof a.value === 'number' && typeof b.value === 'number'
      ? a.value - b.value
      : compareText(String(a.value), String(b.value));
    return order !== 0 ? sign * order : a.row.uid - b.row.uid;
  });
  return keyed.map((entry) => entry.row);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Rows whose UID equals the filter, or whose hotkey, coldkey, identity or axon IP contains it (case-insensitive).
 * An empty filter keeps every row.
 */
export function filterRows(rows: readonly NeuronRow[], filter: string): NeuronRow[] {
  const wanted = filter.trim().toLowerCase();
  if (wanted === '') return [...rows];
  const uid = /^\d+$/.test(wanted) ? Number(wanted) : undefined;
  return rows.filter((row) => row.uid === uid
    || row.hotkey.toLowerCase().includes(wanted)
    || row.coldkey.toLowerCase().includes(wanted)
    || (row.identity?.toLowerCase().includes(wanted) ?? false)
    || (row.axon?.ip.toLowerCase().includes(wanted) ?? false));
}

/** The text a cell shows: scores with 4 decimals, amounts with up to 4, flags as ✓ / blank, missing as –. */
export function cellText(column: Column, row: NeuronRow): string {
  const value = column.read(row);
  if (value === null) return '–';
  if (typeof value === 'boolean') return value ? '✓' : '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(4);
  return value;
}

/** The rows to draw, filtered then sorted, as cell texts (the part of drawing that costs, timed by the bench). */
export function tableCells(rows: readonly NeuronRow[], view: TableView): { rows: NeuronRow[]; cells: string[][] } {
  const shown = sortRows(filterRows(rows, view.filter), view.sortKey, view.descending);
  return { rows: shown, cells: shown.map((row) => COLUMNS.map((column) => cellText(column, row))) };
}
