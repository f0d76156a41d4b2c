import type { DvmProblems, ErrorMessageCount, ProblemJob } from './pageTypes';
import { idHex } from './hexIds';
import type { PairStats } from './pairStats';
import { msatsToSats } from './payments';

/** Newest jobs looked through for examples and error messages: the counts come from the stats, the examples from these. */
export const PROBLEM_SCAN_JOBS = 2_000;
const EXAMPLES = 10;
const TOP_MESSAGES = 10;
const MAX_MESSAGE_LENGTH = 300;

/** A (job, DVM) pair as the problems scan reads it. */
export type ProblemPairRow = [requestId: Uint8Array, kind: number, firstAt: number, requestedMsats: number, provenMsats: number, results: number, errored: number];

/** The problems of a DVM with nothing to look for (no unpaid, paid-without-result or errored pair): no scan needed. */
export function problemsWithoutScan(stats: readonly PairStats[]): DvmProblems | undefined {
  const sum = (field: keyof PairStats) => stats.reduce((total, row) => total + (row[field] as number), 0);
  if (sum('unpaidJobs') !== 0 || sum('paidNoResult') !== 0 || sum('errors') !== 0) return undefined;
  return {
    unpaidInvoices: { jobs: 0, sats: msatsToSats(sum('unpaidMsats')), recent: [] },
    paidWithoutResult: { jobs: 0, sats: msatsToSats(sum('paidNoResultMsats')), recent: [] },
    errorMessages: [],
    errorJobsScanned: 0,
  };
}

/** Counts from the stats, examples from the newest pairs (ProblemPairRow, newest first), and which of them errored. */
export function problemPairsScan(stats: readonly PairStats[], pairs: readonly ProblemPairRow[]): {
  problems: Pick<DvmProblems, 'unpaidInvoices' | 'paidWithoutResult'>; errored: Uint8Array[];
} {
  const sum = (field: keyof PairStats) => stats.reduce((total, row) => total + (row[field] as number), 0);
  const unpaid = { jobs: sum('unpaidJobs'), sats: msatsToSats(sum('unpaidMsats')), recent: [] as ProblemJob[] };
  const paid = { jobs: sum('paidNoResult'), sats: msatsToSats(sum('paidNoResultMsats')), recent: [] as ProblemJob[] };
  const errored: Uint8Array[] = [];
  for (const [requestId, kind, at, requested, proven, results, error] of pairs) {
    if (requested > 0 && proven === 0 && results === 0 && unpaid.recent.length < EXAMPLES) unpaid.recent.push({ requestId: idHex(requestId), kind, at, sats: msatsToSats(requested) });
    if (proven > 0 && results === 0 && paid.recent.length < EXAMPLES) paid.recent.push({ requestId: idHex(requestId), kind, at, sats: msatsToSats(proven) });
    if (error === 1) errored.push(requestId);
  }
  return { problems: { unpaidInvoices: unpaid, paidWithoutResult: paid }, errored };
}

/** An error feedback's tags JSON, content JSON (as stored) and created_at. */
export type ErrorFeedback = [tagsJson: string, contentJson: string, at: number];

/** Each errored job counts once, with the message of its newest `error` feedback (its feedback in arrival order). */
export function errorMessagesOf(jobs: readonly (readonly [job: Uint8Array, feedback: readonly ErrorFeedback[]])[]): ErrorMessageCount[] {
  const counts = new Map<string, ErrorMessageCount>();
  for (const [job, feedback] of jobs) {
    let newest: { at: number; message: string } | undefined;
    for (const [tagsJson, contentJson, at] of feedback) {
      const message = errorMessageOf(JSON.parse(tagsJson) as string[][], JSON.parse(contentJson) as string);
      if (message !== undefined && (!newest || at >= newest.at)) newest = { at, message };
    }
    if (!newest) continue;
    const entry = counts.get(newest.message);
    if (!entry || newest.at >= entry.lastAt) counts.set(newest.message, { message: newest.message, count: (entry?.count ?? 0) + 1, lastAt: newest.at, requestId: idHex(job) });
    else counts.set(newest.message, { ...entry, count: entry.count + 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || b.lastAt - a.lastAt).slice(0, TOP_MESSAGES);
}

/** NIP-90 puts the reason of an `error` status in the status tag's third value; some DVMs write it in `content`. */
export function errorMessageOf(tags: readonly (readonly string[])[], content: string): string | undefined {
  const status = tags.find((tag) => tag[0] === 'status');
  if (status?.[1] !== 'error') return undefined;
  const message = (status[2] ?? '').trim() || content.trim() || 'error (no message)';
  return message.slice(0, MAX_MESSAGE_LENGTH);
}
