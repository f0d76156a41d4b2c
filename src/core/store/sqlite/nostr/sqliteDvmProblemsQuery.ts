import type { DvmProblems } from '../../../nostr/pageTypes';
import { idBytes } from '../../../nostr/hexIds';
import type { PairStats } from '../../../nostr/pairStats';
import type { PreparedStatements } from './preparedStatements';
import {
  PROBLEM_SCAN_JOBS, type ProblemPairRow, problemsWithoutScan, problemPairsScan, type ErrorFeedback, errorMessagesOf,
} from '../../../nostr/dvmProblemRows';

/**
 * DVM page "problems" (issue 12): unpaid invoices (it asked for payment, no zap receipt proves one, no result),
 * paid without result (a zap receipt proves a payment, no result came), and its most frequent error messages.
 * Counts and sats are over every pair kept (the stats rows); the job lists and messages over its newest
 * PROBLEM_SCAN_JOBS jobs, the messages from error feedback still kept raw.
 */
export function dvmProblems(sql: PreparedStatements, dvm: string, stats: readonly PairStats[]): DvmProblems {
  const quiet = problemsWithoutScan(stats);
  if (quiet) return quiet;
  const scan = problemPairsScan(stats, sql.rows(`SELECT request_id, kind, first_at, requested_msats, proven_msats, results, errored
      FROM nostr_job_dvms WHERE dvm = ? ORDER BY first_at DESC LIMIT ?`, [idBytes(dvm), PROBLEM_SCAN_JOBS]) as ProblemPairRow[]);
  const pubkey = idBytes(dvm);
  const errorMessages = errorMessagesOf(scan.errored.map((job) => [job,
    sql.rows('SELECT tags, content, created_at FROM nostr_events WHERE job_id = ? AND pubkey = ? AND kind = 7000', [job, pubkey]) as ErrorFeedback[]]));
  return { ...scan.problems, errorMessages, errorJobsScanned: scan.errored.length };
}
