import type { PostedJobSummary } from './jobTypes';
import type { NostrEvent } from '../nostr/eventTypes';
import { checkShape } from '../nostr/eventShape';
import { jobStatus, type JobListRow } from '../nostr/jobListRows';
import { inputTagOf, inputTagOfJson } from '../nostr/jobRowDetails';
import { kindName } from '../nostr/kindRegistry';

/** An input value is cut to this many characters: enough to tell jobs apart; the trace shows the whole request. */
const INPUT_KEPT = 200;

/** What My jobs reads per shown job besides its list row: the stored request, the raw request's tags, its zaps. */
export type PostedJobDetails = { request: string | null; raw_tags: string | null; msats: number; zaps: number };

/**
 * One My jobs row from what either store read (postedJobsRepo.ts on sql.js, pgPostedJobs.ts on PostgreSQL), so
 * both apply the same rules to the same rows.
 */
export function postedJobOf(row: JobListRow, detail: PostedJobDetails | undefined, names: ReadonlyMap<number, string>): PostedJobSummary {
  // A damaged stored copy costs the row its input from that copy, not the list: the raw request may still say it.
  const tag = inputTagOf(storedRequest(detail?.request)?.tags) ?? (detail?.raw_tags ? inputTagOfJson(detail.raw_tags) : undefined);
  return {
    requestId: row.request_id,
    kind: row.kind,
    kindName: kindName(row.kind, names).name,
    createdAt: row.created_at,
    status: jobStatus(row),
    encrypted: row.encrypted === 1,
    dvmCount: row.dvm_count,
    ...(tag ? { input: { data: tag[1].slice(0, INPUT_KEPT), type: typeof tag[2] === 'string' ? tag[2] : 'text' } } : {}),
    paidMsats: detail?.msats ?? 0,
    zaps: detail?.zaps ?? 0,
  };
}

/** The stored request when it still reads as an event (a damaged file or a hand edit may have changed it). */
export function storedRequest(text: string | null | undefined): NostrEvent | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const shape = checkShape(JSON.parse(text));
    return shape.ok ? shape.event : undefined;
  } catch {
    return undefined;
  }
}
