import type { PreparedStatements } from './preparedStatements';
import { CURSOR_CLOCK_SKEW_SECONDS, type RepairedCursor } from '../../../nostr/relayCursorRepair';

const unixNow = () => Math.floor(Date.now() / 1000);

/** created_at and arrival order of every stored raw event a relay carried (first relay or a later copy). */
const FROM_RELAY = `WITH from_relay AS (
  SELECT seq, created_at FROM nostr_events WHERE relay_id = ?1
  UNION ALL
  SELECT e.seq, e.created_at FROM nostr_event_relays r JOIN nostr_events e ON e.seq = r.seq WHERE r.relay_id = ?1
)`;

/**
 * The newest event the relay sent before its first future-dated one arrived: the collector stored everything up to
 * there, and a cursor poisoned at that moment skipped what came after.
 */
const NEWEST_BEFORE_FUTURE_SQL = `${FROM_RELAY}
  SELECT max(created_at) FROM from_relay
  WHERE created_at <= ?2 AND seq < coalesce((SELECT min(seq) FROM from_relay WHERE created_at > ?2), 9223372036854775807)`;

/**
 * Per relay, the newest created_at the collector has proven complete (its backfill resumes there, minus an
 * overlap). `advance` is the only writer: anyone can publish a validly signed event dated years ahead, and a cursor
 * moved there would make every later backfill ask for nothing (issue 8).
 */
export class RelayCursorRepo {
  constructor(private readonly sql: PreparedStatements) {}

  get(relay: string): number | undefined {
    return this.sql.get<{ at: number }>('SELECT newest_created_at AS at FROM nostr_relay_cursors WHERE relay = ?', [relay])?.at;
  }

  /** Moves the cursor forward to `createdAt`, never past `now` + CURSOR_CLOCK_SKEW_SECONDS and never back. */
  advance(relay: string, createdAt: number, now = unixNow()): void {
    const capped = Math.min(createdAt, now + CURSOR_CLOCK_SKEW_SECONDS);
    this.sql.run(
      'INSERT INTO nostr_relay_cursors (relay, newest_created_at) VALUES (?, ?) ON CONFLICT (relay) DO UPDATE SET newest_created_at = max(newest_created_at, excluded.newest_created_at)',
      [relay, capped],
    );
  }

  /**
   * Cursors already past the clock (written before `advance` capped them, or while the clock was wrong) go back to
   * the newest event their relay sent before the first future-dated one, so the next backfill fetches what they
   * skipped; with no such event stored, the cursor is removed and the relay gets a first backfill.
   */
  repairFuture(now = unixNow()): RepairedCursor[] {
    const limit = now + CURSOR_CLOCK_SKEW_SECONDS;
    const ahead = this.sql.all<{ relay: string; at: number }>('SELECT relay, newest_created_at AS at FROM nostr_relay_cursors WHERE newest_created_at > ?', [limit]);
    const repaired: RepairedCursor[] = [];
    for (const { relay, at } of ahead) {
      const relayId = this.sql.row('SELECT id FROM nostr_relays WHERE url = ?', [relay])?.[0] as number | undefined;
      const newest = relayId === undefined ? undefined : (this.sql.row(NEWEST_BEFORE_FUTURE_SQL, [relayId, limit])?.[0] as number | null) ?? undefined;
      if (newest === undefined) this.sql.run('DELETE FROM nostr_relay_cursors WHERE relay = ?', [relay]);
      else this.sql.run('UPDATE nostr_relay_cursors SET newest_created_at = ? WHERE relay = ?', [newest, relay]);
      repaired.push({ relay, was: at, now: newest });
    }
    return repaired;
  }
}
