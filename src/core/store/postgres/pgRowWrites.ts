import type { JobRow, MetadataRow, Pair, ProfileRow, ZapRow } from '../../nostr/jobRows';
import { PAIR_COLUMNS } from '../../nostr/jobRows';
import { DVM_FIELDS, ROLLUP_FIELDS } from '../../nostr/tally';
import { pgId, pgIdOrNull } from './pgReader';

/** What a statement is sent over: a pool client inside the batch's transaction. */
export interface PgWriter {
  query(text: string, values?: unknown[]): Promise<unknown>;
}

const PAIR_TYPES: Record<keyof Pair, string> = {
  kind: 'int', first_at: 'bigint', last_at: 'bigint', status: 'text', status_at: 'bigint', status_rank: 'int', results: 'bigint', feedback: 'bigint',
  first_result_at: 'bigint', first_feedback_at: 'bigint', succeeded: 'int', errored: 'int', requested_msats: 'bigint', requested_at: 'bigint',
  amount_mismatch: 'int', proven_msats: 'bigint', response_sec: 'bigint', feedback_sec: 'bigint',
};

/**
 * `INSERT INTO table (columns) SELECT * FROM unnest($1::t1[], $2::t2[], …) …`: one statement and one parameter per
 * column whatever the number of rows (no host-parameter limit to chunk under), the rows in the order given.
 */
function unnestInsert(table: string, columns: readonly (readonly [name: string, type: string])[], tail: string): string {
  return `INSERT INTO ${table} (${columns.map(([name]) => name).join(', ')})
    SELECT ${columns.map(([name]) => name).join(', ')} FROM unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
      AS v (${columns.map(([name]) => name).join(', ')}) ${tail}`;
}

function columnsOf<R extends readonly unknown[]>(rows: readonly R[], width: number): unknown[][] {
  const columns: unknown[][] = Array.from({ length: width }, () => []);
  for (const row of rows) for (let i = 0; i < width; i++) columns[i].push(row[i]);
  return columns;
}

/*
 * Every statement of a batch has a fixed shape (one array parameter per column, whatever the number of rows), so each
 * is built once, here, rather than on every batch.
 */
const PAIR_UPSERT = unnestInsert('nostr_job_dvms', [['request_id', 'bytea'], ['dvm', 'bytea'], ...PAIR_COLUMNS.map((column) => [column, PAIR_TYPES[column]] as const)],
  `ON CONFLICT (request_id, dvm) DO UPDATE SET ${PAIR_COLUMNS.map((column) => `${column} = excluded.${column}`).join(', ')}`);
const ROLLUP_UPSERT = unnestInsert('nostr_rollups', [['period', 'text'], ['bucket', 'bigint'], ['kind', 'int'], ['dvm', 'bytea'], ...ROLLUP_FIELDS.map((field) => [field, 'bigint'] as const)],
  `ON CONFLICT (period, bucket, kind, dvm) DO UPDATE SET ${ROLLUP_FIELDS.map((field) => `${field} = nostr_rollups.${field} + excluded.${field}`).join(', ')}`);
const DVM_UPSERT = unnestInsert('nostr_dvms', [['pubkey', 'bytea'], ['first_seen', 'bigint'], ['last_answer_at', 'bigint'], ...DVM_FIELDS.map((field) => [field, 'bigint'] as const)],
  `ON CONFLICT (pubkey) DO UPDATE SET first_seen = least(nostr_dvms.first_seen, excluded.first_seen),
    last_answer_at = greatest(nostr_dvms.last_answer_at, excluded.last_answer_at),
    ${DVM_FIELDS.map((field) => `${field} = nostr_dvms.${field} + excluded.${field}`).join(', ')}`);
const DVM_ADD = `UPDATE nostr_dvms d SET ${DVM_FIELDS.map((field) => `${field} = d.${field} + v.${field}`).join(', ')}
  FROM unnest($1::bytea[], ${DVM_FIELDS.map((_, i) => `$${i + 2}::bigint[]`).join(', ')}) AS v (pubkey, ${DVM_FIELDS.join(', ')}) WHERE d.pubkey = v.pubkey`;
const PROFILE_COLUMNS = [
  ['pubkey', 'bytea'], ['d', 'text'], ['created_at', 'bigint'], ['event_id', 'bytea'], ['name', 'text'], ['about', 'text'], ['picture', 'text'], ['lud16', 'text'],
  ['encryption_supported', 'int'], ['cashu_accepted', 'int'], ['nip90_params', 'text'], ['kinds', 'text'], ['relays', 'text'],
] as const;
const METADATA_COLUMNS = [['pubkey', 'bytea'], ['created_at', 'bigint'], ['event_id', 'bytea'], ['name', 'text'], ['about', 'text'], ['picture', 'text'], ['lud16', 'text']] as const;
const replaceAll = (columns: readonly (readonly [string, string])[], skip: number) => columns.slice(skip).map(([name]) => `${name} = excluded.${name}`).join(', ');

const JOB_INSERT = unnestInsert('nostr_jobs', [['request_id', 'bytea'], ['kind', 'int'], ['customer', 'bytea'], ['created_at', 'bigint'], ['encrypted', 'int'], ['scheme', 'text'], ['cancelled_at', 'bigint']],
  'ON CONFLICT (request_id) DO NOTHING');
const JOB_CANCEL = `UPDATE nostr_jobs j SET cancelled_at = least(coalesce(j.cancelled_at, v.at), v.at)
  FROM unnest($1::bytea[], $2::bigint[]) AS v (request_id, at) WHERE j.request_id = v.request_id`;
const TARGET_INSERT = unnestInsert('nostr_job_targets', [['request_id', 'bytea'], ['dvm', 'bytea'], ['created_at', 'bigint']], 'ON CONFLICT DO NOTHING');
const LINK_INSERT = unnestInsert('nostr_job_links', [['child_id', 'bytea'], ['parent_id', 'bytea'], ['created_at', 'bigint']], 'ON CONFLICT DO NOTHING');
const DELETION_INSERT = unnestInsert('nostr_deletions', [['target_id', 'bytea'], ['event_id', 'bytea'], ['deleter', 'bytea'], ['created_at', 'bigint']], 'ON CONFLICT DO NOTHING');
const ZAP_INSERT = unnestInsert('nostr_zaps', [['id', 'bytea'], ['target_id', 'bytea'], ['recipient', 'bytea'], ['msats', 'bigint'], ['created_at', 'bigint'], ['request_id', 'bytea'], ['dvm', 'bytea']],
  'ON CONFLICT (id) DO NOTHING');
const ZAP_LINK = `UPDATE nostr_zaps z SET request_id = v.request_id, dvm = v.dvm FROM unnest($1::bytea[], $2::bytea[], $3::bytea[]) AS v (id, request_id, dvm)
  WHERE z.id = v.id`;
const EVENT_JOB = 'UPDATE nostr_events e SET job_id = v.job_id FROM unnest($1::bytea[], $2::bytea[]) AS v (id, job_id) WHERE e.id = v.id';
const HEARTBEAT_UPSERT = unnestInsert('nostr_heartbeats', [['pubkey', 'bytea'], ['last_at', 'bigint']],
  'ON CONFLICT (pubkey) DO UPDATE SET last_at = greatest(nostr_heartbeats.last_at, excluded.last_at)');
const PROFILE_UPSERT = unnestInsert('nostr_profiles', PROFILE_COLUMNS, `ON CONFLICT (pubkey, d) DO UPDATE SET ${replaceAll(PROFILE_COLUMNS, 2)}`);
const METADATA_UPSERT = unnestInsert('nostr_metadata', METADATA_COLUMNS, `ON CONFLICT (pubkey) DO UPDATE SET ${replaceAll(METADATA_COLUMNS, 1)}`);
const USER_ADD = unnestInsert('nostr_users', [['pubkey', 'bytea'], ['requests', 'bigint'], ['first_seen', 'bigint'], ['last_at', 'bigint']],
  `ON CONFLICT (pubkey) DO UPDATE SET requests = nostr_users.requests + excluded.requests,
    first_seen = least(nostr_users.first_seen, excluded.first_seen), last_at = greatest(nostr_users.last_at, excluded.last_at)`);
const KIND_USER_ADD = unnestInsert('nostr_kind_users', [['kind', 'int'], ['pubkey', 'bytea'], ['requests', 'bigint'], ['last_at', 'bigint']],
  'ON CONFLICT (kind, pubkey) DO UPDATE SET requests = nostr_kind_users.requests + excluded.requests, last_at = greatest(nostr_kind_users.last_at, excluded.last_at)');
const KIND_DVM_INSERT = unnestInsert('nostr_kind_dvms', [['kind', 'int'], ['dvm', 'bytea']], 'ON CONFLICT DO NOTHING');
const COUNTER_ADD = unnestInsert('nostr_counters', [['name', 'text'], ['value', 'bigint']], 'ON CONFLICT (name) DO UPDATE SET value = nostr_counters.value + excluded.value');
const KIND_FIGURES = ['requests', 'results', 'feedback', 'users', 'dvms'] as const;
const KIND_ADD = unnestInsert('nostr_kinds', [['kind', 'int'], ...KIND_FIGURES.map((field) => [field, 'bigint'] as const)],
  `ON CONFLICT (kind) DO UPDATE SET ${KIND_FIGURES.map((field) => `${field} = nostr_kinds.${field} + excluded.${field}`).join(', ')}`);
const LATENCY_ROLLUP_ADD = unnestInsert('nostr_latency_rollups', [['period', 'text'], ['bucket', 'bigint'], ['metric', 'text'], ['slot', 'int'], ['count', 'bigint']],
  'ON CONFLICT (period, bucket, metric, slot) DO UPDATE SET count = nostr_latency_rollups.count + excluded.count');
const LATENCY_TOTAL_ADD = unnestInsert('nostr_latency_totals', [['metric', 'text'], ['value', 'bigint'], ['count', 'bigint']],
  'ON CONFLICT (metric, value) DO UPDATE SET count = nostr_latency_totals.count + excluded.count');

/**
 * The rows one PostgreSQL batch changed (PgJobRows collects them while the rules run), sent in one multi-row
 * statement per table: inserts of new rows with ON CONFLICT DO NOTHING, whole-row upserts of rewritten ones, and
 * additive upserts of the sums. The schema's triggers (pgNostrMigrations.ts) then move the page stats and totals.
 */
export class PgRowWrites {
  readonly jobs: JobRow[] = [];
  readonly cancellations = new Map<string, number>();
  readonly targets: [string, string, number][] = [];
  readonly links: [string, string, number][] = [];
  readonly deletions: [string, string, string, number][] = [];
  readonly newZaps: ZapRow[] = [];
  readonly zapLinks: [string, string, string][] = [];
  /** Raw events whose job became known after they were stored (zap receipts linked later). */
  readonly eventJobs = new Map<string, string>();
  readonly heartbeats = new Map<string, number>();
  readonly profiles = new Map<string, ProfileRow>();
  readonly metadata = new Map<string, MetadataRow>();
  readonly users: [string, number, number, number][] = [];
  readonly kindUsers: [number, string, number, number][] = [];
  readonly kindDvms: [number, string][] = [];
  readonly counters: [string, number][] = [];
  readonly rollups: [string, number, number, string, readonly number[]][] = [];
  readonly dvmUpserts: [string, number, number | null, readonly number[]][] = [];
  readonly dvmAdds: [string, readonly number[]][] = [];
  readonly kinds: [number, number, number, number, number, number][] = [];
  readonly latencyRollups: [string, number, string, number, number][] = [];
  readonly latencyTotals: [string, number, number][] = [];

  /** Sends everything; `pairs` are the pairs to store whole (PgJobRows.changedPairs). Call inside the transaction. */
  async write(db: PgWriter, pairs: readonly { requestId: string; dvm: string; pair: Pair }[]): Promise<void> {
    if (this.jobs.length > 0) {
      await db.query(JOB_INSERT, columnsOf(this.jobs.map((job) => [
        pgId(job.requestId), job.kind, pgId(job.customer), job.createdAt, job.encrypted ? 1 : 0, job.scheme, this.cancellations.get(job.requestId) ?? job.cancelledAt,
      ]), 7));
    }
    if (this.cancellations.size > 0) {
      const entries = [...this.cancellations];
      await db.query(JOB_CANCEL, [entries.map(([id]) => pgId(id)), entries.map(([, at]) => at)]);
    }
    if (this.targets.length > 0) {
      await db.query(TARGET_INSERT, columnsOf(this.targets.map(([request, dvm, at]) => [pgId(request), pgId(dvm), at]), 3));
    }
    if (this.links.length > 0) {
      await db.query(LINK_INSERT, columnsOf(this.links.map(([child, parent, at]) => [pgId(child), pgId(parent), at]), 3));
    }
    if (pairs.length > 0) {
      await db.query(PAIR_UPSERT, columnsOf(pairs.map(({ requestId, dvm, pair }) => [pgId(requestId), pgId(dvm), ...PAIR_COLUMNS.map((column) => pair[column])]), 2 + PAIR_COLUMNS.length));
    }
    if (this.deletions.length > 0) {
      await db.query(DELETION_INSERT, columnsOf(this.deletions.map(([target, event, deleter, at]) => [pgId(target), pgId(event), pgId(deleter), at]), 4));
    }
    if (this.newZaps.length > 0) {
      await db.query(ZAP_INSERT, columnsOf(this.newZaps.map((zap) => [
        pgId(zap.id), pgIdOrNull(zap.targetId), pgIdOrNull(zap.recipient), zap.msats, zap.createdAt, pgIdOrNull(zap.requestId), pgIdOrNull(zap.dvm),
      ]), 7));
    }
    if (this.zapLinks.length > 0) {
      await db.query(ZAP_LINK, columnsOf(this.zapLinks.map(([zap, request, dvm]) => [pgId(zap), pgId(request), pgId(dvm)]), 3));
    }
    if (this.eventJobs.size > 0) {
      const entries = [...this.eventJobs];
      await db.query(EVENT_JOB, [entries.map(([id]) => pgId(id)), entries.map(([, job]) => pgId(job))]);
    }
    if (this.heartbeats.size > 0) {
      const entries = [...this.heartbeats];
      await db.query(HEARTBEAT_UPSERT, [entries.map(([pubkey]) => pgId(pubkey)), entries.map(([, at]) => at)]);
    }
    if (this.profiles.size > 0) {
      await db.query(PROFILE_UPSERT, columnsOf([...this.profiles.values()].map((p) => [
        pgId(p.pubkey), p.d, p.createdAt, pgId(p.eventId), p.name, p.about, p.picture, p.lud16, p.encryptionSupported, p.cashuAccepted, p.nip90Params, p.kinds, p.relays,
      ]), PROFILE_COLUMNS.length));
    }
    if (this.metadata.size > 0) {
      await db.query(METADATA_UPSERT, columnsOf([...this.metadata.values()].map((m) => [pgId(m.pubkey), m.createdAt, pgId(m.eventId), m.name, m.about, m.picture, m.lud16]), METADATA_COLUMNS.length));
    }
    await this.writeTallies(db);
  }

  private async writeTallies(db: PgWriter): Promise<void> {
    if (this.users.length > 0) {
      await db.query(USER_ADD, columnsOf(this.users.map(([pubkey, ...rest]) => [pgId(pubkey), ...rest]), 4));
    }
    if (this.kindUsers.length > 0) {
      await db.query(KIND_USER_ADD, columnsOf(this.kindUsers.map(([kind, pubkey, requests, at]) => [kind, pgId(pubkey), requests, at]), 4));
    }
    if (this.kindDvms.length > 0) {
      await db.query(KIND_DVM_INSERT, columnsOf(this.kindDvms.map(([kind, dvm]) => [kind, pgId(dvm)]), 2));
    }
    if (this.counters.length > 0) {
      await db.query(COUNTER_ADD, columnsOf(this.counters, 2));
    }
    if (this.rollups.length > 0) {
      await db.query(ROLLUP_UPSERT, columnsOf(this.rollups.map(([period, bucket, kind, dvm, values]) => [period, bucket, kind, dvm ? pgId(dvm) : Buffer.alloc(0), ...values]),
        4 + ROLLUP_FIELDS.length));
    }
    if (this.dvmUpserts.length > 0) {
      await db.query(DVM_UPSERT, columnsOf(this.dvmUpserts.map(([pubkey, firstSeen, lastAnswer, totals]) => [pgId(pubkey), firstSeen, lastAnswer, ...totals]), 3 + DVM_FIELDS.length));
    }
    if (this.dvmAdds.length > 0) {
      await db.query(DVM_ADD, columnsOf(this.dvmAdds.map(([pubkey, totals]) => [pgId(pubkey), ...totals]), 1 + DVM_FIELDS.length));
    }
    if (this.kinds.length > 0) {
      await db.query(KIND_ADD, columnsOf(this.kinds, 6));
    }
    if (this.latencyRollups.length > 0) {
      await db.query(LATENCY_ROLLUP_ADD, columnsOf(this.latencyRollups, 5));
    }
    if (this.latencyTotals.length > 0) {
      await db.query(LATENCY_TOTAL_ADD, columnsOf(this.latencyTotals, 3));
    }
  }
}
