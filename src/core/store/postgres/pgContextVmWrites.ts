import { isContextVmKind, parseContextVm, type ContextVmAnnouncement } from '../../nostr/contextVmEvents';
import { announcementData, MAX_RELAYS } from '../../nostr/contextVmServerRows';
import type { NostrEvent } from '../../nostr/nostrEvent';
import { pgId } from './pgReader';
import type { PgWriter } from './pgRowWrites';

/** A ContextVM / DVMCP announcement among `event`s, or undefined (contextVmEvents.ts). */
export function contextVmAnnouncement(event: NostrEvent): ContextVmAnnouncement | undefined {
  if (!isContextVmKind(event.kind)) return undefined;
  const parsed = parseContextVm(event);
  return parsed?.type === 'announcement' ? parsed : undefined;
}

/**
 * ContextVM servers in the PostgreSQL store, as ContextVmServerRepo keeps them in sql.js: the newest copy of each
 * announced part (an older one never overwrites it), and up to MAX_RELAYS relays per server. `announcements` are
 * the batch's new ones in arrival order; `seenOn` the (server, relay) pairs that carried any announcement.
 */
export async function writeContextVmServers(db: PgWriter, announcements: readonly ContextVmAnnouncement[], seenOn: readonly { pubkey: string; serverId: string }[], relay: string | undefined): Promise<void> {
  // One row per part in one statement; the later of two copies of one second wins, as the upsert one by one would.
  const newest = new Map<string, ContextVmAnnouncement>();
  for (const announcement of announcements) {
    const key = `${announcement.event.pubkey}|${announcement.serverId}|${announcement.part}`;
    const kept = newest.get(key);
    if (!kept || announcement.event.created_at >= kept.event.created_at) newest.set(key, announcement);
  }
  if (newest.size > 0) {
    const parts = [...newest.values()];
    await db.query(`INSERT INTO nostr_contextvm_parts (pubkey, server_id, part, protocol, created_at, data)
      SELECT * FROM unnest($1::bytea[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])
      ON CONFLICT (pubkey, server_id, part) DO UPDATE SET protocol = excluded.protocol, created_at = excluded.created_at, data = excluded.data
      WHERE excluded.created_at >= nostr_contextvm_parts.created_at`, [
      parts.map(({ event }) => pgId(event.pubkey)), parts.map(({ serverId }) => serverId), parts.map(({ part }) => part),
      parts.map(({ protocol }) => protocol), parts.map(({ event }) => event.created_at), parts.map(announcementData),
    ]);
  }
  if (!relay) return;
  const servers = new Map<string, { pubkey: string; serverId: string }>();
  for (const server of [...announcements.map(({ event, serverId }) => ({ pubkey: event.pubkey, serverId })), ...seenOn]) {
    servers.set(`${server.pubkey}|${server.serverId}`, server);
  }
  if (servers.size === 0) return;
  const list = [...servers.values()];
  await db.query(`INSERT INTO nostr_contextvm_relays (pubkey, server_id, url)
    SELECT v.pubkey, v.server_id, $3 FROM unnest($1::bytea[], $2::text[]) AS v (pubkey, server_id)
    WHERE (SELECT count(*) FROM nostr_contextvm_relays r WHERE r.pubkey = v.pubkey AND r.server_id = v.server_id) < ${MAX_RELAYS}
    ON CONFLICT DO NOTHING`, [list.map(({ pubkey }) => pgId(pubkey)), list.map(({ serverId }) => serverId), relay]);
}
