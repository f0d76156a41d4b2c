import type { HistoryBackfillRow, HistoryBackfillStop } from '../../nostr/historyBackfillTypes';
import type { HistoryBackfillStore } from '../../nostr/nostrStore';
import { pgRows } from './pgReader';
import { inPgTransaction, type PgPool } from './pgTransaction';

const COLUMNS = 'relay, since, started_until, kinds_per_filter, filter_index, until, events, accepted, done_at, stopped';

type StoredRow = [
  relay: string, since: number, startedUntil: number, kindsPerFilter: number, filterIndex: number, until: number,
  events: number, accepted: number, doneAt: number | null, stopped: string | null,
];

/**
 * The history backfill's progress per relay on PostgreSQL: sqliteHistoryBackfillRepo.ts's rules, statement for statement,
 * over the same table (pgNostrMigrations.ts). `plan` reads and writes one relay's row under a row lock, so two
 * collectors planning the same relay at once apply their windows one after the other.
 */
export function createPgHistoryBackfillStore(pool: PgPool): HistoryBackfillStore {
  const run = async (text: string, values: unknown[]) => {
    await pool.query(text, values);
  };
  return {
    async get(relay) {
      return fromStored((await pgRows<StoredRow>(pool, `SELECT ${COLUMNS} FROM nostr_history_backfill WHERE relay = $1`, [relay]))[0]);
    },
    async all() {
      const rows = await pgRows<StoredRow>(pool, `SELECT ${COLUMNS} FROM nostr_history_backfill ORDER BY relay COLLATE "C"`);
      return rows.map((row) => fromStored(row)!);
    },
    plan: (relay, since, until, kindsPerFilter) => inPgTransaction(pool, async (client) => {
      const read = async () => fromStored((await pgRows<StoredRow>(client, `SELECT ${COLUMNS} FROM nostr_history_backfill WHERE relay = $1 FOR UPDATE`, [relay]))[0]);
      let existing = await read();
      if (!existing) {
        await client.query(`INSERT INTO nostr_history_backfill (relay, since, started_until, kinds_per_filter, until) VALUES ($1, $2, $3, $4, $3)
          ON CONFLICT (relay) DO NOTHING`, [relay, since, until, kindsPerFilter]);
        existing = await read();
        if (!existing) throw new Error(`history backfill: no row for ${relay} after planning it`);
        // Another collector planned it first: its row stands, adjusted to this window below as any stored one.
      }
      if (since < existing.since) {
        // A longer window continues below what is covered; what the old run had not reached is asked again.
        const from = existing.doneAt === undefined ? existing.startedUntil : existing.since;
        await client.query('UPDATE nostr_history_backfill SET since = $1, started_until = $2, filter_index = 0, until = $2, done_at = NULL WHERE relay = $3', [since, from, relay]);
      } else if (since > existing.since) {
        await client.query('UPDATE nostr_history_backfill SET since = $1 WHERE relay = $2', [since, relay]);
      }
      return (await read())!;
    }),
    advance: (relay, filterIndex, until, events, accepted) => run(
      'UPDATE nostr_history_backfill SET filter_index = $1, until = $2, events = events + $3, accepted = accepted + $4 WHERE relay = $5',
      [filterIndex, until, events, accepted, relay]),
    restartWithKindsPerFilter: (relay, kindsPerFilter) => run(
      'UPDATE nostr_history_backfill SET kinds_per_filter = $1, filter_index = 0, until = started_until WHERE relay = $2', [kindsPerFilter, relay]),
    finish: (relay, at) => run('UPDATE nostr_history_backfill SET done_at = $1, stopped = NULL WHERE relay = $2', [at, relay]),
    stop: (relay, reason) => run('UPDATE nostr_history_backfill SET stopped = $1 WHERE relay = $2 AND done_at IS NULL', [reason, relay]),
    clearStop: (reason) => (reason
      ? run('UPDATE nostr_history_backfill SET stopped = NULL WHERE stopped = $1', [reason])
      : run('UPDATE nostr_history_backfill SET stopped = NULL', [])),
  };
}

function fromStored(row: StoredRow | undefined): HistoryBackfillRow | undefined {
  if (!row) return undefined;
  const [relay, since, startedUntil, kindsPerFilter, filterIndex, until, events, accepted, doneAt, stopped] = row;
  return {
    relay, since, startedUntil, kindsPerFilter, filterIndex, until, events, accepted,
    doneAt: doneAt ?? undefined,
    stopped: (stopped ?? undefined) as HistoryBackfillStop | undefined,
  };
}
