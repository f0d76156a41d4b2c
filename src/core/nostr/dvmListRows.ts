import type { DvmSummary, JobStatusText, JobSummary } from './nostrTypes';
import { npub, profileDisplayFields, type DvmProfile } from './dvmNames';
import { kindName } from './kindRegistry';
import type { LivenessState } from './liveness';
import { msatsToSats } from './payments';

/** A nostr_dvms row as the summaries read it (sats in millisats). */
export type DvmRow = {
  pubkey: string; jobs: number; results: number; errors: number; successes: number;
  sats_requested: number; sats_earned: number; sats_proven: number;
};

export const MAX_PAGE = 500;

/** A job the DVM answered, with its request when seen. */
export type AnsweredJobRow = {
  request_id: string; kind: number; first_at: number; status: string | null; response_sec: number | null;
  customer: string | null; created_at: number | null; encrypted: number | null; cancelled_at: number | null;
};

/** A request addressed to the DVM that it has not answered. */
export type WaitingJobRow = { request_id: string; kind: number; customer: string; created_at: number; encrypted: number; cancelled_at: number | null };

/** What a summary reads besides the DVM's row. */
export interface DvmSummaryReads {
  readonly profile: DvmProfile;
  /** Kinds it answered (nostr_kind_dvms). */
  readonly served: readonly number[];
  /** Median and p90 first-result time over all its kinds. */
  readonly percentiles: readonly (number | null)[];
  readonly liveness: LivenessState;
  readonly waiting: number;
  readonly pinned: boolean;
}

export function dvmSummaryOf(row: DvmRow, reads: DvmSummaryReads): DvmSummary {
  const { profile, liveness } = reads;
  const kinds = [...new Set([...reads.served, ...profile.announcedKinds])].sort((a, b) => a - b);
  const [median, p90] = reads.percentiles;
  const answeredOutcomes = row.jobs;
  return {
    pubkey: row.pubkey,
    npub: npub(row.pubkey),
    ...profileDisplayFields(profile),
    kinds,
    jobs: row.jobs,
    waiting: reads.waiting,
    results: row.results,
    errors: row.errors,
    successRate: answeredOutcomes > 0 ? row.successes / answeredOutcomes : null,
    medianResponseSec: median,
    p90ResponseSec: p90,
    satsRequested: msatsToSats(row.sats_requested),
    satsEarned: msatsToSats(row.sats_earned),
    satsProven: msatsToSats(row.sats_proven),
    lastSeen: liveness.lastSeen,
    status: liveness.status,
    hasProfile: profile.hasProfile,
    pinned: reads.pinned,
  };
}

/** Newest first: jobs it answered, and jobs addressed to it that it has not answered ('waiting'), at most `limit`. */
export function dvmRecentJobsOf(pubkey: string, answered: readonly AnsweredJobRow[], waiting: readonly WaitingJobRow[], names: ReadonlyMap<number, string>, limit: number): JobSummary[] {
  const jobs: JobSummary[] = [
    ...answered.map((row) => ({
      requestId: row.request_id,
      kind: row.kind,
      kindName: kindName(row.kind, names).name,
      customer: row.customer ?? '',
      createdAt: row.created_at ?? row.first_at,
      status: (row.cancelled_at !== null ? 'cancelled' : row.status ?? 'waiting') as JobStatusText,
      dvm: pubkey,
      responseSec: row.response_sec,
      encrypted: row.encrypted === 1,
    })),
    ...waiting.map((row) => ({
      requestId: row.request_id,
      kind: row.kind,
      kindName: kindName(row.kind, names).name,
      customer: row.customer,
      createdAt: row.created_at,
      status: (row.cancelled_at !== null ? 'cancelled' : 'waiting') as JobStatusText,
      dvm: pubkey,
      responseSec: null,
      encrypted: row.encrypted === 1,
    })),
  ];
  return jobs.sort((a, b) => b.createdAt - a.createdAt).slice(0, clampLimit(limit));
}

export function clampLimit(limit: number | undefined, fallback = 100): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.max(1, Math.min(MAX_PAGE, Math.floor(limit)));
}
