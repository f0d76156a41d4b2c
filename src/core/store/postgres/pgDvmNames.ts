import { kindNamesFromProfiles, profileFromRows, type DvmProfile, type MetadataRow, type ProfileRow } from '../../nostr/dvmNames';
import { pgId, pgRow, pgRows, type PgReader } from './pgReader';

/**
 * dvmNames.ts on PostgreSQL: the same rows read, the same rules applied (profileFromRows, kindNamesFromProfiles).
 * `kinds` and the flags are selected as text and 0/1 so the shared mappers see what sql.js hands them.
 */
const PROFILE_COLUMNS = `name, about, picture, lud16, encryption_supported::int, cashu_accepted::int, nip90_params::text, kinds::text`;

export async function pgLoadProfile(db: PgReader, pubkey: string): Promise<DvmProfile> {
  const key = pgId(pubkey);
  const [handlers, metadata] = await Promise.all([
    pgRows(db, `SELECT ${PROFILE_COLUMNS} FROM nostr_profiles WHERE pubkey = $1 ORDER BY created_at DESC, d`, [key]),
    pgRow(db, 'SELECT name, about, picture, lud16 FROM nostr_metadata WHERE pubkey = $1', [key]),
  ]);
  return profileFromRows(handlers.map(toProfileRow), metadata ? { name: metadata[0], about: metadata[1], picture: metadata[2], lud16: metadata[3] } as MetadataRow : undefined);
}

/** pgLoadProfile for several pubkeys: every handler and kind 0 row of them in two reads. */
export async function pgLoadProfiles(db: PgReader, pubkeys: readonly string[]): Promise<Map<string, DvmProfile>> {
  if (pubkeys.length === 0) return new Map();
  const keys = pubkeys.map(pgId);
  const [handlers, metadata] = await Promise.all([
    pgRows(db, `SELECT encode(pubkey, 'hex'), ${PROFILE_COLUMNS} FROM nostr_profiles WHERE pubkey = ANY($1::bytea[]) ORDER BY pubkey, created_at DESC, d`, [keys]),
    pgRows(db, `SELECT encode(pubkey, 'hex'), name, about, picture, lud16 FROM nostr_metadata WHERE pubkey = ANY($1::bytea[])`, [keys]),
  ]);
  const handlersOf = new Map<string, ProfileRow[]>();
  for (const row of handlers) handlersOf.set(row[0] as string, [...(handlersOf.get(row[0] as string) ?? []), toProfileRow(row.slice(1))]);
  const metadataOf = new Map(metadata.map((row) => [row[0] as string, { name: row[1], about: row[2], picture: row[3], lud16: row[4] } as MetadataRow]));
  return new Map(pubkeys.map((pubkey) => [pubkey, profileFromRows(handlersOf.get(pubkey) ?? [], metadataOf.get(pubkey))]));
}

export async function pgAnnouncedKindNames(db: PgReader): Promise<Map<number, string>> {
  const rows = await pgRows<[string, string]>(db, 'SELECT name, kinds::text FROM nostr_profiles WHERE name IS NOT NULL ORDER BY created_at DESC, pubkey, d');
  return kindNamesFromProfiles(rows.map(([name, kinds]) => ({ name, kinds })));
}

function toProfileRow(row: unknown[]): ProfileRow {
  return {
    name: row[0] as string | null, about: row[1] as string | null, picture: row[2] as string | null, lud16: row[3] as string | null,
    encryption_supported: row[4] as number | null, cashu_accepted: row[5] as number | null, nip90_params: row[6] as string | null, kinds: row[7] as string,
  };
}
