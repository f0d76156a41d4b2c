import { npub } from '../../nostr/dvmNames';
import type { People } from '../../nostr/peopleCache';
import { pgId, pgRows, type PgReader } from './pgReader';

/**
 * PeopleCache for PostgreSQL: the display names of every pubkey an answer lists, read in one statement (dvmNames'
 * displayName rule: the newest handler's name, then kind 0's) before the rows are mapped, since a mapper cannot wait.
 */
export async function pgPeople(db: PgReader, pubkeys: Iterable<string | null | undefined>): Promise<People> {
  const wanted = [...new Set([...pubkeys].filter((pubkey): pubkey is string => typeof pubkey === 'string' && pubkey.length > 0))];
  const names = new Map<string, string | undefined>();
  if (wanted.length > 0) {
    for (const [pubkey, name] of await pgRows<[string, string | null]>(db, `SELECT encode(k, 'hex'), coalesce(
        (SELECT name FROM nostr_profiles WHERE pubkey = k AND name IS NOT NULL ORDER BY created_at DESC, d LIMIT 1),
        (SELECT name FROM nostr_metadata WHERE pubkey = k AND name IS NOT NULL))
      FROM unnest($1::bytea[]) k`, [wanted.map(pgId)])) names.set(pubkey, name ?? undefined);
  }
  const npubs = new Map<string, string>();
  return {
    name: (pubkey) => names.get(pubkey),
    npub: (pubkey) => {
      let encoded = npubs.get(pubkey);
      if (encoded === undefined) npubs.set(pubkey, (encoded = npub(pubkey)));
      return encoded;
    },
  };
}
