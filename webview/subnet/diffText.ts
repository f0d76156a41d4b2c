import type { UidDiff } from '../../src/protocol/bittensorProtocol';

/** One line per changed field: "stake 12.5 → 13" (the diff table's last column). */
export function diffChanges(row: UidDiff): string {
  const parts = Object.entries(row.changes).map(([field, pair]) => `${field} ${short(pair![0])} → ${short(pair![1])}`);
  if (row.permit) parts.push(`permit ${row.permit[0] ? '✓' : '✗'} → ${row.permit[1] ? '✓' : '✗'}`);
  if (row.axon) parts.push(`axon ${row.axon[0] ?? '–'} → ${row.axon[1] ?? '–'}`);
  return parts.join('; ');
}

function short(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}
