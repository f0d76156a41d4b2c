import type { PostedJobSummary } from './jobTypes';
import type { NostrEvent } from '../nostr/eventTypes';
import { announcedKindNames } from '../nostr/dvmNames';
import { clampLimit } from '../nostr/dvmQuery';
import { checkShape } from '../nostr/eventShape';
import { idBytes } from '../nostr/hexIds';
import { inputTagOf, inputTagOfJson } from '../nostr/jobRowDetails';
import { jobListSql, jobStatus, type JobListRow } from '../nostr/jobListQuery';
import { kindName } from '../nostr/kindRegistry';
import type { PreparedStatements } from '../nostr/preparedStatements';

/** An input value is cut to this many characters: enough to tell jobs apart; the trace shows the whole request. */
const INPUT_KEPT = 200;

/** The jobs a list shows; both queries below read the same ones (request_id breaks ties of one second). */
const SHOWN = `SELECT p.request_id, p.request FROM nostr_posted_jobs p JOIN nostr_jobs j ON j.request_id = p.request_id
  ORDER BY p.posted_at DESC, p.request_id LIMIT ?`;

const POSTED_SQL = jobListSql(`SELECT j.* FROM (${SHOWN}) s JOIN nostr_jobs j ON j.request_id = s.request_id`);

/**
 * Each shown job's signed request, its raw tags (for a job posted before the request was kept) and its zap receipts,
 * for all of them at once: per job, these were two or three queries, and nostr_zaps has no index on request_id.
 */
const DETAILS_SQL = `WITH shown AS (${SHOWN})
  SELECT lower(hex(s.request_id)) AS id, s.request, e.tags AS raw_tags, coalesce(z.msats, 0) AS msats, coalesce(z.zaps, 0) AS zaps
  FROM shown s
  LEFT JOIN nostr_events e ON e.id = s.request_id
  LEFT JOIN (SELECT request_id, sum(msats) AS msats, count(*) AS zaps FROM nostr_zaps
    WHERE request_id IN (SELECT request_id FROM shown) GROUP BY request_id) z ON z.request_id = s.request_id`;

type DetailsRow = { id: string; request: string | null; raw_tags: string | null; msats: number; zaps: number };

/**
 * The jobs the user posted (schema: postedJobsMigrations). A job the Nostr retention removed from nostr_jobs drops
 * out of the list with it; its row here stays, harmless, and lists again if the job is fetched back.
 */
export class PostedJobsRepo {
  constructor(private readonly sql: PreparedStatements) {}

  record(request: NostrEvent, postedAt: number): void {
    this.sql.run('INSERT OR IGNORE INTO nostr_posted_jobs (request_id, posted_at, request) VALUES (?, ?, ?)', [idBytes(request.id), postedAt, JSON.stringify(request)]);
  }

  /** The signed request as it was posted; null when it was not posted here, or its stored copy is damaged. */
  request(requestId: string): NostrEvent | null {
    const text = this.sql.get<{ request: string | null }>('SELECT request FROM nostr_posted_jobs WHERE request_id = ?', [idBytes(requestId.toLowerCase())])?.request;
    return storedRequest(text) ?? null;
  }

  /** Newest first, with each job's status, first input in clear and what zap receipts prove was paid. */
  list(limit: number | undefined): PostedJobSummary[] {
    const names = announcedKindNames(this.sql);
    const shown = clampLimit(limit, 50);
    const details = new Map(this.sql.all<DetailsRow>(DETAILS_SQL, [shown]).map((row) => [row.id, row]));
    return this.sql.all<JobListRow>(POSTED_SQL, [shown]).map((row) => {
      const detail = details.get(row.request_id);
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
    });
  }
}

/** The stored request when it still reads as an event (a damaged file or a hand edit may have changed it). */
function storedRequest(text: string | null | undefined): NostrEvent | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const shape = checkShape(JSON.parse(text));
    return shape.ok ? shape.event : undefined;
  } catch {
    return undefined;
  }
}
