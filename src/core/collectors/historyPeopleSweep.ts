import type { AbstractRelay } from 'nostr-tools/abstract-relay';
import { backfill } from './relayBackfill';
import { roleOfKind } from '../nostr/nostrEvent';
import { deletionAndZapFilters, type PeopleSets } from './relayFilters';

export interface HistoryPeopleSweepOptions {
  readonly relay: AbstractRelay;
  readonly pageSize: number;
  readonly maxWaitMs: number;
  readonly onInvalid: () => void;
  readonly cancelled: () => boolean;
}

/**
 * The zap receipts (9735, paying a DVM) and deletions (5, by a customer) that go with the history backfill's job
 * pages, asked for only the DVMs and customers those pages reveal (every 9735 or 5 of a relay is the whole network's).
 *
 * A receipt is linked to its job through the zapped feedback's or result's raw row, which the backfill trims right
 * after a page older than the raw window is stored; a receipt stored before that event instead waits for it (the
 * ingest links it when it comes). Pages go newest first and a receipt is never older than what it pays, so each
 * page's events are stored together with: for people new to this pass, their receipts and deletions from the page's
 * oldest second up to the top of the run (newer ones wait for their older targets; this page's are linked in the same
 * batch, before the trim); for people seen on this filter's earlier pages, those of this page's span alone (the spans
 * above were asked on the pages above). Once a filter is paged down to the run's start, whoever it showed has had the
 * whole run asked for. A pass resumed after a restart asks some again (duplicates to the ingest).
 */
export class HistoryPeopleSweep {
  /** Seen on a page of the filter being paged: asked for down to that page so far. */
  private readonly seen: { dvms: Set<string>; users: Set<string> } = { dvms: new Set(), users: new Set() };
  /** Seen on a filter paged down to the run's start: everything of theirs in the run was asked for. */
  private readonly swept: { dvms: Set<string>; users: Set<string> } = { dvms: new Set(), users: new Set() };

  constructor(private readonly options: HistoryPeopleSweepOptions) {}

  /**
   * The receipts and deletions to store with one job page spanning [oldest, top] of a run whose top is `runTop`
   * (none below `since`). Unverified like the page: a forged pubkey costs a request, never a count.
   */
  async eventsFor(page: readonly unknown[], span: { since: number; oldest: number; top: number; runTop: number }): Promise<unknown[]> {
    const earlier: PeopleSets = { dvms: [...this.seen.dvms], users: [...this.seen.users] };
    const fresh = { dvms: new Set<string>(), users: new Set<string>() };
    for (const event of page) {
      const { kind, pubkey } = event as { kind?: unknown; pubkey?: unknown };
      if (typeof kind !== 'number' || typeof pubkey !== 'string') continue;
      const role = roleOfKind(kind);
      const side = role === 'result' || role === 'feedback' ? 'dvms' : role === 'request' ? 'users' : undefined;
      if (side && !this.seen[side].has(pubkey) && !this.swept[side].has(pubkey)) fresh[side].add(pubkey);
    }
    for (const side of ['dvms', 'users'] as const) for (const pubkey of fresh[side]) this.seen[side].add(pubkey);
    const from = Math.max(span.since, span.oldest);
    const events: unknown[] = [];
    await this.fetch({ dvms: [...fresh.dvms], users: [...fresh.users] }, from, span.runTop, events);
    await this.fetch(earlier, from, span.top, events);
    return events;
  }

  /** The filter being paged reached the run's start: whoever it showed has had all of the run asked for. */
  filterDone(): void {
    for (const side of ['dvms', 'users'] as const) {
      for (const pubkey of this.seen[side]) this.swept[side].add(pubkey);
      this.seen[side].clear();
    }
  }

  private async fetch(people: PeopleSets, since: number, until: number, into: unknown[]): Promise<void> {
    const filters = deletionAndZapFilters(people);
    if (filters.length === 0 || until < since || this.options.cancelled()) return;
    await backfill({
      relay: this.options.relay,
      filters,
      since,
      until,
      pageSize: this.options.pageSize,
      maxWaitMs: this.options.maxWaitMs,
      onEvent: (event) => {
        const createdAt = (event as { created_at?: unknown }).created_at;
        if (typeof createdAt !== 'number' || createdAt >= since) into.push(event);
      },
      onInvalid: () => this.options.onInvalid(),
      cancelled: this.options.cancelled,
    });
  }
}
