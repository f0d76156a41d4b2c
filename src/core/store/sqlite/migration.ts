import type { Database as SqlDatabase } from 'sql.js';

/**
 * One schema step. Ids are unique across the whole store and never reused; each domain (core, nostr, bittensor)
 * owns a prefix so that domains add steps without touching each other's files. Steps run in list order, once.
 */
export interface Migration {
  readonly id: string;
  up(db: SqlDatabase): void;
}
