import type { PostedJobSummary } from '../../../jobs/jobTypes';
import type { NostrEvent } from '../../../nostr/eventTypes';
import { announcedKindNames } from '../nostr/sqliteDvmNames';
import { clampLimit } from '../../../nostr/dvmListRows';
import { idBytes } from '../../../nostr/hexIds';
import { type JobListRow } from '../../../nostr/jobListRows';
import { jobListSql } from '../nostr/sqliteJobListQuery';
import type { PreparedStatements } from '../nostr/preparedStatements';
import { postedJobOf, storedRequest, type PostedJobDetails } from '../../../jobs/postedJobSummary';

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

type DetailsRow = PostedJobDetails & { id: string };

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
    return this.sql.all<JobListRow>(POSTED_SQL, [shown]).map((row) => postedJobOf(row, details.get(row.request_id), names));
  }
}
