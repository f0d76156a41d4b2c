import type { ContextVmServer } from './contextVmTypes';
import type { ContextVmAnnouncement, ListPart } from './contextVmEvents';
import { npub } from './dvmNames';
import { idBytes, idHex } from './hexIds';
import type { PreparedStatements } from './preparedStatements';

/** Servers listed at most; the network announces a few hundred. */
export const MAX_SERVERS = 1_000;
/** Relays remembered per server. */
export const MAX_RELAYS = 20;

type ServerData = { name?: string; about?: string; website?: string; supportsEncryption?: boolean };
type ListData = { names: string[] };

/** What the list shows of an announced part, as the JSON text nostr_contextvm_parts.data holds (both stores). */
export function announcementData(announcement: ContextVmAnnouncement): string {
  const data: ServerData | ListData = announcement.part === 'server'
    ? { name: announcement.name, about: announcement.about, website: announcement.website, supportsEncryption: announcement.supportsEncryption }
    : { names: [...(announcement.names ?? [])] };
  return JSON.stringify(data);
}

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

/** A stored part of a server, as servers() reads it (newest server first). */
export type ContextVmPartRow = { pubkey: Uint8Array; server_id: string; part: ListPart; protocol: 'contextvm' | 'dvmcp'; created_at: number; data: string };
/** A relay a server was seen on (ordered by url). */
export type ContextVmRelayRow = { pubkey: Uint8Array; server_id: string; url: string };

/** The servers out of their parts and relays. */
export function contextVmServersOf(rows: readonly ContextVmPartRow[], relayRows: readonly ContextVmRelayRow[]): (Omit<ContextVmServer, 'traffic' | 'lastSeen'> & { lastAt: number })[] {
  const relays = new Map<string, string[]>();
  for (const row of relayRows) {
    const key = `${idHex(row.pubkey)}/${row.server_id}`;
    relays.set(key, [...(relays.get(key) ?? []), row.url]);
  }
  const servers = new Map<string, Omit<ContextVmServer, 'traffic' | 'lastSeen'> & { lastAt: number }>();
  for (const row of rows) {
    const pubkey = idHex(row.pubkey);
    const key = `${pubkey}/${row.server_id}`;
    const server = servers.get(key) ?? {
      pubkey, npub: npub(pubkey), serverId: row.server_id, protocol: row.protocol, name: null, about: null, website: null,
      supportsEncryption: false, tools: [], resources: 0, prompts: 0, relays: relays.get(key) ?? [], announcedAt: null, lastAt: row.created_at,
    };
    const data = JSON.parse(row.data) as ServerData & Partial<ListData>;
    // Lists stored before contextVmEvents.ts dropped repeated names may still hold them.
    const names = Array.isArray(data.names) ? [...new Set(data.names)] : [];
    switch (row.part) {
      case 'server':
        servers.set(key, {
          ...server, protocol: row.protocol, name: data.name ?? null, about: data.about ?? null, website: data.website ?? null,
          supportsEncryption: data.supportsEncryption === true, announcedAt: row.created_at,
        });
        break;
      case 'tools': servers.set(key, { ...server, tools: names }); break;
      case 'resources': servers.set(key, { ...server, resources: names.length }); break;
      case 'prompts': servers.set(key, { ...server, prompts: names.length }); break;
      default: servers.set(key, server);
    }
  }
  return [...servers.values()];
}
