import type { Migration } from '../migration';

/**
 * ContextVM / DVMCP servers (contextVmEvents.ts): all-time and small (a few rows per server), so retention and the
 * size budget leave them alone. One row per announced part (server, tools, resources, templates, prompts): each is a
 * replaceable event, so only its newest version is kept. The live traffic is never stored (contextVmTraffic.ts).
 */
export const contextVmMigration: Migration = {
  id: 'nostr-003-contextvm-servers',
  up(db) {
    db.run(`
      CREATE TABLE nostr_contextvm_parts (
        pubkey BLOB NOT NULL,
        server_id TEXT NOT NULL,         -- DVMCP's d / s; '' for ContextVM
        part TEXT NOT NULL,              -- server | tools | resources | templates | prompts
        protocol TEXT NOT NULL,          -- contextvm | dvmcp
        created_at INTEGER NOT NULL,
        data TEXT NOT NULL,              -- JSON of what the list shows (contextVmServerRepo.ts)
        PRIMARY KEY (pubkey, server_id, part)
      ) WITHOUT ROWID;
      CREATE TABLE nostr_contextvm_relays (
        pubkey BLOB NOT NULL,
        server_id TEXT NOT NULL,
        url TEXT NOT NULL,
        PRIMARY KEY (pubkey, server_id, url)
      ) WITHOUT ROWID;
    `);
  },
};
