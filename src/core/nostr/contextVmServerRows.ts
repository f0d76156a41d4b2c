import type { ContextVmServer } from './contextVmTypes';
import type { ContextVmAnnouncement, ListPart } from './contextVmEvents';
import { npub } from './dvmNames';
import { idHex } from './hexIds';

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
