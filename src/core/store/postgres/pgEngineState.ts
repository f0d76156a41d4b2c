import type { PinDomain } from '../pinRepo';
import type { EngineStateStore } from '../storage';
import { notifyPinsChange } from './pgChangeNotices';
import { pgRows, pgValue } from './pgReader';
import { inPgTransaction, type PgPool } from './pgTransaction';

/**
 * Pins, alerts, dropped counts and "collecting since" on PostgreSQL (pinRepo.ts, alertStateRepo.ts,
 * droppedCountRepo.ts and collectingSinceQuery.ts on sql.js), over pgEngineStateMigrations.ts. Every write is one
 * statement: several editors of a team share these rows, and the upserts keep concurrent writers safe.
 *
 * A pin written is announced in its own transaction (pgChangeNotices.ts), so the team's other editors watch what
 * this one watches without a restart; PostgreSQL delivers the notice at COMMIT, never for a write that failed.
 * Alerts are not announced: a raised alert records that this engine told its own windows, which says nothing to
 * another editor, whose user has not been told.
 */
export function createPgEngineState(pool: PgPool): EngineStateStore {
  return {
    pins: {
      async add(domain, key, label) {
        await inPgTransaction(pool, async (client) => {
          await client.query(
            `INSERT INTO pins (domain, key, label, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (domain, key) DO UPDATE SET label = excluded.label, created_at = excluded.created_at`,
            [domain, key, label ?? null, Math.floor(Date.now() / 1000)],
          );
          await notifyPinsChange(client);
        });
      },
      async remove(domain, key) {
        await inPgTransaction(pool, async (client) => {
          const removed = await client.query('DELETE FROM pins WHERE domain = $1 AND key = $2', [domain, key]);
          // Unpinning what was not pinned changed nothing the others hold.
          if ((removed.rowCount ?? 0) > 0) await notifyPinsChange(client);
        });
      },
      async list(domain) {
        // Pins made in the same second by domain, then key, in bytes order: as pinRepo.ts lists them.
        const rows = await pgRows<[string, string, string | null, number]>(pool,
          `SELECT domain, key, label, created_at FROM pins WHERE $1::text IS NULL OR domain = $1 ORDER BY created_at, domain COLLATE "C", key COLLATE "C"`, [domain ?? null]);
        return rows.map(([d, key, label, createdAt]) => ({ domain: d as PinDomain, key, label: label ?? undefined, createdAt }));
      },
    },
    alerts: {
      async raise(key, at) {
        await pool.query('INSERT INTO alert_state (key, raised_at) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET raised_at = excluded.raised_at', [key, at]);
      },
      async clear(key) {
        const result = await pool.query('DELETE FROM alert_state WHERE key = $1', [key]);
        return (result.rowCount ?? 0) > 0;
      },
      async list(prefix) {
        // starts_with, not LIKE: a key may hold % or _.
        const rows = await pgRows<[string, number]>(pool, 'SELECT key, raised_at FROM alert_state WHERE starts_with(key, $1) ORDER BY key COLLATE "C"', [prefix]);
        return rows.map(([key, raisedAt]) => ({ key, raisedAt }));
      },
    },
    dropped: {
      async add(reason, count) {
        if (count <= 0) return;
        await pool.query('INSERT INTO dropped_counts (reason, count) VALUES ($1, $2) ON CONFLICT (reason) DO UPDATE SET count = dropped_counts.count + excluded.count', [reason, count]);
      },
      async all() {
        const counts: Record<string, number> = {};
        for (const [reason, count] of await pgRows<[string, number]>(pool, 'SELECT reason, count FROM dropped_counts ORDER BY reason COLLATE "C"')) counts[reason] = count;
        return counts;
      },
    },
    async collectingSince() {
      const ms = await pgValue<number | null>(pool, 'SELECT min(applied_at) FROM swarmscope_migrations');
      return ms === undefined || ms === null ? undefined : Math.floor(ms / 1000);
    },
  };
}
