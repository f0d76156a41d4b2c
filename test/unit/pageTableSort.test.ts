import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextSort, sortRows } from '../../webview/pages/tableSort';

/** The pages' sortable tables (webview/pages/tableSort.ts): numbers as numbers, text as text, no-figure rows last, ties stable. */

const rows = [
  { name: 'b', rate: 0.5 },
  { name: 'a', rate: null },
  { name: 'c', rate: 0.9 },
  { name: 'd', rate: 0.5 },
  { name: 'e', rate: 10 },
];

test('numbers sort numerically both ways, with rows without a figure last either way and ties in incoming order', () => {
  assert.deepEqual(sortRows(rows, (row) => row.rate, false).map((row) => row.name), ['b', 'd', 'c', 'e', 'a']);
  assert.deepEqual(sortRows(rows, (row) => row.rate, true).map((row) => row.name), ['e', 'c', 'b', 'd', 'a']);
});

test('text sorts by locale order; the input is left as it was', () => {
  const before = rows.map((row) => row.name);
  assert.deepEqual(sortRows(rows, (row) => row.name, false).map((row) => row.name), ['a', 'b', 'c', 'd', 'e']);
  assert.deepEqual(sortRows(rows, (row) => row.name, true).map((row) => row.name), ['e', 'd', 'c', 'b', 'a']);
  assert.deepEqual(rows.map((row) => row.name), before);
});

test('a header click: a new numeric column starts high first, text low first; the same column flips', () => {
  assert.deepEqual(nextSort(undefined, 2, true), { column: 2, descending: true });
  assert.deepEqual(nextSort(undefined, 0, false), { column: 0, descending: false });
  assert.deepEqual(nextSort({ column: 2, descending: true }, 2, true), { column: 2, descending: false });
  assert.deepEqual(nextSort({ column: 2, descending: false }, 3, true), { column: 3, descending: true });
});
