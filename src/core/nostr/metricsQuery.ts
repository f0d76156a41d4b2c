import type { DvmRef, KindRef, MetricsWindow, NostrMetrics, NostrMetricsScope } from '../../protocol/nostrProtocol';
import { announcedKindNames, displayName, npub } from './dvmNames';
import { kindName } from './kindRegistry';
import { msatsToSats } from './payments';
import { percentiles } from './percentiles';
import type { PreparedStatements } from './preparedStatements';

export const WINDOW_SECONDS: Readonly<Record<MetricsWindow, number>> = { '1h': 3600, '24h': 86_400, '7d': 7 * 86_400, '30d': 30 * 86_400 };

type Sums = {
  requests: number | null; encrypted: number | null; results: number | null; feedback: number | null; answered: number | null;
  successes: number | null; errors: number | null; sats_requested: number | null; sats_earned: number | null; sats_proven: number | null;
};

/**
 * DESIGN.md "Global metrics". All-time figures come from counters and distinct sets that retention never
 * touches; window figures from hourly rollups (counts, sats, rates) and from the history-window job tables
 * (distinct users, percentiles). Each is one indexed query; nothing scans raw events.
 */
export class MetricsQuery {
  constructor(private readonly sql: PreparedStatements) {}

  metrics(now: number): NostrMetrics {
    const names = announcedKindNames(this.sql);
    const windows = {} as Record<MetricsWindow, NostrMetricsScope>;
    for (const [window, seconds] of Object.entries(WINDOW_SECONDS) as [MetricsWindow, number][]) windows[window] = this.window(now - seconds, now, names);
    return { ...this.allTime(names), generatedAt: now, windows };
  }

  allTime(names: ReadonlyMap<number, string>): NostrMetricsScope {
    const sql = this.sql;
    const counters = new Map(sql.all<{ name: string; value: number }>('SELECT name, value FROM nostr_counters').map((row) => [row.name, row.value]));
    const count = (name: string) => counters.get(name) ?? 0;
    const scalar = (query: string) => sql.get<{ n: number }>(query)?.n ?? 0;
    const topDvm = sql.get<{ pubkey: string; results: number }>('SELECT pubkey, results FROM nostr_dvms WHERE results > 0 ORDER BY results DESC, pubkey LIMIT 1');
    const topKind = sql.get<{ kind: number; n: number }>('SELECT kind, requests AS n FROM nostr_kinds WHERE requests > 0 ORDER BY requests DESC, kind LIMIT 1');
    const topByUsers = sql.get<{ kind: number; n: number }>('SELECT kind, count(*) AS n FROM nostr_kind_users GROUP BY kind ORDER BY n DESC, kind LIMIT 1');
    const competitive = sql.get<{ kind: number; n: number }>('SELECT kind, count(*) AS n FROM nostr_kind_dvms WHERE kind >= 0 GROUP BY kind ORDER BY n DESC, kind LIMIT 1');
    const [medianResponse, p90Response] = percentiles(sql, 'response_sec', 'FROM nostr_job_dvms WHERE response_sec IS NOT NULL', [], [0.5, 0.9]);
    const [medianFeedback, p90Feedback] = percentiles(sql, 'feedback_sec', 'FROM nostr_job_dvms WHERE feedback_sec IS NOT NULL', [], [0.5, 0.9]);
    const requests = count('requests');
    const answered = count('answered');
    return {
      requests,
      results: count('results'),
      feedback: count('feedback'),
      requestKinds: scalar('SELECT count(*) AS n FROM nostr_kinds WHERE requests > 0'),
      resultKinds: scalar('SELECT count(*) AS n FROM nostr_kinds WHERE results > 0'),
      dvms: scalar('SELECT count(*) AS n FROM nostr_dvms'),
      profiles: scalar("SELECT count(DISTINCT pubkey) AS n FROM nostr_profiles WHERE kinds <> '[]'"),
      users: scalar('SELECT count(*) AS n FROM nostr_users'),
      encryptedRequests: count('encrypted'),
      encryptedShare: requests > 0 ? count('encrypted') / requests : null,
      mostPopularDvm: topDvm ? this.dvmRef(topDvm.pubkey, topDvm.results) : null,
      mostPopularKind: kindRef(topKind, names),
      mostPopularKindByUsers: kindRef(topByUsers, names),
      competitiveKind: kindRef(competitive, names),
      satsRequested: msatsToSats(count('sats_requested')),
      satsEarned: msatsToSats(count('sats_earned')),
      satsProven: msatsToSats(count('sats_proven')),
      successRate: answered > 0 ? count('successes') / answered : null,
      errorRate: answered > 0 ? count('errors') / answered : null,
      medianResponseSec: medianResponse,
      p90ResponseSec: p90Response,
      medianFeedbackSec: medianFeedback,
      p90FeedbackSec: p90Feedback,
    };
  }

  window(since: number, until: number, names: ReadonlyMap<number, string>): NostrMetricsScope {
    const sql = this.sql;
    const bucket = since - (since % 3600);
    const sums = sql.get<Sums>(`SELECT sum(requests) AS requests, sum(encrypted) AS encrypted, sum(results) AS results, sum(feedback) AS feedback,
        sum(answered) AS answered, sum(successes) AS successes, sum(errors) AS errors,
        sum(sats_requested) AS sats_requested, sum(sats_earned) AS sats_earned, sum(sats_proven) AS sats_proven
      FROM nostr_rollups WHERE period = 'h' AND bucket >= ? AND bucket <= ?`, [bucket, until]);
    const n = (value: number | null | undefined) => value ?? 0;
    const scalar = (query: string, params: (string | number)[]) => sql.get<{ n: number }>(query, params)?.n ?? 0;
    const topDvm = sql.get<{ dvm: string; n: number }>(`SELECT dvm, sum(results) AS n FROM nostr_rollups WHERE period = 'h' AND bucket >= ? AND bucket <= ? AND dvm <> ''
      GROUP BY dvm HAVING n > 0 ORDER BY n DESC, dvm LIMIT 1`, [bucket, until]);
    const topKind = sql.get<{ kind: number; n: number }>(`SELECT kind, sum(requests) AS n FROM nostr_rollups WHERE period = 'h' AND bucket >= ? AND bucket <= ? AND dvm = ''
      GROUP BY kind HAVING n > 0 ORDER BY n DESC, kind LIMIT 1`, [bucket, until]);
    const competitive = sql.get<{ kind: number; n: number }>(`SELECT kind, count(DISTINCT dvm) AS n FROM nostr_rollups WHERE period = 'h' AND bucket >= ? AND bucket <= ? AND dvm <> '' AND kind >= 0
      GROUP BY kind ORDER BY n DESC, kind LIMIT 1`, [bucket, until]);
    const topByUsers = sql.get<{ kind: number; n: number }>(`SELECT kind, count(DISTINCT customer) AS n FROM nostr_jobs WHERE created_at >= ? AND created_at <= ?
      GROUP BY kind ORDER BY n DESC, kind LIMIT 1`, [since, until]);
    const [medianResponse, p90Response] = percentiles(sql, 'response_sec', 'FROM nostr_job_dvms WHERE response_sec IS NOT NULL AND first_at >= ? AND first_at <= ?', [since, until], [0.5, 0.9]);
    const [medianFeedback, p90Feedback] = percentiles(sql, 'feedback_sec', 'FROM nostr_job_dvms WHERE feedback_sec IS NOT NULL AND first_at >= ? AND first_at <= ?', [since, until], [0.5, 0.9]);
    const requests = n(sums?.requests);
    const answered = n(sums?.answered);
    return {
      requests,
      results: n(sums?.results),
      feedback: n(sums?.feedback),
      requestKinds: scalar("SELECT count(DISTINCT kind) AS n FROM nostr_rollups WHERE period = 'h' AND bucket >= ? AND bucket <= ? AND requests > 0", [bucket, until]),
      resultKinds: scalar("SELECT count(DISTINCT kind) AS n FROM nostr_rollups WHERE period = 'h' AND bucket >= ? AND bucket <= ? AND results > 0 AND kind >= 0", [bucket, until]),
      dvms: scalar("SELECT count(DISTINCT dvm) AS n FROM nostr_rollups WHERE period = 'h' AND bucket >= ? AND bucket <= ? AND dvm <> ''", [bucket, until]),
      profiles: scalar("SELECT count(DISTINCT pubkey) AS n FROM nostr_profiles WHERE kinds <> '[]' AND created_at >= ? AND created_at <= ?", [since, until]),
      users: scalar('SELECT count(DISTINCT customer) AS n FROM nostr_jobs WHERE created_at >= ? AND created_at <= ?', [since, until]),
      encryptedRequests: n(sums?.encrypted),
      encryptedShare: requests > 0 ? n(sums?.encrypted) / requests : null,
      mostPopularDvm: topDvm ? this.dvmRef(topDvm.dvm, topDvm.n) : null,
      mostPopularKind: kindRef(topKind, names),
      mostPopularKindByUsers: kindRef(topByUsers, names),
      competitiveKind: kindRef(competitive, names),
      satsRequested: msatsToSats(n(sums?.sats_requested)),
      satsEarned: msatsToSats(n(sums?.sats_earned)),
      satsProven: msatsToSats(n(sums?.sats_proven)),
      successRate: answered > 0 ? n(sums?.successes) / answered : null,
      errorRate: answered > 0 ? n(sums?.errors) / answered : null,
      medianResponseSec: medianResponse,
      p90ResponseSec: p90Response,
      medianFeedbackSec: medianFeedback,
      p90FeedbackSec: p90Feedback,
    };
  }

  private dvmRef(pubkey: string, results: number): DvmRef {
    const name = displayName(this.sql, pubkey);
    return { pubkey, npub: npub(pubkey), ...(name ? { name } : {}), results };
  }
}

function kindRef(row: { kind: number; n: number } | undefined, names: ReadonlyMap<number, string>): KindRef | null {
  return row ? { kind: row.kind, name: kindName(row.kind, names).name, count: row.n } : null;
}
