import type pg from 'pg';
import { ANY_KIND, PERIOD_SECONDS } from '../../src/core/nostr/rollupPeriods';

/**
 * A DVMDash-shaped load written straight into a PostgreSQL store (pgNostrMigrations.ts's schema) in SQL: `jobs`
 * requests over two years (95 % kind 5300, the rest over 14 other kinds), ~880 DVMs with a steep popularity curve
 * (the busiest answers a few per cent of everything), ~30,000 customers, 9 in 10 requests answered and 1 result per
 * 1.2 requests, feedback on every answer, invoices on a fifth and zaps on a twentieth, 3 in 10 requests addressed to
 * their DVM. Only the last 48 hours keep raw events (the raw window); the rollups (5-minute for 48 h, hourly for
 * 31 days, 6-hour and daily for the whole span), the per-(DVM, kind) stats and histograms, the all-time tables and
 * the counters are computed from the same jobs, so every figure a page reads agrees with the jobs as the ingest's
 * triggers would have made it. Triggers are off while it writes (`session_replication_role = replica`: superuser).
 */

export interface ScaleLoad {
  readonly jobs: number;
  readonly dvms: number;
  readonly users: number;
  readonly now: number;
  readonly spanDays: number;
}

export const DVMDASH_SHAPE: Omit<ScaleLoad, 'jobs' | 'now'> = { dvms: 880, users: 30_000, spanDays: 730 };

const OTHER_KINDS = [5000, 5001, 5002, 5050, 5100, 5250, 5301, 5302, 5303, 5400, 5500, 5900, 5905, 5970];
const RAW_WINDOW_SEC = 48 * 3600;
const HOURLY_SEC = 31 * 86_400;

/** latencyHistogram.ts's latencySlot in SQL (exact below 64 s, 16 slots per doubling above). */
const slot = (seconds: string) => `CASE WHEN ${seconds} < 64 THEN ${seconds} ELSE 64 + floor(ln(${seconds} / 64.0) / ln(2) * 16)::bigint END`;

/** (period, size, oldest bucket kept) for the rollups, as rollupPeriods.ts keeps them. */
function periods(load: ScaleLoad): string {
  const { m, h, q, d } = PERIOD_SECONDS;
  return `(VALUES ('m', ${m}::bigint, ${load.now - RAW_WINDOW_SEC}::bigint), ('h', ${h}, ${load.now - HOURLY_SEC}), ('q', ${q}, 0), ('d', ${d}, 0)) AS p (period, size, kept_from)`;
}

export function scaleLoadStatements(load: ScaleLoad): string[] {
  const { jobs, dvms, users, now } = load;
  const span = load.spanDays * 86_400;
  const dvmKey = (n: string) => `sha256(('dvm' || ${n})::bytea)`;
  const userKey = (n: string) => `sha256(('user' || ${n})::bytea)`;
  const P = periods(load);
  return [
    'SET session_replication_role = replica',
    "SELECT setseed(0.1414)",
    // Sorts and hash aggregates of a million rows stay in memory instead of spilling to temp files.
    "SET work_mem = '256MB'",
    // One row per request with everything that happens to it; the store's tables are projections of it.
    `CREATE TEMP TABLE gen AS SELECT g,
        sha256(('job' || g)::bytea) AS request_id,
        CASE WHEN r1 < 0.95 THEN 5300 ELSE (ARRAY[${OTHER_KINDS.join(',')}])[1 + floor(r2 * ${OTHER_KINDS.length})::int] END AS kind,
        floor(power(r3, 2) * ${users})::int AS user_n,
        (${now} - floor(power(r4, 1.25) * ${span}))::bigint AS created_at,
        floor(${dvms} * power(r5, 4))::int AS dvm_n,
        r6 < 0.9 AS answered,
        r7 < 0.926 AS resulted,
        1 + floor(power(r8, 3) * 900)::bigint AS response_sec,
        floor(r9 * 8)::bigint AS feedback_sec,
        1 + (r10 < 0.3)::int AS feedbacks,
        CASE WHEN r11 < 0.2 THEN 1000 * (10 + floor(r12 * 90))::bigint ELSE 0 END AS requested_msats,
        r13 < 0.05 AS zapped,
        r14 < 0.3 AS targeted,
        r15 < 0.02 AS encrypted
      FROM (SELECT g, ${Array.from({ length: 15 }, (_, i) => `random() AS r${i + 1}`).join(', ')} FROM generate_series(1, ${jobs}) g) s`,
    `CREATE TEMP TABLE pair AS SELECT request_id, ${dvmKey('dvm_n')} AS dvm, kind, created_at, user_n,
        created_at + feedback_sec AS first_feedback_at, CASE WHEN resulted THEN created_at + response_sec END AS first_result_at,
        CASE WHEN resulted THEN response_sec END AS response_sec, feedback_sec, feedbacks,
        resulted::int AS results, (NOT resulted AND feedbacks = 2)::int AS errored, resulted::int AS succeeded,
        requested_msats, CASE WHEN zapped AND requested_msats > 0 THEN requested_msats ELSE 0 END AS proven_msats
      FROM gen WHERE answered`,

    `INSERT INTO nostr_jobs (request_id, kind, customer, created_at, encrypted, scheme, cancelled_at)
      SELECT request_id, kind, ${userKey('user_n')}, created_at, encrypted::int, CASE WHEN encrypted THEN 'nip44' END, NULL FROM gen ORDER BY request_id`,
    `INSERT INTO nostr_job_targets (request_id, dvm, created_at) SELECT request_id, ${dvmKey('dvm_n')}, created_at FROM gen WHERE targeted ORDER BY request_id`,
    `INSERT INTO nostr_job_dvms (request_id, dvm, kind, first_at, last_at, status, status_at, status_rank, results, feedback, first_result_at, first_feedback_at,
        succeeded, errored, requested_msats, requested_at, amount_mismatch, proven_msats, response_sec, feedback_sec)
      SELECT request_id, dvm, kind, least(first_feedback_at, coalesce(first_result_at, first_feedback_at)), greatest(first_feedback_at, coalesce(first_result_at, 0)),
        CASE WHEN results > 0 THEN 'success' WHEN errored > 0 THEN 'error' ELSE 'processing' END,
        greatest(first_feedback_at, coalesce(first_result_at, 0)), CASE WHEN results > 0 THEN 5 WHEN errored > 0 THEN 4 ELSE 2 END,
        results, feedbacks, first_result_at, first_feedback_at, succeeded, errored, requested_msats,
        CASE WHEN requested_msats > 0 THEN first_feedback_at END, 0, proven_msats, response_sec, feedback_sec
      FROM pair ORDER BY request_id, dvm`,

    // Raw window: the request, its feedback and its result, as the ingest stores them (tags and content as JSON text).
    `INSERT INTO nostr_relays (id, url) VALUES (1, 'wss://relay.bench.example')`,
    `INSERT INTO nostr_events (id, pubkey, kind, created_at, job_id, relay_id, tags, content, sig)
      SELECT request_id, ${userKey('user_n')}, kind, created_at, request_id, 1,
        '[["i","bench input ' || g || '","text"],["p","' || encode(${dvmKey('dvm_n')}, 'hex') || '"]]', '""', sha512(request_id)
      FROM gen WHERE created_at >= ${now - RAW_WINDOW_SEC} ORDER BY created_at`,
    `INSERT INTO nostr_events (id, pubkey, kind, created_at, job_id, relay_id, tags, content, sig)
      SELECT sha256(request_id || '\\x01'::bytea || n::text::bytea), dvm, 7000, first_feedback_at + n - 1, request_id, 1,
        '[["e","' || encode(request_id, 'hex') || '"],["status","' || CASE WHEN n = 2 AND errored > 0 THEN 'error","model overloaded' ELSE 'processing' END || '"]]', '""',
        sha512(request_id || n::text::bytea)
      FROM pair, generate_series(1, 2) n WHERE n <= feedbacks AND created_at >= ${now - RAW_WINDOW_SEC} ORDER BY first_feedback_at`,
    `INSERT INTO nostr_events (id, pubkey, kind, created_at, job_id, relay_id, tags, content, sig)
      SELECT sha256(request_id || '\\x02'::bytea), dvm, kind + 1000, first_result_at, request_id, 1,
        '[["e","' || encode(request_id, 'hex') || '"],["request","{}"]]', '"bench result"', sha512(request_id || '\\x02'::bytea)
      FROM pair WHERE results > 0 AND created_at >= ${now - RAW_WINDOW_SEC} ORDER BY first_result_at`,

    // All-time tier.
    `INSERT INTO nostr_dvms (pubkey, first_seen, last_answer_at, jobs, results, feedback, successes, errors, sats_requested, sats_earned, sats_proven)
      SELECT dvm, min(first_feedback_at), max(greatest(first_feedback_at, coalesce(first_result_at, 0))), count(*), sum(results), sum(feedbacks), sum(succeeded), sum(errored),
        sum(requested_msats), sum(CASE WHEN results > 0 THEN requested_msats ELSE 0 END), sum(proven_msats)
      FROM pair GROUP BY dvm`,
    `INSERT INTO nostr_users (pubkey, requests, first_seen, last_at) SELECT ${userKey('user_n')}, count(*), min(created_at), max(created_at) FROM gen GROUP BY user_n`,
    `INSERT INTO nostr_kind_users (kind, pubkey, requests, last_at) SELECT kind, ${userKey('user_n')}, count(*), max(created_at) FROM gen GROUP BY kind, user_n`,
    'INSERT INTO nostr_kind_dvms (kind, dvm) SELECT DISTINCT kind, dvm FROM pair',
    `INSERT INTO nostr_kinds (kind, requests, results, feedback, users, dvms)
      SELECT g.kind, g.requests, coalesce(p.results, 0), coalesce(p.feedback, 0), g.users, coalesce(p.dvms, 0)
      FROM (SELECT kind, count(*) AS requests, count(DISTINCT user_n) AS users FROM gen GROUP BY kind) g
      LEFT JOIN (SELECT kind, sum(results) AS results, sum(feedbacks) AS feedback, count(DISTINCT dvm) AS dvms FROM pair GROUP BY kind) p ON p.kind = g.kind`,
    `INSERT INTO nostr_counters (name, value)
      SELECT 'requests', count(*) FROM gen UNION ALL SELECT 'encrypted', count(*) FILTER (WHERE encrypted) FROM gen
      UNION ALL SELECT 'users', count(DISTINCT user_n) FROM gen
      UNION ALL SELECT 'results', sum(results) FROM pair UNION ALL SELECT 'feedback', sum(feedbacks) FROM pair
      UNION ALL SELECT 'answered', count(*) FROM pair UNION ALL SELECT 'successes', sum(succeeded) FROM pair UNION ALL SELECT 'errors', sum(errored) FROM pair
      UNION ALL SELECT 'sats_requested', sum(requested_msats) FROM pair UNION ALL SELECT 'sats_earned', sum(CASE WHEN results > 0 THEN requested_msats ELSE 0 END) FROM pair
      UNION ALL SELECT 'sats_proven', sum(proven_msats) FROM pair`,
    `INSERT INTO nostr_latency_totals (metric, value, count)
      SELECT 'r', response_sec, count(*) FROM pair WHERE response_sec IS NOT NULL GROUP BY response_sec
      UNION ALL SELECT 'f', feedback_sec, count(*) FROM pair GROUP BY feedback_sec`,
    `INSERT INTO nostr_profiles (pubkey, d, created_at, event_id, name, about, picture, lud16, encryption_supported, cashu_accepted, nip90_params, kinds, relays)
      SELECT ${dvmKey('n')}, 'handler', ${now} - n * 3600, sha256(('profile' || n)::bytea), 'Bench DVM ' || n, 'a DVM of the bench load', NULL, NULL, 1, 0, NULL,
        '[5300]', '["wss://relay.bench.example"]'
      FROM generate_series(0, ${Math.floor(dvms * 0.7)}) n`,
    `INSERT INTO nostr_heartbeats (pubkey, last_at) SELECT ${dvmKey('n')}, ${now} - n * 60 FROM generate_series(0, 99) n`,

    // Page stats: nostr_dvm_kind_stats and nostr_dvm_kind_latency as pageStatsMigration's triggers keep them.
    `INSERT INTO nostr_dvm_kind_stats (dvm, kind, jobs, with_result, results, successes, errors, requested_msats, earned_msats, proven_msats,
        unpaid_jobs, unpaid_msats, paid_no_result, paid_no_result_msats, last_result_at, last_feedback_at)
      SELECT dvm, kind, count(*), sum((results > 0)::int), sum(results), sum(succeeded), sum(errored), sum(requested_msats),
        sum(CASE WHEN results > 0 THEN requested_msats ELSE 0 END), sum(proven_msats),
        sum((requested_msats > 0 AND proven_msats = 0 AND results = 0)::int), sum(CASE WHEN requested_msats > 0 AND proven_msats = 0 AND results = 0 THEN requested_msats ELSE 0 END),
        sum((proven_msats > 0 AND results = 0)::int), sum(CASE WHEN proven_msats > 0 AND results = 0 THEN proven_msats ELSE 0 END),
        max(first_result_at), max(first_feedback_at)
      FROM pair GROUP BY dvm, kind`,
    `INSERT INTO nostr_dvm_kind_latency (dvm, kind, metric, seconds, count)
      SELECT dvm, kind, 'r', response_sec, count(*) FROM pair WHERE response_sec IS NOT NULL GROUP BY dvm, kind, response_sec
      UNION ALL SELECT dvm, kind, 'f', feedback_sec, count(*) FROM pair GROUP BY dvm, kind, feedback_sec`,

    // Rollups per period, each kept as long as rollupPeriods.ts keeps it, written bucket after bucket as a collector writes them.
    `INSERT INTO nostr_rollups (period, bucket, kind, dvm, requests, encrypted, results, feedback, answered, successes, errors, sats_requested, sats_earned, sats_proven)
      SELECT * FROM (
      SELECT p.period, g.created_at - g.created_at % p.size, g.kind, '\\x'::bytea, count(*), count(*) FILTER (WHERE g.encrypted), 0, 0, 0, 0, 0, 0, 0, 0
      FROM gen g CROSS JOIN ${P} WHERE g.created_at >= p.kept_from GROUP BY 1, 2, 3
      UNION ALL
      SELECT p.period, x.created_at - x.created_at % p.size, x.kind, x.dvm, 0, 0, sum(x.results), sum(x.feedbacks), count(*), sum(x.succeeded), sum(x.errored),
        sum(x.requested_msats), sum(CASE WHEN x.results > 0 THEN x.requested_msats ELSE 0 END), sum(x.proven_msats)
      FROM pair x CROSS JOIN ${P} WHERE x.created_at >= p.kept_from GROUP BY 1, 2, 3, 4) rows ORDER BY 1, 2, 3`,
    `INSERT INTO nostr_latency_rollups (period, bucket, metric, slot, count)
      SELECT * FROM (
      SELECT p.period, x.created_at - x.created_at % p.size, 'r', ${slot('x.response_sec')}, count(*)
      FROM pair x CROSS JOIN ${P} WHERE x.response_sec IS NOT NULL AND x.created_at >= p.kept_from GROUP BY 1, 2, 4
      UNION ALL
      SELECT p.period, x.created_at - x.created_at % p.size, 'f', ${slot('x.feedback_sec')}, count(*)
      FROM pair x CROSS JOIN ${P} WHERE x.created_at >= p.kept_from GROUP BY 1, 2, 4) rows ORDER BY 1, 2, 3`,
    `INSERT INTO nostr_user_rollups (period, kind, bucket, users)
      SELECT * FROM (
      SELECT p.period, ${ANY_KIND}, g.created_at - g.created_at % p.size, count(DISTINCT g.user_n) FROM gen g CROSS JOIN ${P} WHERE g.created_at >= p.kept_from GROUP BY 1, 3
      UNION ALL
      SELECT p.period, g.kind, g.created_at - g.created_at % p.size, count(DISTINCT g.user_n) FROM gen g CROSS JOIN ${P} WHERE g.created_at >= p.kept_from GROUP BY 1, 2, 3) rows ORDER BY 1, 3, 2`,
    `INSERT INTO nostr_rollup_bucket_dvms (period, bucket, dvm)
      SELECT DISTINCT period, bucket, dvm FROM nostr_rollups WHERE octet_length(dvm) > 0 AND (results > 0 OR feedback > 0)`,
    `INSERT INTO nostr_rollup_totals (period, bucket, requests, encrypted, results, feedback, answered, successes, errors, sats_requested, sats_earned, sats_proven, dvms, timed, timed_slots, timed_stamp)
      SELECT r.period, r.bucket, sum(requests), sum(encrypted), sum(results), sum(feedback), sum(answered), sum(successes), sum(errors), sum(sats_requested), sum(sats_earned), sum(sats_proven),
        (SELECT count(*) FROM nostr_rollup_bucket_dvms d WHERE d.period = r.period AND d.bucket = r.bucket),
        coalesce((SELECT sum(count) FROM nostr_latency_rollups l WHERE l.period = r.period AND l.bucket = r.bucket AND l.metric = 'r'), 0),
        coalesce((SELECT sum(count * slot) FROM nostr_latency_rollups l WHERE l.period = r.period AND l.bucket = r.bucket AND l.metric = 'r'), 0), 1
      FROM nostr_rollups r GROUP BY r.period, r.bucket`,
    'DROP TABLE gen',
    'DROP TABLE pair',
    'RESET session_replication_role',
  ];
}

/** Writes the load into an empty, migrated store; the statistics are gathered so plans see the real sizes. */
export async function writeScaleLoad(pool: pg.Pool, load: ScaleLoad): Promise<void> {
  const client = await pool.connect();
  try {
    // Secondary indexes are built once over the loaded rows (a sorted build) instead of a million random inserts each.
    const indexes = (await client.query<{ name: string; definition: string }>(`SELECT i.indexname AS name, i.indexdef AS definition FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename LIKE 'nostr\\_%' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`)).rows;
    for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
    for (const statement of scaleLoadStatements(load)) await client.query(statement);
    for (const index of indexes) await client.query(index.definition);
  } finally {
    client.release();
  }
  // A collector's store has been vacuumed by autovacuum long since: index-only scans need the visibility map.
  await pool.query('VACUUM ANALYZE');
}
