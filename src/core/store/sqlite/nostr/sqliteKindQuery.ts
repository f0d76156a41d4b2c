import type { KindSummary } from '../../../nostr/nostrTypes';
import { announcedKindNames } from './sqliteDvmNames';
import type { PreparedStatements } from './preparedStatements';
import { type KindTotalsRow, kindSummariesOf } from '../../../nostr/kindSummaryRows';

/** Per-kind all-time figures: every kind requested, answered or announced (DESIGN.md "Kind names"). */
export class KindQuery {
  constructor(private readonly sql: PreparedStatements) {}

  list(): KindSummary[] {
    return kindSummariesOf(this.sql.all<KindTotalsRow>('SELECT kind, requests, results, dvms, users FROM nostr_kinds'),
      this.sql.column<string>("SELECT kinds FROM nostr_profiles WHERE kinds <> '[]'"), announcedKindNames(this.sql));
  }

  one(kind: number): KindSummary | undefined {
    return this.list().find((summary) => summary.kind === kind);
  }
}
