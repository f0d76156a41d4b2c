import type { PreparedStatements } from './preparedStatements';
import type { HistoryBackfillStop, HistoryBackfillRow } from '../../../nostr/historyBackfillTypes';

const COLUMNS = 'relay, since, started_until, kinds_per_filter, filter_index, until, events, accepted, done_at, stopped';

type StoredRow = {
  relay: string; since: number; started_until: number; kinds_per_filter: number; filter_index: number; until: number;
  events: number; accepted: number; done_at: number | null; stopped: string | null;
};

/** The history backfill's progress per relay (table nostr_history_backfill): the only reader and writer. */
export class HistoryBackfillRepo {
  constructor(private readonly sql: PreparedStatements) {}

  get(relay: string): HistoryBackfillRow | undefined {
    const row = this.sql.get<StoredRow>(`SELECT ${COLUMNS} FROM nostr_history_backfill WHERE relay = ?`, [relay]);
    return row ? fromStored(row) : undefined;
  }

  all(): HistoryBackfillRow[] {
    return this.sql.all<StoredRow>(`SELECT ${COLUMNS} FROM nostr_history_backfill ORDER BY relay`).map(fromStored);
  }

  /**
   * The run that covers [since, until] of `relay`. A relay with no row gets a fresh one. A history window made longer
   * (an older `since`) continues below what is already covered: the new run is [since, the old since], and what the
   * old run had not reached yet is asked again within it (its repeats are duplicates, never counted twice). A window
   * made shorter only moves `since` up. A stop reason is kept: a cancelled run waits for `clearStop`.
   */
  plan(relay: string, since: number, until: number, kindsPerFilter: number): HistoryBackfillRow {
    const existing = this.get(relay);
    if (!existing) {
      this.sql.run(`INSERT INTO nostr_history_backfill (relay, since, started_until, kinds_per_filter, until) VALUES (?, ?, ?, ?, ?)`,
        [relay, since, until, kindsPerFilter, until]);
    } else if (since < existing.since) {
      const from = existing.doneAt === undefined ? existing.startedUntil : existing.since;
      this.sql.run('UPDATE nostr_history_backfill SET since = ?, started_until = ?, filter_index = 0, until = ?, done_at = NULL WHERE relay = ?',
        [since, from, from, relay]);
    } else if (since > existing.since) {
      this.sql.run('UPDATE nostr_history_backfill SET since = ? WHERE relay = ?', [since, relay]);
    }
    return this.get(relay)!;
  }

  /** A page is stored: the current filter is done down to `until` (inclusive), `filterIndex` filters before it. */
  advance(relay: string, filterIndex: number, until: number, events: number, accepted: number): void {
    this.sql.run('UPDATE nostr_history_backfill SET filter_index = ?, until = ?, events = events + ?, accepted = accepted + ? WHERE relay = ?',
      [filterIndex, until, events, accepted, relay]);
  }

  /** The relay refused the job filters as asked: start over with smaller filters (repeats are duplicates). */
  restartWithKindsPerFilter(relay: string, kindsPerFilter: number): void {
    this.sql.run('UPDATE nostr_history_backfill SET kinds_per_filter = ?, filter_index = 0, until = started_until WHERE relay = ?', [kindsPerFilter, relay]);
  }

  finish(relay: string, at: number): void {
    this.sql.run('UPDATE nostr_history_backfill SET done_at = ?, stopped = NULL WHERE relay = ?', [at, relay]);
  }

  stop(relay: string, reason: HistoryBackfillStop): void {
    this.sql.run('UPDATE nostr_history_backfill SET stopped = ? WHERE relay = ? AND done_at IS NULL', [reason, relay]);
  }

  /** Lets stopped runs go on (the user started the backfill again, or the budget has room again). */
  clearStop(reason?: HistoryBackfillStop): void {
    if (reason) this.sql.run('UPDATE nostr_history_backfill SET stopped = NULL WHERE stopped = ?', [reason]);
    else this.sql.run('UPDATE nostr_history_backfill SET stopped = NULL');
  }
}

function fromStored(row: StoredRow): HistoryBackfillRow {
  return {
    relay: row.relay,
    since: row.since,
    startedUntil: row.started_until,
    kindsPerFilter: row.kinds_per_filter,
    filterIndex: row.filter_index,
    until: row.until,
    events: row.events,
    accepted: row.accepted,
    doneAt: row.done_at ?? undefined,
    stopped: (row.stopped ?? undefined) as HistoryBackfillStop | undefined,
  };
}
