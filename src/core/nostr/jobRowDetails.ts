import type { JobSummary } from '../../protocol/nostrProtocol';
import { idBytes } from './hexIds';
import { PeopleCache } from './peopleCache';
import type { PreparedStatements } from './preparedStatements';

/** Enough of an input to tell jobs apart; the trace shows the whole request. */
const INPUT_KEPT = 200;

/**
 * What tells one job row from another (issue 9, item 4): the request's first `i` value, read from the raw request
 * while it is kept (an encrypted request carries none in clear), and its customer's name and npub.
 */
export function withRowDetails(sql: PreparedStatements, jobs: readonly JobSummary[]): JobSummary[] {
  const people = new PeopleCache(sql);
  return jobs.map((job) => {
    const input = firstInput(sql, job.requestId);
    const name = job.customer ? people.name(job.customer) : undefined;
    return {
      ...job,
      ...(input !== undefined ? { input } : {}),
      ...(job.customer ? { customerNpub: people.npub(job.customer) } : {}),
      ...(name !== undefined ? { customerName: name } : {}),
    };
  });
}

function firstInput(sql: PreparedStatements, requestId: string): string | undefined {
  return firstInputTag(sql, requestId)?.[1].slice(0, INPUT_KEPT);
}

/** The raw request's first `i` tag (value, type, …) while the request is kept; "My jobs" shows its type too. */
export function firstInputTag(sql: PreparedStatements, requestId: string): readonly string[] | undefined {
  const tags = sql.row('SELECT tags FROM nostr_events WHERE id = ?', [idBytes(requestId)])?.[0];
  if (typeof tags !== 'string') return undefined;
  try {
    const parsed = JSON.parse(tags) as unknown;
    if (!Array.isArray(parsed)) return undefined;
    return parsed.find((candidate): candidate is string[] => Array.isArray(candidate) && candidate[0] === 'i' && typeof candidate[1] === 'string');
  } catch {
    return undefined;
  }
}
