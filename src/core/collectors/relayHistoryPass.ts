import type { HistoryBackfillStore } from '../nostr/nostrStore';
import type { Logger } from '../util/logger';
import { connectGuardedRelay } from './guardedRelayConnect';
import { HistoryPeopleSweep } from './historyPeopleSweep';
import { backfill, BackfillError } from './relayBackfill';
import { FALLBACK_KINDS_PER_FILTER, jobFilters } from './relayFilters';

/** How one pass over a relay's history ended (a failure throws instead: the caller retries). */
export type HistoryPassOutcome = 'done' | 'cancelled' | 'budget';

export interface HistoryPassOptions {
  readonly url: string;
  /** The run's progress; it must have a row for `url` (HistoryBackfillStore.plan). */
  readonly progress: HistoryBackfillStore;
  /**
   * Stores one page of raw, unverified events of this relay and resolves to how many were new. Awaited before the
   * page's progress is written, so a restart never finds progress past what was stored.
   */
  readonly deliver: (events: readonly unknown[]) => Promise<number>;
  /** Checked before every page: the database reached its size budget (what is left would evict live data). */
  readonly overBudget: () => Promise<boolean>;
  readonly cancelled: () => boolean;
  /** Gets what ends the pass's connection at once, so a cancel does not wait out a page a relay never ends. */
  readonly onConnected?: (close: () => void) => void;
  /** After each stored page, for the progress shown to the user. */
  readonly onPage: () => void;
  readonly onDropped: (reason: string, count: number) => void;
  readonly log: Logger;
  readonly pageSize: number;
  readonly maxWaitMs: number;
  readonly connectTimeoutMs: number;
}

/**
 * One pass of the history backfill over one relay: connects, then pages each job filter (relayFilters.ts) newest
 * first with `until`/`limit` REQs (relayBackfill.ts) from where the stored progress stopped down to the run's
 * `since`, storing every page with the zap receipts and deletions that go with it (historyPeopleSweep.ts) and its
 * progress together. Events older than `since` are not taken even when a relay ignores `since`: they are outside the
 * history window, whose dedupe ids (nostr_seen) are no longer kept, so a later copy would be counted a second time.
 * A relay that refuses the one 2,001-kind filter is asked again in filters of FALLBACK_KINDS_PER_FILTER kinds; any
 * other failure (refused, no EOSE, connection lost) throws, with the progress of the pages already stored kept.
 */
export async function runHistoryPass(options: HistoryPassOptions): Promise<HistoryPassOutcome> {
  const { url, progress } = options;
  if (await options.overBudget()) return 'budget';
  const relay = await connectGuardedRelay(url, { timeoutMs: options.connectTimeoutMs, log: options.log, label: 'history' });
  options.onConnected?.(() => relay.close());
  const people = new HistoryPeopleSweep({
    relay, pageSize: options.pageSize, maxWaitMs: options.maxWaitMs, cancelled: options.cancelled,
    onInvalid: () => options.onDropped('relay sent an event outside the subscription filter', 1),
  });
  try {
    for (;;) {
      if (options.cancelled()) return 'cancelled';
      const row = await progress.get(url);
      if (!row) throw new Error('its history backfill progress is gone');
      if (row.doneAt !== undefined) return 'done';
      const filters = jobFilters(row.kindsPerFilter);
      if (row.filterIndex >= filters.length) {
        await progress.finish(url, Math.floor(Date.now() / 1000));
        return 'done';
      }
      let pending: unknown[] = [];
      let oldest = row.until;
      let top = row.until;
      let budgetReached = false;
      try {
        await backfill({
          relay,
          filters: [filters[row.filterIndex]],
          since: row.since,
          until: row.until,
          pageSize: options.pageSize,
          maxWaitMs: options.maxWaitMs,
          onEvent: (event) => {
            const createdAt = (event as { created_at?: unknown }).created_at;
            if (typeof createdAt === 'number' && createdAt < row.since) return;
            if (typeof createdAt === 'number' && createdAt < oldest) oldest = createdAt;
            pending.push(event);
          },
          onInvalid: () => options.onDropped('relay sent an event outside the subscription filter', 1),
          onPage: async (_ms, received) => {
            const jobs = pending;
            pending = [];
            // Cancelled or restarted while this page was in flight: the row may have been planned anew since `row`
            // was read (another history window), and writing `row`'s filter and position back would undo that. The
            // page is asked again by the next pass.
            if (options.cancelled()) return;
            // Its zap receipts and deletions go in the same batch, after the jobs, before the raw rows are trimmed.
            const proofs = await people.eventsFor(jobs, { since: row.since, oldest, top, runTop: row.startedUntil });
            top = oldest;
            if (options.cancelled()) return;
            const page = [...jobs, ...proofs];
            const accepted = page.length > 0 ? await options.deliver(page) : 0;
            // Stored; but cancelled (or planned anew) while it was: its position is not written over the new plan.
            if (options.cancelled()) return;
            await progress.advance(url, row.filterIndex, oldest, received + proofs.length, accepted);
            budgetReached = await options.overBudget();
            options.onPage();
          },
          onCrowdedSecond: (second, kind) => {
            options.log.log('warn', `relay ${url} (history): more events of kind ${kind ?? '?'} in second ${second} than the relay sends at once; some may be missing`);
            options.onDropped('more events of one kind in one second than the relay sends at once; some may be missing', 1);
          },
          cancelled: () => budgetReached || options.cancelled(),
        });
      } catch (error) {
        // A cancel closes the connection under the page, and the relay's CLOSED for it reads as a refusal: it is not
        // one, and restarting in smaller filters would throw away the pages already stored.
        if (options.cancelled()) return 'cancelled';
        if (error instanceof BackfillError && error.reason === 'refused' && row.kindsPerFilter > FALLBACK_KINDS_PER_FILTER && row.filterIndex === 0) {
          options.log.log('warn', `relay ${url} refused the history backfill's filter of ${row.kindsPerFilter} kinds (${error.message}); asking in filters of ${FALLBACK_KINDS_PER_FILTER} kinds`);
          await progress.restartWithKindsPerFilter(url, FALLBACK_KINDS_PER_FILTER);
          continue;
        }
        throw error;
      }
      if (budgetReached) return 'budget';
      if (options.cancelled()) return 'cancelled';
      // This filter reached `since`: the next one starts at the top of the run.
      await progress.advance(url, row.filterIndex + 1, row.startedUntil, 0, 0);
      people.filterDone();
    }
  } finally {
    relay.close();
  }
}
