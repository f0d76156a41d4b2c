import type { ContextVmServer } from '../../../nostr/contextVmTypes';
import type { ContextVmAnnouncement } from '../../../nostr/contextVmEvents';
import { idBytes } from '../../../nostr/hexIds';
import type { PreparedStatements } from './preparedStatements';
import {
  MAX_SERVERS, MAX_RELAYS, announcementData, type ContextVmPartRow, type ContextVmRelayRow, contextVmServersOf,
} from '../../../nostr/contextVmServerRows';

/** The newest announcement of each part of each server, and the relays they were seen on (contextVmMigration.ts). */
export class ContextVmServerRepo {
  constructor(private readonly sql: PreparedStatements) {}

  /** An older copy of a replaceable part never overwrites a newer one. */
  store(announcement: ContextVmAnnouncement, relay: string | undefined): void {
    const { event, part, protocol, serverId } = announcement;
    this.sql.run(`INSERT INTO nostr_contextvm_parts (pubkey, server_id, part, protocol, created_at, data) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (pubkey, server_id, part) DO UPDATE SET protocol = excluded.protocol, created_at = excluded.created_at, data = excluded.data
      WHERE excluded.created_at >= nostr_contextvm_parts.created_at`,
    [idBytes(event.pubkey), serverId, part, protocol, event.created_at, announcementData(announcement)]);
    if (relay) this.seenOn(event.pubkey, serverId, relay);
  }

  seenOn(pubkey: string, serverId: string, relay: string): void {
    const count = this.sql.get<{ n: number }>('SELECT count(*) AS n FROM nostr_contextvm_relays WHERE pubkey = ? AND server_id = ?', [idBytes(pubkey), serverId])?.n ?? 0;
    if (count >= MAX_RELAYS) return;
    this.sql.run('INSERT OR IGNORE INTO nostr_contextvm_relays (pubkey, server_id, url) VALUES (?, ?, ?)', [idBytes(pubkey), serverId, relay]);
  }

  /** Every server with its parts and the newest created_at of any of them, newest first; traffic is the caller's (live, in memory). */
  servers(): (Omit<ContextVmServer, 'traffic' | 'lastSeen'> & { lastAt: number })[] {
    const rows = this.sql.all<ContextVmPartRow>(
      `SELECT p.pubkey, p.server_id, p.part, p.protocol, p.created_at, p.data FROM nostr_contextvm_parts p
        JOIN (SELECT pubkey, server_id, max(created_at) AS last_at FROM nostr_contextvm_parts GROUP BY pubkey, server_id ORDER BY last_at DESC LIMIT ?) s
          ON s.pubkey = p.pubkey AND s.server_id = p.server_id
        ORDER BY s.last_at DESC, p.pubkey, p.server_id`, [MAX_SERVERS]);
    return contextVmServersOf(rows, this.sql.all<ContextVmRelayRow>('SELECT pubkey, server_id, url FROM nostr_contextvm_relays ORDER BY url'));
  }
}
