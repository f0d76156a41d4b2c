import type { AbstractRelay, AbstractRelayConstructorOptions } from 'nostr-tools/abstract-relay';
import type { CollectorStatus } from './collectorStatus';
import { Backoff } from '../util/backoff';
import { describeError } from '../util/errors';
import { isoTime } from '../util/isoTime';
import type { Logger } from '../util/logger';
import { GuardedRelay } from './guardedRelay';
import { backfill, type BackfillOptions } from './relayBackfill';
import { RelayEventBatcher } from './relayEventBatcher';
import { FALLBACK_KINDS_PER_FILTER, jobFilters, serverAnnouncementFilters, withTimeBounds } from './relayFilters';
import type { RelayPeople } from './relayPeople';
import { RelayPeopleFeed } from './relayPeopleFeed';
import { RelayRecentIds } from './relayRecentIds';
import { openRelaySubscription, type RelaySubscription } from './relaySubscription';
import { RelayHealth } from './relayHealth';
import type { RelayCollectorTuning, RelayCursor } from './relayTypes';
import { reportingRelayWebSocket } from './relayWebSocket';

export interface RelayConnectionOptions {
  readonly url: string;
  readonly cursor: RelayCursor;
  readonly tuning: Required<RelayCollectorTuning>;
  readonly people: RelayPeople;
  /** A promise is a delivery under way (relayEventBatcher.ts). */
  readonly deliver: (events: readonly unknown[]) => void | Promise<unknown>;
  readonly log: Logger;
  readonly onStatusChange: () => void;
  readonly onDropped: (reason: string, count: number) => void;
}

/** Figures behind one relay's status line; also read by tests and the CLI. */
export interface RelayStats {
  readonly url: string;
  readonly state: CollectorStatus['state'];
  readonly events: number;
  readonly lastEventAt: number | undefined;
  readonly latencyMs: number | undefined;
  readonly errors: number;
  readonly reconnects: number;
  readonly backfilling: boolean;
  /** Profiles, deletions or zaps of newly followed people are being paged (the cursor waits for them). */
  readonly peopleBackfilling: boolean;
  /** The relay sent no EOSE for the live subscription: live events are taken, backfill is skipped. */
  readonly liveOnly: boolean;
  readonly lastError: string | undefined;
  /** Frames that were not NIP-01 messages, and NOTICEs, since the collector started (relayHealth.ts). */
  readonly badFrames: number;
  readonly notices: number;
  /** Why the relay, though connected, is not healthy (bad frames, only NOTICEs); undefined when it is. */
  readonly degradedReason: string | undefined;
  /** When a connection to the relay last opened (unix ms); undefined if it never did. */
  readonly lastConnectedAt: number | undefined;
}

// A zero id matches nothing: its REQ→EOSE time is the relay's round trip (NIP-01 has no ping).
const PROBE_FILTER = { ids: ['0'.repeat(64)], limit: 1 };
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * One relay, kept connected: connect → live "jobs" subscription → paged backfill from the relay's cursor (minus an
 * overlap) → live only, plus the "people" feed (relayPeopleFeed.ts), paged the same way, as DVMs and users are
 * learned. Any failure (socket closed, REQ refused, page timed out) tears the session down and reconnects after a
 * bounded backoff, which re-runs the backfill from the cursor, so nothing published while away is lost. The one
 * exception is a relay that never sends EOSE for the live subscription: the session stays up on live events alone
 * and says so (`goLiveOnly`). nostr-tools' own reconnect is off: it resumes from `lastEmitted + 1` without paging,
 * which can skip events sharing the last second or beyond a relay's cap.
 */
export class RelayConnection {
  private readonly backoff: Backoff;
  private readonly recent: RelayRecentIds;
  private readonly batcher: RelayEventBatcher;
  private readonly health: RelayHealth;
  private lastConnectedAt: number | undefined;
  private generation = 0;
  private relay: AbstractRelay | undefined;
  private live: RelaySubscription | undefined;
  private peopleFeed: RelayPeopleFeed | undefined;
  private backfillSince = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private kindsPerFilter: number;
  private backfillDone = false;
  private liveOnly = false;
  private sessionNewest: number | undefined;
  private stopped = false;
  private stats: {
    state: CollectorStatus['state']; events: number; lastEventAt?: number; latencyMs?: number; errors: number; reconnects: number;
    lastError?: string; retryInMs?: number;
  } = { state: 'idle', events: 0, errors: 0, reconnects: 0 };

  constructor(private readonly options: RelayConnectionOptions) {
    const { tuning } = options;
    this.backoff = new Backoff(tuning.backoffBaseMs, tuning.backoffCapMs);
    this.recent = new RelayRecentIds(tuning.recentIdCapacity);
    this.kindsPerFilter = tuning.kindsPerFilter;
    this.health = new RelayHealth({
      url: options.url,
      log: options.log,
      onDegraded: () => options.onStatusChange(),
      onBadFrame: () => options.onDropped('bad frame (not a NIP-01 message)', 1),
    });
    this.batcher = new RelayEventBatcher({
      flushMs: tuning.flushMs,
      maxBatch: tuning.maxBatch,
      deliver: (events) => options.deliver(events),
      delivered: (newest, count) => this.onDelivered(newest, count),
      failed: (error, count) => {
        this.noteError(`the engine did not take a batch of ${count} events: ${describeError(error)}`);
      },
    });
  }

  get url(): string {
    return this.options.url;
  }

  start(): void {
    if (this.stats.state !== 'idle') return;
    void this.connect();
  }

  status(): CollectorStatus {
    const s = this.snapshot();
    const parts = [`${s.events} events`];
    parts.push(s.lastEventAt === undefined ? 'no event yet' : `last event ${isoTime(s.lastEventAt)}`);
    if (s.latencyMs !== undefined) parts.push(`latency ${Math.round(s.latencyMs)} ms`);
    if (s.backfilling) parts.push('backfilling');
    if (s.peopleBackfilling) parts.push('backfilling profiles/deletions/zaps');
    if (s.liveOnly) parts.push(`live only: no EOSE within ${this.options.tuning.maxWaitMs} ms, backfill skipped`);
    if (s.errors > 0) parts.push(`${s.errors} errors`);
    if (s.reconnects > 0) parts.push(`${s.reconnects} reconnects`);
    parts.push(...this.health.detailParts());
    if (this.stats.state === 'retrying' && this.stats.retryInMs !== undefined) parts.push(`retry in ${(this.stats.retryInMs / 1000).toFixed(1)} s`);
    return {
      name: this.options.url,
      state: s.degradedReason ? 'degraded' : s.state,
      detail: parts.join(' · '),
      lastError: s.lastError,
      ...(s.degradedReason ? { reason: s.degradedReason } : {}),
      ...(s.lastConnectedAt !== undefined ? { lastConnectedAt: s.lastConnectedAt } : {}),
    };
  }

  snapshot(): RelayStats {
    return {
      url: this.options.url,
      state: this.stats.state,
      events: this.stats.events,
      lastEventAt: this.stats.lastEventAt,
      latencyMs: this.stats.latencyMs,
      errors: this.stats.errors,
      reconnects: this.stats.reconnects,
      backfilling: this.stats.state === 'connected' && !this.backfillDone && !this.liveOnly,
      peopleBackfilling: this.stats.state === 'connected' && (this.peopleFeed?.backfilling ?? false),
      liveOnly: this.stats.state === 'connected' && this.liveOnly,
      lastError: this.stats.lastError,
      badFrames: this.health.badFrames,
      notices: this.health.notices,
      degradedReason: this.stats.state === 'connected' ? this.health.degradedReason() : undefined,
      lastConnectedAt: this.lastConnectedAt,
    };
  }

  async dispose(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.teardown();
    this.batcher.dispose();
    this.setState('stopped');
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    const current = () => generation === this.generation && !this.stopped;
    this.setState('connecting');
    const { tuning } = this.options;
    try {
      // nostr-tools says only "connection failed" or nothing: the socket says why (relaySocketFailure.ts).
      let failure: string | undefined;
      let closed: string | undefined;
      let opened = false;
      const relay = new GuardedRelay(this.options.url, {
        // The engine verifies every event (WASM, in batches); verifying here too would double the cost.
        verifyEvent: () => true,
        // Node 20 has no global WebSocket.
        websocketImplementation: reportingRelayWebSocket({
          failed: (reason) => { failure ??= reason; },
          closed: (reason) => { closed ??= reason; },
        }) as unknown as AbstractRelayConstructorOptions['websocketImplementation'],
        // ws-level ping/pong: a half-open connection is closed (and so retried) instead of hanging forever.
        enablePing: true,
      }, this.health);
      relay.onnotice = (message) => this.health.notice(String(message));
      relay.onclose = () => {
        const reason = failure ?? (opened ? closed ?? 'connection closed' : `no connection within ${tuning.connectTimeoutMs} ms`);
        if (current()) this.fail(new Error(reason));
      };
      this.relay = relay;
      this.health.startSession();
      await relay.connect({ timeout: tuning.connectTimeoutMs });
      if (!current()) return;
      opened = true;
      this.lastConnectedAt = Date.now();

      const sessionStart = nowSeconds();
      const cursor = await this.options.cursor.get(this.options.url);
      if (!current()) return;
      this.backfillSince = cursor !== undefined ? Math.max(0, cursor - tuning.overlapSeconds) : sessionStart - tuning.initialBackfillSeconds;
      this.backfillDone = false;
      this.liveOnly = false;
      this.sessionNewest = undefined;
      this.setState('connected');

      const liveEnd = await this.openLive(relay, sessionStart, current);
      if (!current()) return;
      if (liveEnd === 'no-eose') {
        this.goLiveOnly(relay, current);
        return;
      }
      const page: Omit<BackfillOptions, 'filters' | 'since'> = {
        relay,
        until: sessionStart,
        pageSize: tuning.pageSize,
        maxWaitMs: tuning.maxWaitMs,
        onEvent: (event) => this.accept(event),
        onInvalid: () => this.options.onDropped('relay sent an event outside the subscription filter', 1),
        onPage: (ms) => {
          this.stats.latencyMs = ms;
        },
        onCrowdedSecond: (second, kind) => this.reportCrowdedSecond(second, kind),
        cancelled: () => !current(),
      };
      await backfill({ ...page, filters: jobFilters(this.kindsPerFilter), since: this.backfillSince });
      if (!current()) return;
      // Servers announced before this relay was first followed (relayFilters.ts); later backfills follow the cursor.
      if (cursor === undefined) await backfill({ ...page, filters: serverAnnouncementFilters(), since: 0 });
      if (!current()) return;
      this.batcher.flush();
      this.backfillDone = true;
      // People learned during the backfill are paged next; until they are, the cursor stays (see onBackfilled).
      this.startPeople(relay, current);
      if (!this.peopleFeed?.backfilling && this.sessionNewest !== undefined) this.advanceCursor(this.sessionNewest);
      this.backoff.reset();
      this.options.log.log('info', `relay ${this.options.url}: backfilled from ${isoTime(this.backfillSince)}, now live`);
      this.setState('connected');
      this.scheduleProbe(relay, current);
    } catch (error) {
      if (current()) this.fail(error);
    }
  }

  /**
   * NIP-01 says a relay sends EOSE after its stored events; some never do. Waiting for one forever (or reconnecting
   * forever) would also lose the live stream, so the session keeps the live subscriptions open and skips the
   * backfill, which cannot tell a complete page from a stalled one without EOSE. The cursor stays where it was
   * (nothing was proven complete), and the status says so; the next reconnect tries the backfill again.
   */
  private goLiveOnly(relay: AbstractRelay, current: () => boolean): void {
    this.liveOnly = true;
    this.health.answerOverdue();
    this.backoff.reset();
    this.noteError(`no EOSE within ${this.options.tuning.maxWaitMs} ms (NIP-01): backfill skipped, taking live events only`);
    this.setState('connected');
    this.startPeople(relay, current);
    this.scheduleProbe(relay, current);
  }

  /** Opens the live "jobs" subscription first, so nothing published during the backfill falls between the two. */
  private async openLive(relay: AbstractRelay, sessionStart: number, current: () => boolean): Promise<'eose' | 'no-eose'> {
    for (;;) {
      const filters = jobFilters(this.kindsPerFilter).map((filter) => withTimeBounds(filter, { since: sessionStart }));
      const live = openRelaySubscription(relay, filters, {
        label: 'jobs',
        maxWaitMs: this.options.tuning.maxWaitMs,
        keepOpenOnTimeout: true,
        onEvent: (event) => this.accept(event),
        onInvalid: () => this.options.onDropped('relay sent an event outside the subscription filter', 1),
        alreadyHave: (id) => this.recent.has(id),
        onEndedLive: (reason) => {
          if (current()) this.fail(new Error(`relay ended the live subscription: ${reason}`));
        },
      });
      this.live = live;
      const end = await live.storedEnd;
      if (end.kind === 'eose') {
        this.stats.latencyMs = end.ms;
        return 'eose';
      }
      if (end.kind === 'timeout') return 'no-eose';
      if (end.kind === 'closed' && this.kindsPerFilter > FALLBACK_KINDS_PER_FILTER && current()) {
        this.options.log.log('warn', `relay ${this.options.url} refused 5000–7000 as one filter (${end.reason}); asking in filters of ${FALLBACK_KINDS_PER_FILTER} kinds`);
        this.kindsPerFilter = FALLBACK_KINDS_PER_FILTER;
        continue;
      }
      throw new Error(`relay refused the live subscription: ${end.reason}`);
    }
  }

  /** Profiles, deletions and zaps of the DVMs and users this relay's job traffic revealed (relayPeopleFeed.ts). */
  private startPeople(relay: AbstractRelay, current: () => boolean): void {
    const { tuning } = this.options;
    this.peopleFeed?.close();
    this.peopleFeed = new RelayPeopleFeed({
      relay,
      people: this.options.people,
      since: this.backfillSince,
      backfill: !this.liveOnly,
      pageSize: tuning.pageSize,
      maxWaitMs: tuning.maxWaitMs,
      refreshMs: tuning.peopleRefreshMs,
      overlapSeconds: tuning.overlapSeconds,
      retryBaseMs: tuning.backoffBaseMs,
      retryCapMs: tuning.backoffCapMs,
      accept: (event) => this.accept(event),
      alreadyHave: (id) => this.recent.has(id),
      onInvalid: () => this.options.onDropped('relay sent an event outside the subscription filter', 1),
      onCrowdedSecond: (second, kind) => this.reportCrowdedSecond(second, kind),
      onBackfilled: () => {
        this.batcher.flush();
        if (this.peopleFeed?.backfilling === false && this.sessionNewest !== undefined) this.advanceCursor(this.sessionNewest);
        this.options.onStatusChange();
      },
      noteError: (message) => this.noteError(message),
      debug: (message) => this.options.log.log('debug', `relay ${this.options.url}: ${message}`),
      current,
    });
    this.peopleFeed.start();
  }

  private scheduleProbe(relay: AbstractRelay, current: () => boolean): void {
    clearInterval(this.probeTimer);
    const probeOnce = async () => {
      if (!current() || !relay.connected) return;
      const probe = openRelaySubscription(relay, [PROBE_FILTER], { label: 'probe', maxWaitMs: 10_000, onEvent: () => undefined });
      const end = await probe.storedEnd;
      probe.close();
      if (!current()) return;
      if (end.kind === 'eose') this.stats.latencyMs = end.ms;
      this.options.onStatusChange();
    };
    // A dead connection is caught by the ws ping (enablePing); a failed probe only leaves the latency as it was.
    this.probeTimer = setInterval(() => void probeOnce().catch(() => undefined), this.options.tuning.probeIntervalMs);
    this.probeTimer.unref?.();
  }

  /** The dropped reason is one fixed text (counters are kept per reason, for good); the log names kind and second. */
  private reportCrowdedSecond(second: number, kind: number | undefined): void {
    this.options.log.log('warn', `relay ${this.options.url}: more events of kind ${kind ?? '?'} in second ${second} (${isoTime(second)}) than the relay sends at once; some may be missing`);
    this.options.onDropped('more events of one kind in one second than the relay sends at once; some may be missing', 1);
  }

  private accept(event: unknown): void {
    const id = (event as { id?: unknown }).id;
    if (typeof id === 'string' && !this.recent.add(id)) return;
    this.options.people.learn(event);
    this.batcher.push(event);
  }

  private onDelivered(newest: number | undefined, count: number): void {
    this.stats.events += count;
    if (newest !== undefined) {
      this.stats.lastEventAt = Math.max(this.stats.lastEventAt ?? 0, newest);
      this.sessionNewest = Math.max(this.sessionNewest ?? 0, newest);
      // During a backfill pages arrive newest first: moving the cursor now could skip the older pages if we fail.
      if (this.backfillDone && !this.peopleFeed?.backfilling) this.advanceCursor(newest);
    }
    this.options.onStatusChange();
  }

  /** The cursor's writer caps it at the clock (RelayCursor.set), so a future-dated event cannot blind a backfill. */
  private advanceCursor(createdAt: number): void {
    const { cursor, url } = this.options;
    const move = async () => {
      const current = await cursor.get(url);
      if (current === undefined || createdAt > current) await cursor.set(url, createdAt);
    };
    move().catch((error) => this.noteError(`the cursor could not be moved to ${isoTime(createdAt)}: ${describeError(error)}`));
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.noteError(describeError(error));
    this.teardown();
    const delay = this.backoff.next();
    this.stats.reconnects++;
    this.stats.retryInMs = delay;
    this.setState('retrying');
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private noteError(message: string): void {
    this.stats.errors++;
    this.stats.lastError = message;
    this.options.log.log('warn', `relay ${this.options.url}: ${message}`);
    this.options.onStatusChange();
  }

  /** Ends the session: later callbacks of this generation are ignored; events already received are delivered. */
  private teardown(): void {
    this.generation++;
    clearInterval(this.probeTimer);
    this.live?.close();
    this.peopleFeed?.close();
    this.live = undefined;
    this.peopleFeed = undefined;
    const relay = this.relay;
    this.relay = undefined;
    if (relay) {
      relay.onclose = null;
      relay.close();
    }
    this.batcher.flush();
  }

  private setState(state: CollectorStatus['state']): void {
    this.stats.state = state;
    this.options.onStatusChange();
  }
}

