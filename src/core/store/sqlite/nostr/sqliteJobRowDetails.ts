import type { JobSummary } from '../../../nostr/nostrTypes';
import { idBytes } from '../../../nostr/hexIds';
import { PeopleCache } from './sqlitePeopleCache';
import type { PreparedStatements } from './preparedStatements';
import { rowDetailsOf, inputTagOfJson } from '../../../nostr/jobRowDetails';

/**
 * What tells one job row from another (issue 9, item 4): the request's first `i` value, read from the raw request
 * while it is kept (an encrypted request carries none in clear), and its customer's name and npub.
 */
export function withRowDetails(sql: PreparedStatements, jobs: readonly JobSummary[]): JobSummary[] {
  return rowDetailsOf(jobs, (requestId) => sql.row('SELECT tags FROM nostr_events WHERE id = ?', [idBytes(requestId)])?.[0], new PeopleCache(sql));
}

/** The raw request's first `i` tag (value, type, …) while the request is kept. */
export function firstInputTag(sql: PreparedStatements, requestId: string): readonly string[] | undefined {
  const tags = sql.row('SELECT tags FROM nostr_events WHERE id = ?', [idBytes(requestId)])?.[0];
  return typeof tags === 'string' ? inputTagOfJson(tags) : undefined;
}
