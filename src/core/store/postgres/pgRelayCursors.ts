import type { RelayCursorStore } from '../../nostr/nostrStore';
import { CURSOR_CLOCK_SKEW_SECONDS, type RepairedCursor } from '../../nostr/relayCursorRepair';
import type pg from 'pg';
import { pgRows, pgValue } from './pgReader';

const unixNow = () => Math.floor(Date.now() / 1000);

/** sqliteRelayCursorRepo.ts on PostgreSQL: the same cursor rules (forward only, capped at the clock plus the skew). */
export class PgRelayCursors implements RelayCursorStore {
  constructor(private readonly pool: pg.Pool) {}

  async get(relay: string): Promise<number | undefined> {
    return (await pgValue<number>(this.pool, 'SELECT newest_created_at FROM nostr_relay_cursors WHERE relay = $1', [relay])) ?? undefined;
  }

  async advance(relay: string, createdAt: number, now = unixNow()): Promise<void> {
    await this.pool.query(`INSERT INTO nostr_relay_cursors (relay, newest_created_at) VALUES ($1, $2)
      ON CONFLICT (relay) DO UPDATE SET newest_created_at = greatest(nostr_relay_cursors.newest_created_at, excluded.newest_created_at)`,
    [relay, Math.min(createdAt, now + CURSOR_CLOCK_SKEW_SECONDS)]);
  }

  /** Cursors past the clock go back to the newest event their relay sent before its first future-dated one, or away. */
  async repairFuture(now = unixNow()): Promise<RepairedCursor[]> {
    const limit = now + CURSOR_CLOCK_SKEW_SECONDS;
    const repaired: RepairedCursor[] = [];
    for (const [relay, was] of await pgRows<[string, number]>(this.pool, 'SELECT relay, newest_created_at FROM nostr_relay_cursors WHERE newest_created_at > $1 ORDER BY relay COLLATE "C"', [limit])) {
      const newest = (await pgValue<number | null>(this.pool, `WITH from_relay AS (
          SELECT e.seq, e.created_at FROM nostr_events e JOIN nostr_relays l ON l.id = e.relay_id WHERE l.url = $1
          UNION ALL
          SELECT e.seq, e.created_at FROM nostr_event_relays r JOIN nostr_relays l ON l.id = r.relay_id JOIN nostr_events e ON e.seq = r.seq WHERE l.url = $1)
        SELECT max(created_at) FROM from_relay
        WHERE created_at <= $2 AND seq < coalesce((SELECT min(seq) FROM from_relay WHERE created_at > $2), 9223372036854775807)`, [relay, limit])) ?? undefined;
      if (newest === undefined) await this.pool.query('DELETE FROM nostr_relay_cursors WHERE relay = $1', [relay]);
      else await this.pool.query('UPDATE nostr_relay_cursors SET newest_created_at = $1 WHERE relay = $2', [newest, relay]);
      repaired.push({ relay, was, now: newest });
    }
    return repaired;
  }
}
