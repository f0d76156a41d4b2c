import type { SeriesPoint } from '../../protocol/nostrProtocol';
import { msatsToSats } from './payments';
import type { PreparedStatements } from './preparedStatements';

const MAX_POINTS = 24 * 90;

/** Time series from the rollups, one point per bucket that has data, oldest first (DESIGN.md "as time series"). */
export function querySeries(sql: PreparedStatements, options: { bucket: 'hour' | 'day'; since?: number; until?: number; kind?: number; dvm?: string }): SeriesPoint[] {
  const where = ['period = ?', 'bucket >= ?', 'bucket <= ?'];
  const params: (string | number)[] = [options.bucket === 'hour' ? 'h' : 'd', options.since ?? 0, options.until ?? Number.MAX_SAFE_INTEGER];
  if (options.kind !== undefined) {
    where.push('kind = ?');
    params.push(options.kind);
  }
  if (options.dvm !== undefined) {
    where.push('dvm = unhex(?)');
    params.push(options.dvm);
  }
  const rows = sql.all<Record<string, number>>(`SELECT bucket, sum(requests) AS requests, sum(results) AS results, sum(feedback) AS feedback,
      sum(successes) AS successes, sum(errors) AS errors, sum(encrypted) AS encrypted,
      sum(sats_requested) AS sats_requested, sum(sats_earned) AS sats_earned, sum(sats_proven) AS sats_proven
    FROM nostr_rollups WHERE ${where.join(' AND ')} GROUP BY bucket ORDER BY bucket DESC LIMIT ?`, [...params, MAX_POINTS]);
  return rows.reverse().map((row) => ({
    bucket: row.bucket,
    requests: row.requests,
    results: row.results,
    feedback: row.feedback,
    successes: row.successes,
    errors: row.errors,
    encrypted: row.encrypted,
    satsRequested: msatsToSats(row.sats_requested),
    satsEarned: msatsToSats(row.sats_earned),
    satsProven: msatsToSats(row.sats_proven),
  }));
}
