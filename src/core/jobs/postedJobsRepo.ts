import type { PostedJobSummary } from '../../protocol/jobProtocol';
import type { NostrEvent } from '../../protocol/nostrProtocol';
import { announcedKindNames } from '../nostr/dvmNames';
import { clampLimit } from '../nostr/dvmQuery';
import { idBytes } from '../nostr/hexIds';
import { firstInputTag } from '../nostr/jobRowDetails';
import { jobListSql, jobStatus, type JobListRow } from '../nostr/jobListQuery';
import { kindName } from '../nostr/kindRegistry';
import type { PreparedStatements } from '../nostr/preparedStatements';

/** An input value is cut to this many characters: enough to tell jobs apart; the trace shows the whole request. */
const INPUT_KEPT = 200;

const POSTED_SQL = jobListSql(`SELECT j.* FROM nostr_posted_jobs p JOIN nostr_jobs j ON j.request_id = p.request_id
  ORDER BY p.posted_at DESC LIMIT ?`);

/**
 * The jobs the user posted (schema: postedJobsMigrations). A job the Nostr retention removed from nostr_jobs drops
 * out of the list with it; its row here stays, harmless, and lists again if the job is fetched back.
 */
export class PostedJobsRepo {
  constructor(private readonly sql: PreparedStatements) {}

  record(request: NostrEvent, postedAt: number): void {
    this.sql.run('INSERT OR IGNORE INTO nostr_posted_jobs (request_id, posted_at, request) VALUES (?, ?, ?)', [idBytes(request.id), postedAt, JSON.stringify(request)]);
  }

  /** The signed request as it was posted; null when it was not posted here. */
  request(requestId: string): NostrEvent | null {
    const text = this.sql.get<{ request: string | null }>('SELECT request FROM nostr_posted_jobs WHERE request_id = ?', [idBytes(requestId.toLowerCase())])?.request;
    return typeof text === 'string' ? (JSON.parse(text) as NostrEvent) : null;
  }

  /** Newest first, with each job's status, first input in clear and what zap receipts prove was paid. */
  list(limit: number | undefined): PostedJobSummary[] {
    const names = announcedKindNames(this.sql);
    return this.sql.all<JobListRow>(POSTED_SQL, [clampLimit(limit, 50)]).map((row) => {
      const paid = this.sql.get<{ msats: number; zaps: number }>('SELECT coalesce(sum(msats), 0) AS msats, count(*) AS zaps FROM nostr_zaps WHERE request_id = ?', [idBytes(row.request_id)]);
      const tag = this.request(row.request_id)?.tags.find((each) => each[0] === 'i' && typeof each[1] === 'string') ?? firstInputTag(this.sql, row.request_id);
      return {
        requestId: row.request_id,
        kind: row.kind,
        kindName: kindName(row.kind, names).name,
        createdAt: row.created_at,
        status: jobStatus(row),
        encrypted: row.encrypted === 1,
        dvmCount: row.dvm_count,
        ...(tag ? { input: { data: tag[1].slice(0, INPUT_KEPT), type: typeof tag[2] === 'string' ? tag[2] : 'text' } } : {}),
        paidMsats: paid?.msats ?? 0,
        zaps: paid?.zaps ?? 0,
      };
    });
  }
}
