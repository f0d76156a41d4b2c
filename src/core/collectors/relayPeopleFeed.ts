import type { AbstractRelay } from 'nostr-tools/abstract-relay';
import { Backoff } from '../util/backoff';
import { describeError } from '../util/errors';
import { backfill, BackfillError } from './relayBackfill';
import { deletionAndZapFilters, peopleFilters, profileFilters, type PeopleSets } from './relayFilters';
import { NOBODY, type PeopleMark, type RelayPeople } from './relayPeople';
import { openRelaySubscription, type RelaySubscription } from './relaySubscription';

export interface RelayPeopleFeedOptions {
  readonly relay: AbstractRelay;
  readonly people: RelayPeople;
  /** Start of this session's backfill window: the relay cursor minus the overlap. */
  readonly since: number;
  /** False when the relay sends no EOSE: its stored events cannot be paged, so only the live stream is taken. */
  readonly backfill: boolean;
  readonly pageSize: number;
  readonly maxWaitMs: number;
  readonly refreshMs: number;
  readonly overlapSeconds: number;
  readonly retryBaseMs: number;
  readonly retryCapMs: number;
  readonly accept: (event: unknown) => void;
  readonly alreadyHave: (id: string) => boolean;
  readonly onInvalid: () => void;
  readonly onCrowdedSecond: (second: number, kind: number | undefined) => void;
  /** A backfill of newcomers finished (or was refused for good): the relay cursor may move again. */
  readonly onBackfilled: () => void;
  readonly noteError: (message: string) => void;
  readonly debug: (message: string) => void;
  /** False once the session this feed belongs to has ended. */
  readonly current: () => boolean;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * The "people" half of a relay session (see relayFilters.ts): profiles, deletions and zap receipts of the DVMs and
 * users the job traffic revealed. Whenever someone new is followed it re-issues ONE live subscription for everyone
 * (the previous one closes after the new one's EOSE, so nothing falls between), then pages the newcomers' stored
 * events exactly as the job backfill does: a cursor moving down per filter, never trusting a short page. Kind 0 is
 * paged back to 0 (replaceable: the newest counts, whatever its age); deletions and zaps back to the session's
 * `since`. While newcomers are being paged, `backfilling` is true and the relay cursor must not move, so a session
 * that dies halfway repeats the backfill from the old cursor. A page without EOSE is retried after a backoff.
 */
export class RelayPeopleFeed {
  private live: RelaySubscription | undefined;
  /** The live subscription being replaced: open until its successor's stored part has ended. */
  private retiring: RelaySubscription | undefined;
  private liveRevision = -1;
  /** Everyone whose stored events are fetched (or were refused for good). */
  private fetched: PeopleMark = NOBODY;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private retryAt = 0;
  private readonly retry: Backoff;
  private closed = false;

  constructor(private readonly options: RelayPeopleFeedOptions) {
    this.retry = new Backoff(options.retryBaseMs, options.retryCapMs);
  }

  /** Someone followed has stored events not fetched yet (being paged, or waiting for a retry): hold the cursor. */
  get backfilling(): boolean {
    if (!this.options.backfill) return false;
    const now = this.options.people.mark();
    return now.dvms > this.fetched.dvms || now.users > this.fetched.users;
  }

  start(): void {
    const tick = () =>
      this.refresh().catch((error) => {
        if (this.active()) this.options.noteError(`profiles/deletions/zaps subscription failed: ${describeError(error)}`);
      });
    void tick();
    this.timer = setInterval(() => void tick(), this.options.refreshMs);
    this.timer.unref?.();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.retiring?.close();
    this.live?.close();
    this.retiring = undefined;
    this.live = undefined;
  }

  private active(): boolean {
    return !this.closed && this.options.current();
  }

  private async refresh(): Promise<void> {
    const { people } = this.options;
    if (this.running || !this.active() || people.size === 0) return;
    const revision = people.revision;
    const mark = people.mark();
    const newcomers = people.since(this.fetched);
    const pending = this.options.backfill && newcomers.dvms.length + newcomers.users.length > 0;
    if (revision === this.liveRevision && (!pending || Date.now() < this.retryAt)) return;
    this.running = true;
    try {
      if (revision !== this.liveRevision) await this.openLive(people.snapshot(), revision);
      if (pending && this.active()) await this.backfillNewcomers(newcomers, mark);
    } finally {
      this.running = false;
    }
  }

  /** One live subscription for everyone followed; the previous one closes once this one's stored part has ended. */
  private async openLive(everyone: PeopleSets, revision: number): Promise<void> {
    const previous = this.live;
    this.retiring = previous;
    const sub = openRelaySubscription(this.options.relay, peopleFilters(everyone, nowSeconds() - this.options.overlapSeconds), {
      label: 'people',
      maxWaitMs: this.options.maxWaitMs,
      keepOpenOnTimeout: true,
      onEvent: (event) => this.options.accept(event),
      onInvalid: () => this.options.onInvalid(),
      alreadyHave: (id) => this.options.alreadyHave(id),
      onEndedLive: (reason) => {
        if (this.active() && this.live === sub) this.options.noteError(`relay ended the profiles/deletions/zaps subscription: ${reason}`);
      },
    });
    this.live = sub;
    const end = await sub.storedEnd;
    this.retiring = undefined;
    if (!this.active()) return;
    if (end.kind === 'closed') {
      // Keep the previous subscription: it still serves everyone followed before.
      this.live = previous;
      this.liveRevision = revision;
      this.options.noteError(`relay refused the profiles/deletions/zaps subscription: ${end.reason}`);
      return;
    }
    previous?.close();
    this.liveRevision = revision;
    if (end.kind === 'timeout') {
      // Kept open: live events still come. A relay without EOSE is already reported by its connection.
      if (this.options.backfill) this.options.noteError(`no EOSE for the profiles/deletions/zaps subscription within ${this.options.maxWaitMs} ms; kept open for live events`);
      else this.options.debug('profiles/deletions/zaps subscription open without EOSE (live only)');
    }
  }

  private async backfillNewcomers(newcomers: PeopleSets, mark: PeopleMark): Promise<void> {
    const until = nowSeconds();
    const page = {
      relay: this.options.relay,
      until,
      pageSize: this.options.pageSize,
      maxWaitMs: this.options.maxWaitMs,
      onEvent: (event: unknown) => this.options.accept(event),
      onInvalid: () => this.options.onInvalid(),
      onCrowdedSecond: this.options.onCrowdedSecond,
      cancelled: () => !this.active(),
    };
    try {
      await backfill({ ...page, filters: profileFilters(newcomers.dvms), since: 0 });
      await backfill({ ...page, filters: deletionAndZapFilters(newcomers), since: this.options.since });
    } catch (error) {
      if (!this.active()) return;
      const message = describeError(error);
      if (error instanceof BackfillError && error.reason === 'refused') {
        // Asked again it would be refused again; holding the cursor for it would stall every later backfill.
        this.options.noteError(`profiles/deletions/zaps backfill given up for ${newcomers.dvms.length} DVMs and ${newcomers.users.length} users: ${message}`);
        this.finish(mark);
        return;
      }
      const delay = this.retry.next();
      this.retryAt = Date.now() + delay;
      this.options.noteError(`profiles/deletions/zaps backfill: ${message}; retry in ${(delay / 1000).toFixed(1)} s`);
      return;
    }
    if (this.active()) this.finish(mark);
  }

  private finish(mark: PeopleMark): void {
    this.fetched = mark;
    this.retry.reset();
    this.retryAt = 0;
    this.options.onBackfilled();
  }
}
