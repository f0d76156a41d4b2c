import { displayName } from './dvmNames';
import type { PreparedStatements } from './preparedStatements';

export type NameOf = (pubkey: string) => string | undefined;

/** displayName, looked up once per pubkey for one answer: a chain or a job list repeats the same DVMs on every row. */
export function displayNameCache(sql: PreparedStatements): NameOf {
  const cache = new Map<string, string | undefined>();
  return (pubkey) => {
    if (!cache.has(pubkey)) cache.set(pubkey, displayName(sql, pubkey));
    return cache.get(pubkey);
  };
}
