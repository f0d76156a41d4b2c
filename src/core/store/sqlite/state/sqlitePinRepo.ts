import type { Database as SqlDatabase } from 'sql.js';
import type { Pin, PinDomain } from '../../pinRepo';

/** What the user watches. Retention and the size budget consult this table and never remove what it names. */
export class PinRepo {
  constructor(private readonly db: SqlDatabase) {}

  add(domain: PinDomain, key: string, label?: string): void {
    this.db.run('INSERT OR REPLACE INTO pins (domain, key, label, created_at) VALUES (?, ?, ?, ?)', [
      domain, key, label ?? null, Math.floor(Date.now() / 1000),
    ]);
  }

  remove(domain: PinDomain, key: string): void {
    this.db.run('DELETE FROM pins WHERE domain = ? AND key = ?', [domain, key]);
  }

  list(domain?: PinDomain): Pin[] {
    const statement = this.db.prepare(
      // Pins made in the same second list by domain and key (what SQLite gave implicitly before: its primary-key order).
      domain ? 'SELECT domain, key, label, created_at FROM pins WHERE domain = ? ORDER BY created_at, key' : 'SELECT domain, key, label, created_at FROM pins ORDER BY created_at, domain, key',
    );
    try {
      if (domain) statement.bind([domain]);
      const pins: Pin[] = [];
      while (statement.step()) {
        const [d, key, label, createdAt] = statement.get();
        pins.push({ domain: d as PinDomain, key: key as string, label: (label as string | null) ?? undefined, createdAt: createdAt as number });
      }
      return pins;
    } finally {
      statement.free();
    }
  }

  has(domain: PinDomain, key: string): boolean {
    const result = this.db.exec('SELECT 1 FROM pins WHERE domain = ? AND key = ?', [domain, key]);
    return result.length > 0;
  }
}
