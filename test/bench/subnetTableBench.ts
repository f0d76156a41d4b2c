import type { NeuronRow } from '../../src/core/bittensor/model';
import { COLUMNS, sortRows, tableCells } from '../../webview/subnet/metagraphTable';
import { recordedMetagraphSnapshot } from '../support/replayNode';

const RUNS = 25;

/**
 * Issue 13's table bars for the Subnet panel's block introspection, on the recorded 1,024-UID metagraph: "render"
 * is the page's whole pass from rows to the text of every cell (filter, sort, format 1,024 × 22 cells), timed
 * without a DOM (the DOM insertion after it is the browser's, not measured here); "sort" re-sorts by a column.
 * Bars: render < 200 ms, sort < 50 ms. Prints medians and maxima.
 */
export function runSubnetTableBench(print: (line: string) => void): void {
  const rows: readonly NeuronRow[] = recordedMetagraphSnapshot().neurons;
  const time = (label: string, bar: string, call: () => unknown) => {
    call();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      call();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    print(`metagraph: subnet panel ${label}: median ${times[RUNS >> 1].toFixed(2)} ms, max ${times[RUNS - 1].toFixed(2)} ms (${bar})`);
  };
  time(`render of ${rows.length} rows × ${COLUMNS.length} columns (cell texts)`, 'bar < 200 ms', () => tableCells(rows, { sortKey: 'uid', descending: false, filter: '' }));
  time(`sort of ${rows.length} rows by stake`, 'bar < 50 ms', () => sortRows(rows, 'stake', true));
  time(`sort of ${rows.length} rows by hotkey (text)`, 'bar < 50 ms', () => sortRows(rows, 'hotkey', false));
  time(`filter + sort + render of ${rows.length} rows`, 'bar < 200 ms', () => tableCells(rows, { sortKey: 'incentive', descending: true, filter: '5' }));
}
