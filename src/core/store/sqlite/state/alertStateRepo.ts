import type { Database as SqlDatabase } from 'sql.js';

/**
 * Conditions an alert was raised for and that still hold (a watched DVM's silence, a hotkey's stale weights), kept in
 * the database so that an engine restart does not announce an ongoing condition again (issue 9, item 8). A key is
 * the condition's own name, prefixed by its domain ("nostr:silent:<pubkey>"); it is removed when the condition ends,
 * which re-arms the alert.
 */
export class AlertStateRepo {
  constructor(private readonly db: SqlDatabase) {}

  /** When the alert for `key` was raised (unix seconds), or undefined if it was not, or has ended. */
  raisedAt(key: string): number | undefined {
    const rows = this.db.exec('SELECT raised_at FROM alert_state WHERE key = ?', [key]);
    const value = rows[0]?.values[0]?.[0];
    return typeof value === 'number' ? value : undefined;
  }

  raise(key: string, at: number): void {
    this.db.run('INSERT OR REPLACE INTO alert_state (key, raised_at) VALUES (?, ?)', [key, at]);
  }

  /** The condition ended: its next occurrence is announced. Returns whether an alert was on record. */
  clear(key: string): boolean {
    this.db.run('DELETE FROM alert_state WHERE key = ?', [key]);
    return this.db.getRowsModified() > 0;
  }

  /** Every key on record that starts with `prefix`, with when it was raised. */
  list(prefix: string): { key: string; raisedAt: number }[] {
    const statement = this.db.prepare("SELECT key, raised_at FROM alert_state WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key");
    try {
      statement.bind([prefix]);
      const rows: { key: string; raisedAt: number }[] = [];
      while (statement.step()) {
        const [key, raisedAt] = statement.get();
        rows.push({ key: key as string, raisedAt: raisedAt as number });
      }
      return rows;
    } finally {
      statement.free();
    }
  }
}
