import type { KindSummary } from './nostrTypes';
import { parseKinds } from './dvmNames';
import { kindName } from './kindRegistry';

/** A nostr_kinds row: requests and results, and the distinct DVMs and users counted at ingest. */
export type KindTotalsRow = { kind: number; requests: number; results: number; dvms: number; users: number };

/** Every kind requested, answered (kind >= 0 rows) or announced (`announced`: handlers' kinds JSON), busiest first. */
export function kindSummariesOf(totals: readonly KindTotalsRow[], announced: readonly string[], names: ReadonlyMap<number, string>): KindSummary[] {
  const rows = new Map<number, { requests: number; results: number }>();
  for (const row of totals) if (row.kind >= 0) rows.set(row.kind, { requests: row.requests, results: row.results });
  for (const json of announced) {
    for (const kind of parseKinds(json)) if (!rows.has(kind)) rows.set(kind, { requests: 0, results: 0 });
  }
  // Distinct DVMs and users per kind are counted at ingest (nostr_kinds.dvms / users).
  const counted = new Map(totals.map((row) => [row.kind, row]));
  return [...rows.entries()]
    .map(([kind, row]) => {
      const name = kindName(kind, names);
      return { kind, name: name.name, nameSource: name.source, requests: row.requests, results: row.results, dvms: counted.get(kind)?.dvms ?? 0, users: counted.get(kind)?.users ?? 0 };
    })
    .sort((a, b) => b.requests - a.requests || b.results - a.results || a.kind - b.kind);
}
