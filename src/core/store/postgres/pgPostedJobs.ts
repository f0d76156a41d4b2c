import type { PostedJobStore } from '../../nostr/nostrStore';
import { clampLimit } from '../../nostr/dvmListRows';
import { postedJobOf, storedRequest, type PostedJobDetails } from '../../jobs/postedJobSummary';
import { pgAnnouncedKindNames } from './pgDvmNames';
import { jobListSql, jobRows } from './pgJobLists';
import { pgId, pgRows, pgValue } from './pgReader';
import type { PgPool } from './pgTransaction';

/** The jobs a list shows; both queries below read the same ones (request_id breaks ties of one second). */
const SHOWN = `SELECT p.request_id, p.request FROM nostr_posted_jobs p JOIN nostr_jobs j ON j.request_id = p.request_id
  ORDER BY p.posted_at DESC, p.request_id LIMIT $1`;

const POSTED_SQL = jobListSql(`SELECT j.* FROM (${SHOWN}) s JOIN nostr_jobs j ON j.request_id = s.request_id`);

/** Each shown job's stored request, the raw request's tags and its zap receipts, all in one read (as on sql.js). */
const DETAILS_SQL = `WITH shown AS (${SHOWN})
  SELECT encode(s.request_id, 'hex'), s.request, e.tags, coalesce(z.msats, 0), coalesce(z.zaps, 0)
  FROM shown s
  LEFT JOIN nostr_events e ON e.id = s.request_id
  LEFT JOIN (SELECT request_id, sum(msats) AS msats, count(*) AS zaps FROM nostr_zaps
    WHERE request_id IN (SELECT request_id FROM shown) GROUP BY request_id) z ON z.request_id = s.request_id`;

type DetailsRow = [id: string, request: string | null, rawTags: string | null, msats: number, zaps: number];

/**
 * "My jobs" on PostgreSQL: postedJobsRepo.ts's table (pgNostrMigrations.ts), queries and row rules
 * (postedJobSummary.ts), so a team store lists what the embedded one lists. Several editors may post into one
 * store; a request recorded twice keeps its first posting time, as INSERT OR IGNORE does on sql.js.
 */
export function createPgPostedJobStore(pool: PgPool): PostedJobStore {
  return {
    async record(request, postedAt) {
      await pool.query('INSERT INTO nostr_posted_jobs (request_id, posted_at, request) VALUES ($1, $2, $3) ON CONFLICT (request_id) DO NOTHING',
        [pgId(request.id), postedAt, JSON.stringify(request)]);
    },
    async request(requestId) {
      const text = await pgValue<string | null>(pool, 'SELECT request FROM nostr_posted_jobs WHERE request_id = $1', [pgId(requestId.toLowerCase())]);
      return storedRequest(text) ?? null;
    },
    async list(limit) {
      const shown = clampLimit(limit, 50);
      const [names, detailRows, rows] = await Promise.all([
        pgAnnouncedKindNames(pool),
        pgRows<DetailsRow>(pool, DETAILS_SQL, [shown]),
        jobRows(pool, POSTED_SQL, [shown]),
      ]);
      const details = new Map(detailRows.map(([id, request, rawTags, msats, zaps]): [string, PostedJobDetails] => [id, { request, raw_tags: rawTags, msats, zaps }]));
      return rows.map((row) => postedJobOf(row, details.get(row.request_id), names));
    },
  };
}
