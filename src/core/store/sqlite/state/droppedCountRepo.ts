import type { Database as SqlDatabase } from 'sql.js';

/**
 * Events, answers and frames dropped on arrival, counted by reason over the database's whole life (DESIGN.md
 * "Nothing lost silently"), so that `status` and the Health view show them across runs, not only since the
 * engine started. Reasons are fixed texts from our code, never data from the network, so the table stays small.
 */
export class DroppedCountRepo {
  constructor(private readonly db: SqlDatabase) {}

  add(reason: string, count: number): void {
    if (count <= 0) return;
    this.db.run('INSERT INTO dropped_counts (reason, count) VALUES (?, ?) ON CONFLICT (reason) DO UPDATE SET count = count + excluded.count', [reason, count]);
  }

  all(): Record<string, number> {
    const counts: Record<string, number> = {};
    const statement = this.db.prepare('SELECT reason, count FROM dropped_counts ORDER BY reason');
    try {
      while (statement.step()) {
        const [reason, count] = statement.get();
        counts[reason as string] = count as number;
      }
    } finally {
      statement.free();
    }
    return counts;
  }
}
