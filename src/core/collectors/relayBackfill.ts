import type { AbstractRelay } from 'nostr-tools/abstract-relay';
import type { Filter } from 'nostr-tools/filter';
import { withTimeBounds } from './relayFilters';
import { openRelaySubscription } from './relaySubscription';

/**
 * Fetches every stored event of `filters` between `since` and `until` (inclusive, NIP-01), newest first, one page
 * of `pageSize` per REQ, moving `until` down to the oldest event of each page. Each filter is paged on its own
 * because a REQ's `limit` applies per filter.
 *
 * A page shorter than asked does not prove the end here: relays cap `limit` below what is asked (@nostr-relay at
 * 10x its default, others at 500) and say nothing. Paging stops only when a page brings nothing older than its
 * `until`. A page that times out or is refused throws, so the caller retries and keeps its cursor.
 */
export interface BackfillOptions {
  readonly relay: AbstractRelay;
  readonly filters: readonly Filter[];
  readonly since: number;
  readonly until: number;
  readonly pageSize: number;
  readonly maxWaitMs: number;
  /** Every event of every page, repeats included (pages overlap at their boundary second): dedupe there. */
  readonly onEvent: (event: unknown) => void;
  readonly onInvalid: (event: unknown) => void;
  /** After each page, awaited before the next one is asked: its REQ→EOSE time and how many events the relay sent (duplicates included). */
  readonly onPage?: (ms: number, received: number) => void | Promise<void>;
  /** Even one kind had more events in one second than the relay would send at once: some may be missing. */
  readonly onCrowdedSecond?: (second: number, kind: number | undefined) => void;
  /** Stops between pages when the connection is gone. */
  readonly cancelled: () => boolean;
}

/** A page that did not end properly: `no-eose` may pass if asked again, `refused` (CLOSED) will not. */
export class BackfillError extends Error {
  constructor(readonly reason: 'no-eose' | 'refused', message: string) {
    super(message);
  }
}

export async function backfill(options: BackfillOptions): Promise<{ pages: number }> {
  let pages = 0;
  for (const filter of options.filters) {
    let until = options.until;
    while (until >= options.since && !options.cancelled()) {
      const page = await fetchPage(options, withTimeBounds(filter, { since: options.since, until, limit: options.pageSize }));
      pages++;
      if (page.received === 0) break;
      if (page.oldest !== undefined && page.oldest < until) {
        until = page.oldest; // inclusive: that second may hold more; its repeats are dropped by `onEvent`.
        continue;
      }
      if (page.received < options.pageSize) break;
      // A full page all at `until`: `until` cannot go lower without skipping the rest of that second.
      await drainSecond(options, filter, until);
      until -= 1;
    }
  }
  return { pages };
}

/**
 * Fetches every event of one second that a full page could not hold: that second alone with a larger limit, and
 * when even that comes back full, the kinds split in halves, recursively. Relays have already sent a full page of
 * `pageSize`, so an answer shorter than `pageSize` is complete; at one kind, an answer shorter than asked is taken
 * as complete, and a full one is reported.
 */
async function drainSecond(options: BackfillOptions, filter: Filter, second: number): Promise<void> {
  const asked = options.pageSize * 10;
  const page = await fetchPage(options, withTimeBounds(filter, { since: second, until: second, limit: asked }));
  if (page.received < options.pageSize) return;
  const kinds = filter.kinds ?? [];
  if (kinds.length > 1) {
    const half = Math.ceil(kinds.length / 2);
    await drainSecond(options, { ...filter, kinds: kinds.slice(0, half) }, second);
    await drainSecond(options, { ...filter, kinds: kinds.slice(half) }, second);
    return;
  }
  if (page.received >= asked) options.onCrowdedSecond?.(second, kinds[0]);
}

interface Page {
  readonly received: number;
  readonly oldest: number | undefined;
}

async function fetchPage(options: BackfillOptions, filter: Filter): Promise<Page> {
  let received = 0;
  let oldest: number | undefined;
  const subscription = openRelaySubscription(options.relay, [filter], {
    label: 'backfill',
    maxWaitMs: options.maxWaitMs,
    // No `alreadyHave` here: a repeat's created_at still tells how far down this page reached.
    onEvent: (event) => {
      received++;
      const createdAt = (event as { created_at?: unknown }).created_at;
      if (typeof createdAt === 'number' && (oldest === undefined || createdAt < oldest)) oldest = createdAt;
      options.onEvent(event);
    },
    onInvalid: (event) => {
      received++;
      options.onInvalid(event);
    },
  });
  const end = await subscription.storedEnd;
  subscription.close();
  if (end.kind === 'timeout') throw new BackfillError('no-eose', `backfill page got no EOSE within ${options.maxWaitMs} ms; retrying rather than keeping a partial page`);
  if (end.kind === 'closed') throw new BackfillError('refused', `relay refused the backfill request: ${end.reason}`);
  await options.onPage?.(end.ms, received);
  return { received, oldest };
}
