import type { ActivitySeries, SeriesBucket, SeriesWindow } from '../core/nostr/seriesTypes';
import type { DvmPage, KindPage, RecentKindJobs, UserPage } from '../core/nostr/pageTypes';
import type { ContextVmServer } from '../core/nostr/contextVmTypes';

// The core owns these data types (issue 14); they are re-exported so that callers of the protocol keep one import.
export type { ActivityPoint, ActivitySeries, SeriesBucket, SeriesCoverage, SeriesWindow } from '../core/nostr/seriesTypes';
export { SERIES_BUCKETS, SERIES_WINDOWS } from '../core/nostr/seriesTypes';
export type {
  DvmKindFigures, DvmLiveness, DvmPage, DvmProblems, DvmProfileCard, DvmRecentEvent, DvmTotals, ErrorMessageCount, KindDvmFigures,
  KindJob, KindPage, PairFigures, ProblemJob, RecentKindJobs, UserDvmFigures, UserJob, UserPage,
} from '../core/nostr/pageTypes';

/**
 * Engine requests behind the DVM, kind and user pages and the activity series (issue 12; DESIGN.md "Nostr:
 * definitions"). Sats are whole sats (millisats / 1000, rounded down), times unix seconds, response times whole
 * seconds with nearest-rank percentiles. Every string that came from an event or a profile (names, about, picture
 * URLs, relay URLs, nip90Params, error messages) is untrusted text: show it as text, never load or run it.
 *
 * Each figure says what it covers: `all-time` figures are counted at ingest and never shrink; per-kind and per-DVM
 * breakdowns sum the (job, DVM) pairs kept (the history window, `swarmscope.storage.historyDays`, and pinned DVMs
 * for ever); series come from rollups whose resolution and reach the answer names (`SeriesCoverage`).
 */

export interface NostrPageMethods {
  /** null: the pubkey never acted as a DVM (answered or announced). */
  'nostr.dvmPage': { params: { pubkey: string; now?: number; window?: SeriesWindow; bucket?: SeriesBucket }; result: DvmPage | null };
  /** null: a kind never requested, answered or announced. */
  'nostr.kindPage': { params: { kind: number; now?: number; window?: SeriesWindow; bucket?: SeriesBucket }; result: KindPage | null };
  /** null: nobody by that pubkey ever sent a request. */
  'nostr.userPage': { params: { pubkey: string; limit?: number }; result: UserPage | null };
  'nostr.activity': { params: { window: SeriesWindow; bucket: SeriesBucket; now?: number; kind?: number; dvm?: string }; result: ActivitySeries };
  /** The newest jobs of every kind requested (`perKind` at most 3), the kind with the newest job first. */
  'nostr.recentByKind': { params: { perKind?: number }; result: RecentKindJobs[] };
  /** ContextVM / DVMCP servers, newest sign of life first, with their live-only traffic counts. */
  'nostr.contextVmServers': { params: { now?: number }; result: ContextVmServer[] };
}

export const NOSTR_PAGE_METHODS: readonly (keyof NostrPageMethods & string)[] = [
  'nostr.dvmPage', 'nostr.kindPage', 'nostr.userPage', 'nostr.activity', 'nostr.recentByKind', 'nostr.contextVmServers',
];
