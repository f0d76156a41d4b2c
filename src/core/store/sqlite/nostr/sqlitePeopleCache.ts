import { npub } from '../../../nostr/dvmNames';
import { displayName } from './sqliteDvmNames';
import type { PreparedStatements } from './preparedStatements';
import type { People } from '../../../nostr/peopleCache';

/**
 * Display names and npubs, each worked out once per pubkey for one answer: a chain or a job list repeats the same
 * DVMs on every row, and both a profile lookup and a bech32 encoding cost more than the row itself.
 */
export class PeopleCache implements People {
  private readonly names = new Map<string, string | undefined>();
  private readonly npubs = new Map<string, string>();

  constructor(private readonly sql: PreparedStatements) {}

  name(pubkey: string): string | undefined {
    if (!this.names.has(pubkey)) this.names.set(pubkey, displayName(this.sql, pubkey));
    return this.names.get(pubkey);
  }

  npub(pubkey: string): string {
    let encoded = this.npubs.get(pubkey);
    if (encoded === undefined) {
      encoded = npub(pubkey);
      this.npubs.set(pubkey, encoded);
    }
    return encoded;
  }
}
