import type { DvmAnnouncement } from '../../../jobs/jobTypes';
import { loadProfile } from '../nostr/sqliteDvmNames';
import { KIND_HANDLER_INFO } from '../../../nostr/nostrEvent';
import type { PreparedStatements } from '../nostr/preparedStatements';
import { announcementOf } from '../../../jobs/dvmAnnouncement';

/**
 * What the store knows a DVM announces for posting a job to it: its profile (DESIGN.md "Profile", through the
 * same `loadProfile` the DVM views use) for name, kinds, encryption and `nip90Params`; and, from its newest
 * handler announcement while the raw event is kept, the relays it names and whether it takes NIP-44.
 * Null when the store has neither a profile nor an announcement of it.
 *
 * NIP-89/90 define no field for NIP-44 support; we read it from the announcement's content: `"nip44": true`, or
 * `"nip44"` among the values of `encryptionSupported`, `encryption` or `encryptionSchemes`.
 */
export function dvmAnnouncement(sql: PreparedStatements, pubkey: string): DvmAnnouncement | null {
  const key = pubkey.toLowerCase();
  const profile = loadProfile(sql, key);
  const raw = sql.get<{ tags: string; content: string }>(
    'SELECT tags, content FROM nostr_events WHERE pubkey = unhex(?) AND kind = ? ORDER BY created_at DESC, seq DESC LIMIT 1', [key, KIND_HANDLER_INFO],
  );
  return announcementOf(key, profile, raw);
}
