import type { Migration } from '../migration';

/** Tables every domain shares: key/value metadata, the user's pins (never evicted), dropped-event counts, alert state. */
export const coreMigrations: readonly Migration[] = [
  {
    id: 'core-001-meta-and-pins',
    up(db) {
      db.run(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        -- What the user watches: a DVM pubkey (domain 'dvm') or a hotkey (domain 'hotkey').
        -- Rows tied to a pin are kept in full and skipped by retention and by the size budget.
        CREATE TABLE pins (
          domain TEXT NOT NULL,
          key TEXT NOT NULL,
          label TEXT,
          created_at INTEGER NOT NULL,
          PRIMARY KEY (domain, key)
        );
      `);
    },
  },
  {
    id: 'core-002-dropped-counts',
    up(db) {
      // What was dropped on arrival, by reason, kept across runs (droppedCountRepo.ts).
      db.run('CREATE TABLE dropped_counts (reason TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;');
    },
  },
  {
    id: 'core-003-alert-state',
    up(db) {
      // Alerts raised for conditions that still hold, so a restart does not repeat them (alertStateRepo.ts).
      db.run('CREATE TABLE alert_state (key TEXT PRIMARY KEY, raised_at INTEGER NOT NULL) WITHOUT ROWID;');
    },
  },
];
