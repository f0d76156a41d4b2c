import type { KindSummary } from './nostrTypes';
import { announcedKindNames, parseKinds } from './dvmNames';
import { kindName } from './kindRegistry';
import type { PreparedStatements } from './preparedStatements';

/** Per-kind all-time figures: every kind requested, answered or announced (DESIGN.md "Kind names"). */
export class KindQuery {
  constructor(private readonly sql: PreparedStatements) {}

  list(): KindSummary[] {
    const names = announcedKindNames(this.sql);
    const rows = new Map<number, { requests: number; results: number }>();
    for (const row of this.sql.all<{ kind: number; requests: number; results: number }>('SELECT kind, requests, results FROM nostr_kinds WHERE kind >= 0')) {
      rows.set(row.kind, { requests: row.requests, results: row.results });
    }
    for (const json of this.sql.column<string>("SELECT kinds FROM nostr_profiles WHERE kinds <> '[]'")) {
      for (const kind of parseKinds(json)) if (!rows.has(kind)) rows.set(kind, { requests: 0, results: 0 });
    }
    // Distinct DVMs and users per kind are counted at ingest (nostr_kinds.dvms / users).
    const counted = new Map(this.sql.all<{ kind: number; dvms: number; users: number }>('SELECT kind, dvms, users FROM nostr_kinds').map((row) => [row.kind, row]));
    const dvms = new Map([...counted].map(([kind, row]) => [kind, row.dvms]));
    const users = new Map([...counted].map(([kind, row]) => [kind, row.users]));
    return [...rows.entries()]
      .map(([kind, row]) => {
        const name = kindName(kind, names);
        return { kind, name: name.name, nameSource: name.source, requests: row.requests, results: row.results, dvms: dvms.get(kind) ?? 0, users: users.get(kind) ?? 0 };
      })
      .sort((a, b) => b.requests - a.requests || b.results - a.results || a.kind - b.kind);
  }

  one(kind: number): KindSummary | undefined {
    return this.list().find((summary) => summary.kind === kind);
  }
}
