import type { ContextVmServer } from '../../nostr/contextVmTypes';
import { contextVmServersOf, MAX_SERVERS, type ContextVmPartRow, type ContextVmRelayRow } from '../../nostr/contextVmServerRows';
import { serversWithTraffic } from '../../nostr/contextVmTracker';
import type { ContextVmTraffic } from '../../nostr/contextVmTraffic';
import { pgHex, pgId, pgRows, type PgReader } from './pgReader';

/** sqliteContextVmServerRepo's read on PostgreSQL; the live traffic is the caller's (counted in memory, never stored). */
export async function pgContextVmServers(db: PgReader, traffic: ContextVmTraffic, now: number): Promise<ContextVmServer[]> {
  const [parts, relays] = await Promise.all([
    pgRows<[Buffer, string, ContextVmPartRow['part'], ContextVmPartRow['protocol'], number, string]>(db,
      `SELECT p.pubkey, p.server_id, p.part, p.protocol, p.created_at, p.data FROM nostr_contextvm_parts p
        JOIN (SELECT pubkey, server_id, max(created_at) AS last_at FROM nostr_contextvm_parts GROUP BY pubkey, server_id ORDER BY last_at DESC LIMIT $1) s
          ON s.pubkey = p.pubkey AND s.server_id = p.server_id
        ORDER BY s.last_at DESC, p.pubkey, p.server_id, p.part`, [MAX_SERVERS]),
    pgRows<[Buffer, string, string]>(db, 'SELECT pubkey, server_id, url FROM nostr_contextvm_relays ORDER BY url, pubkey, server_id'),
  ]);
  const rows = parts.map(([pubkey, server_id, part, protocol, created_at, data]): ContextVmPartRow => ({ pubkey, server_id, part, protocol, created_at, data }));
  const relayRows = relays.map(([pubkey, server_id, url]): ContextVmRelayRow => ({ pubkey, server_id, url }));
  return serversWithTraffic(contextVmServersOf(rows, relayRows), traffic, now);
}

/** Which of `pubkeys` (hex) announced a server in the store, by this process or another collector. */
export async function pgAnnouncedServers(db: PgReader, pubkeys: readonly string[]): Promise<string[]> {
  const rows = await pgRows<[Buffer]>(db, 'SELECT DISTINCT pubkey FROM nostr_contextvm_parts WHERE pubkey = ANY($1)',
    [pubkeys.map(pgId)]);
  return rows.map(([pubkey]) => pgHex(pubkey));
}
