import { AbstractRelay, type AbstractRelayConstructorOptions } from 'nostr-tools/abstract-relay';
import { RelayWebSocket } from './relayWebSocket';
import type { CollectorStatus } from '../../protocol/engineProtocol';
import { Backoff } from '../util/backoff';
import { describeError } from '../util/errors';
import type { Logger } from '../util/logger';
import { backfill } from './relayBackfill';
import { RelayEventBatcher } from './relayEventBatcher';
import { FALLBACK_KINDS_PER_FILTER, jobFilters, peopleFilters, withTimeBounds } from './relayFilters';
import type { RelayPeople } from './relayPeople';
import { RelayRecentIds } from './relayRecentIds';
import { openRelaySubscription, type RelaySubscription } from './relaySubscription';
import type { RelayCollectorTuning, RelayCursor } from './relayTypes';

export interface RelayConnectionOptions {
  readonly url: string;
  readonly cursor: RelayCursor;
  readonly tuning: Required<RelayCollectorTuning>;
  readonly people: RelayPeople;
  readonly deliver: (events: readonly unknown[]) => void;
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
  readonly lastError: string | undefined;
}

// A zero id matches nothing: its REQ→EOSE time is the relay's round trip (NIP-01 has no ping).
const PROBE_FILTER = { ids: ['0'.repeat(64)], limit: 1 };
const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * One relay, kept connected: connect → live "jobs" subscription → paged backfill from the relay's cursor (minus an
 * overlap) → live only, plus the "people" subscription as DVMs and users are learned. Any failure (socket closed,
 * REQ refused, page timed out) tears the session down and reconnects after a bounded backoff, which re-runs the
 * backfill from the cursor, so nothing published while away is lost. nostr-tools' own reconnect is off: it resumes
 * from `lastEmitted + 1` without paging, which can skip events sharing the last second or beyond a relay's cap.
 */
export class RelayConnection {
  private readonly backoff: Backoff;
  private readonly recent: RelayRecentIds;
  private readonly batcher: RelayEventBatcher;
  private generation = 0;
  private relay: AbstractRelay | undefined;
  private live: RelaySubscription | undefined;
  private peopleSub: RelaySubscription | undefined;
  private peopleRevision = -1;
  private backfillSince = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private peopleTimer: NodeJS.Timeout | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private kindsPerFilter: number;
  private backfillDone = false;
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
    parts.push(s.lastEventAt === undefined ? 'no event yet' : `last event ${new Date(s.lastEventAt * 1000).toISOString()}`);
    if (s.latencyMs !== undefined) parts.push(`latency ${Math.round(s.latencyMs)} ms`);
    if (s.backfilling) parts.push('backfilling');
    if (s.errors > 0) parts.push(`${s.errors} errors`);
    if (s.reconnects > 0) parts.push(`${s.reconnects} reconnects`);
    if (this.stats.state === 'retrying' && this.stats.retryInMs !== undefined) parts.push(`retry in ${(this.stats.retryInMs / 1000).toFixed(1)} s`);
    return { name: this.options.url, state: s.state, detail: parts.join(' · '), lastError: s.lastError };
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
      backfilling: this.stats.state === 'connected' && !this.backfillDone,
      lastError: this.stats.lastError,
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
      const relay = new AbstractRelay(this.options.url, {
        // The engine verifies every event (WASM, in batches); verifying here too would double the cost.
        verifyEvent: () => true,
        // Node 20 has no global WebSocket.
        websocketImplementation: RelayWebSocket as unknown as AbstractRelayConstructorOptions['websocketImplementation'],
        // ws-level ping/pong: a half-open connection is closed (and so retried) instead of hanging forever.
        enablePing: true,
      });
      relay.onnotice = (message) => this.options.log.log('info', `relay ${this.options.url} NOTICE: ${String(message).slice(0, 300)}`);
      relay.onclose = () => {
        if (current()) this.fail(new Error('connection closed'));
      };
      this.relay = relay;
      await relay.connect({ timeout: tuning.connectTimeoutMs });
      if (!current()) return;

      const sessionStart = nowSeconds();
      const cursor = this.options.cursor.get(this.options.url);
      this.backfillSince = cursor !== undefined ? Math.max(0, cursor - tuning.overlapSeconds) : sessionStart - tuning.initialBackfillSeconds;
      this.backfillDone = false;
      this.sessionNewest = undefined;
      this.setState('connected');

      await this.openLive(relay, sessionStart, current);
      if (!current()) return;
      await backfill({
        relay,
        filters: jobFilters(this.kindsPerFilter),
        since: this.backfillSince,
        until: sessionStart,
        pageSize: tuning.pageSize,
        maxWaitMs: tuning.maxWaitMs,
        onEvent: (event) => this.accept(event),
        onInvalid: () => this.options.onDropped('relay sent an event outside the subscription filter', 1),
        onPage: (ms) => {
          this.stats.latencyMs = ms;
        },
        onCrowdedSecond: (second, kind) => {
          this.options.onDropped(`more events of one kind in one second than the relay sends at once (kind ${kind ?? '?'}, second ${second}); some may be missing`, 1);
        },
        cancelled: () => !current(),
      });
      if (!current()) return;
      this.batcher.flush();
      this.backfillDone = true;
      if (this.sessionNewest !== undefined) this.advanceCursor(this.sessionNewest);
      this.backoff.reset();
      this.options.log.log('info', `relay ${this.options.url}: backfilled from ${new Date(this.backfillSince * 1000).toISOString()}, now live`);
      this.setState('connected');
      this.schedulePeople(current);
      this.scheduleProbe(relay, current);
    } catch (error) {
      if (current()) this.fail(error);
    }
  }

  /** Opens the live "jobs" subscription first, so nothing published during the backfill falls between the two. */
  private async openLive(relay: AbstractRelay, sessionStart: number, current: () => boolean): Promise<void> {
    for (;;) {
      const filters = jobFilters(this.kindsPerFilter).map((filter) => withTimeBounds(filter, { since: sessionStart }));
      const live = openRelaySubscription(relay, filters, {
        label: 'jobs',
        maxWaitMs: this.options.tuning.maxWaitMs,
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
        return;
      }
      if (end.kind === 'closed' && this.kindsPerFilter > FALLBACK_KINDS_PER_FILTER && current()) {
        this.options.log.log('warn', `relay ${this.options.url} refused 5000–7000 as one filter (${end.reason}); asking in filters of ${FALLBACK_KINDS_PER_FILTER} kinds`);
        this.kindsPerFilter = FALLBACK_KINDS_PER_FILTER;
        continue;
      }
      throw new Error(end.kind === 'closed' ? `relay refused the live subscription: ${end.reason}` : `no EOSE for the live subscription within ${this.options.tuning.maxWaitMs} ms`);
    }
  }

  /** Re-issues the "people" subscription when new DVMs or users were learned; the old one closes after the new EOSE. */
  private schedulePeople(current: () => boolean): void {
    clearInterval(this.peopleTimer);
    const refresh = async () => {
      const relay = this.relay;
      if (!current() || !relay || this.options.people.revision === this.peopleRevision || this.options.people.size === 0) return;
      this.peopleRevision = this.options.people.revision;
      const previous = this.peopleSub;
      const sub = openRelaySubscription(relay, peopleFilters(this.options.people.snapshot(), this.backfillSince), {
        label: 'people',
        maxWaitMs: this.options.tuning.maxWaitMs,
        onEvent: (event) => this.accept(event),
        onInvalid: () => this.options.onDropped('relay sent an event outside the subscription filter', 1),
        alreadyHave: (id) => this.recent.has(id),
        onEndedLive: (reason) => {
          if (current() && this.peopleSub === sub) this.noteError(`relay ended the profiles/deletions/zaps subscription: ${reason}`);
        },
      });
      this.peopleSub = sub;
      const end = await sub.storedEnd;
      previous?.close();
      if (!current()) return;
      if (end.kind === 'closed') this.noteError(`relay refused the profiles/deletions/zaps subscription: ${end.reason}`);
      if (end.kind === 'timeout') this.noteError(`no EOSE for the profiles/deletions/zaps subscription within ${this.options.tuning.maxWaitMs} ms`);
    };
    const guarded = () =>
      refresh().catch((error) => {
        if (current()) this.noteError(`profiles/deletions/zaps subscription failed: ${describeError(error)}`);
      });
    void guarded();
    this.peopleTimer = setInterval(() => void guarded(), this.options.tuning.peopleRefreshMs);
    this.peopleTimer.unref?.();
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
      if (this.backfillDone) this.advanceCursor(newest);
    }
    this.options.onStatusChange();
  }

  /** A future-dated event must not push the cursor past now, or the next backfill would skip real events. */
  private advanceCursor(createdAt: number): void {
    const next = Math.min(createdAt, nowSeconds());
    const current = this.options.cursor.get(this.options.url);
    if (current === undefined || next > current) this.options.cursor.set(this.options.url, next);
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
    clearInterval(this.peopleTimer);
    clearInterval(this.probeTimer);
    this.live?.close();
    this.peopleSub?.close();
    this.live = undefined;
    this.peopleSub = undefined;
    this.peopleRevision = -1;
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
