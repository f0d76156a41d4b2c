import type { PreparedStatements } from './preparedStatements';
import {
  type DvmProfile, type ProfileRow, type MetadataRow, profileFromRows, kindNamesFromProfiles,
} from '../../../nostr/dvmNames';

/**
 * DESIGN.md "Profile": the newest NIP-89 handler (31990) of a pubkey, field by field falling back to its kind 0
 * metadata. A pubkey may announce several handlers (one per `d`); the newest that has a field wins.
 */
export function loadProfile(sql: PreparedStatements, pubkey: string): DvmProfile {
  const handlers = sql.all<ProfileRow>('SELECT name, about, picture, lud16, encryption_supported, cashu_accepted, nip90_params, kinds FROM nostr_profiles WHERE pubkey = unhex(?) ORDER BY created_at DESC', [pubkey]);
  return profileFromRows(handlers, sql.get<MetadataRow>('SELECT name, about, picture, lud16 FROM nostr_metadata WHERE pubkey = unhex(?)', [pubkey]));
}

/** Display name only, for lists (mostPopularDvm, trace DVMs). */
export function displayName(sql: PreparedStatements, pubkey: string): string | undefined {
  const fromHandler = sql.get<{ name: string }>('SELECT name FROM nostr_profiles WHERE pubkey = unhex(?) AND name IS NOT NULL ORDER BY created_at DESC LIMIT 1', [pubkey]);
  if (fromHandler) return fromHandler.name;
  return sql.get<{ name: string }>('SELECT name FROM nostr_metadata WHERE pubkey = unhex(?) AND name IS NOT NULL', [pubkey])?.name ?? undefined;
}

/** Kind names DVMs announce: for each job kind, the name of the newest handler profile listing it. */
export function announcedKindNames(sql: PreparedStatements): Map<number, string> {
  return kindNamesFromProfiles(sql.all<{ name: string; kinds: string }>('SELECT name, kinds FROM nostr_profiles WHERE name IS NOT NULL ORDER BY created_at DESC'));
}
