import type { Settings } from '../core/config/settings';
import type { RemoteChange } from '../core/store/remoteChange';
import { ChangeCoalescer } from '../core/nostr/changeCoalescer';
import { DEFAULT_LIVENESS, type LivenessThresholds } from '../core/nostr/liveness';
import type { NostrStore } from '../core/nostr/nostrStore';
import type { IngestOutcome } from '../core/nostr/nostrIngest';
import { isoTime } from '../core/util/isoTime';
import { SerialQueue } from '../core/util/serialQueue';
import type { CollectorStatus } from '../protocol/engineProtocol';
import type { IngestResult } from '../protocol/nostrProtocol';
import type { EngineContext, EngineModule, EngineModuleFactory, Handlers } from './engineModule';
import { nostrPageHandlers } from './nostrPageHandlers';
import { RelayCollector, type RelayCollectorTuning } from '../core/collectors/relayCollector';
import { fetchEventWithRelated } from '../core/collectors/relayEventFetch';
import type { JobRelayTuning } from '../core/jobs/jobRelays';
import { DvmSilenceAlerts } from './dvmSilenceAlerts';
import { PostedJobs } from './postedJobs';
import { NostrHistoryBackfill } from './nostrHistoryBackfill';
import { refuseIfReadOnly } from './readOnlyStore';
import { DEFAULT_RELAY_TUNING } from '../core/collectors/relayTypes';

const unixNow = () => Math.floor(Date.now() / 1000);

/** Engine-level knobs that are not user settings: the product uses the defaults, tests shorten the waits. */
export interface NostrModuleOptions {
  /** DESIGN.md "Liveness" windows, for the DVM status and the silent-DVM alert. */
  readonly liveness?: Partial<LivenessThresholds>;
  readonly relayTuning?: RelayCollectorTuning;
  /** Publishing posted jobs: connect and `OK` timeouts. */
  readonly jobRelayTuning?: JobRelayTuning;
}

/** The Nostr DVM half of the engine: the Nostr store (storage seam), the relay collector, and alerts. */
export function createNostrModule(options: NostrModuleOptions = {}): EngineModuleFactory {
  return {
    name: 'nostr',
    create: (context) => new NostrModule(context, options),
  };
}

export const nostrModule: EngineModuleFactory = createNostrModule();

class NostrModule implements EngineModule {
  readonly handlers: Handlers;
  private readonly store: NostrStore;
  /**
   * What follows stored batches runs one at a time in the order given: each batch's outcome, cursor moves, retention.
   * The batches themselves are applied by the store in the order handed over (see `ingest`), so a cursor moves only
   * after the batches before it are stored.
   */
  private readonly writes = new SerialQueue();
  private readonly coalescer: ChangeCoalescer;
  private collector: RelayCollector | undefined;
  /** Set when collecting was asked for: the collector itself exists only once the verifier has loaded. */
  private collecting = false;
  private readonly jobs: PostedJobs;
  private readonly silence: DvmSilenceAlerts;
  /** Issue 12 "History from day one": relays' past into the rollups, in the background once collecting. */
  private readonly history: NostrHistoryBackfill;
  private readonly livenessThresholds: LivenessThresholds;
  /** Up to when time-driven liveness changes were announced (unix seconds). */
  private livenessCheckedUntil = unixNow();

  constructor(private readonly context: EngineContext, private readonly options: NostrModuleOptions) {
    this.livenessThresholds = { ...DEFAULT_LIVENESS, ...options.liveness };
    this.store = context.storage.openNostr({
      excludedKinds: () => context.settings().excludedKinds,
      countDropped: (reason, count) => context.countDropped(`nostr:${reason}`, count),
      pinnedDvms: () => new Set(context.pins.list('dvm').map((pin) => pin.key)),
      liveness: this.livenessThresholds,
      log: context.log,
    });
    const store = this.store;
    this.silence = new DvmSilenceAlerts({ pages: store.pages, pins: context.pins, alerts: context.alerts, notify: context.notify, log: context.log });
    this.history = new NostrHistoryBackfill({
      repo: store.historyBackfill,
      settings: () => context.settings(),
      deliver: async (relay, events) => {
        const { accepted } = await this.ingest(relay, events);
        // Raw rows only inside the raw window: older events keep their rollups, jobs and dedupe ids.
        await this.writes.run(async () => {
          if (await store.events.trimRaw(unixNow() - Math.round(context.settings().rawWindowHours * 3600)) > 0) context.storage.markDirty();
        });
        return accepted;
      },
      usedBytes: context.storage.sizeBudgeted ? () => context.storage.usedBytes() : undefined,
      notify: (payload) => context.notify({ topic: 'nostr.historyBackfill', payload }),
      markDirty: () => context.storage.markDirty(),
      onDropped: (reason, count) => context.countDropped(`relay:${reason}`, count),
      log: context.log,
      tuning: { ...DEFAULT_RELAY_TUNING, ...options.relayTuning },
    });
    this.coalescer = new ChangeCoalescer((payload) => context.notify({ topic: 'nostr.changed', payload }));
    const posted = store.postedJobs;
    this.jobs = new PostedJobs({
      ingest: (relay, events) => this.ingest(relay, events),
      statuses: async (id) => (await store.events.trace(id))?.dvms ?? [],
      log: context.log,
      tuning: options.jobRelayTuning,
      posted,
      onPosted: (id) => {
        context.storage.markDirty();
        context.notify({ topic: 'nostr.posted', payload: { id } });
      },
    });
    this.handlers = {
      'nostr.ingest': async ({ events, relay }) => {
        if (!Array.isArray(events)) throw new Error('nostr.ingest: events must be an array');
        // Import Events…, `engine.importEvents` and the CLI's `ingest` all come through here.
        refuseIfReadOnly(context.storage, 'importing events');
        await store.ready();
        return this.ingest(relay, events);
      },
      'nostr.metrics': ({ now }) => store.metrics.metrics(now ?? unixNow()),
      'nostr.dvms': ({ limit, offset, now }) => store.pages.dvms(limit, offset, now ?? unixNow()),
      'nostr.dvm': ({ pubkey, now, limit }) => store.pages.dvm(String(pubkey), now ?? unixNow(), limit),
      'nostr.kinds': () => store.pages.kinds(),
      'nostr.kind': ({ kind, now }) => store.pages.kind(Number(kind), now ?? unixNow()),
      'nostr.trace': ({ id }) => store.events.trace(String(id)),
      'nostr.traceGraph': async ({ id, fetch, relays }) => {
        const input = String(id);
        if (fetch !== true || await store.events.event(input)) return { graph: await store.events.traceGraph(input) };
        // Not stored yet: fetched once, with its job and chain, and stored through the same ingest as collected events.
        // The trace is drawn from the store, so on a store that may only be read nothing fetched could be shown.
        refuseIfReadOnly(context.storage, 'fetching an event not stored yet');
        await store.ready();
        const fetched = await fetchEventWithRelated({
          reference: input, relays: Array.isArray(relays) ? relays.map(String) : context.settings().relays, deliver: (relay, events) => this.ingest(relay, events), log: context.log,
        });
        return { graph: await store.events.traceGraph(input), fetched };
      },
      'nostr.recentJobs': ({ limit }) => store.events.recentJobs(limit),
      'nostr.event': ({ id }) => store.events.event(String(id)),
      'nostr.series': (params) => store.metrics.series(params),
      ...nostrPageHandlers(store, () => context.settings()),
      'nostr.publish': async (params) => {
        // Refused before anything is sent, rather than published unkept: a job sent from here would be followed by
        // nothing (its answers, its trace and My jobs all live in the store), while the DVM may still ask payment for
        // it. Refused, the user loses nothing: the job can be posted from an editor whose role may write.
        refuseIfReadOnly(context.storage, 'posting a job');
        await store.ready();
        return this.jobs.publish(params);
      },
      'nostr.stopWatching': ({ id }) => ({ stopped: this.jobs.stopWatching(String(id)) }),
      'nostr.awaitJob': (params) => this.jobs.awaitJob(params),
      'nostr.dvmAnnouncement': ({ pubkey }) => store.pages.dvmAnnouncement(String(pubkey)),
      'nostr.dvmChoices': ({ limit, now }) => store.pages.dvmChoices(limit, now ?? unixNow()),
      'nostr.dvmMedians': ({ pubkeys }) => store.pages.dvmMedians(Array.isArray(pubkeys) ? pubkeys : []),
      'nostr.postedJobs': ({ limit }) => posted.list(limit),
      'nostr.postedRequest': ({ id }) => posted.request(String(id)),
      'nostr.historyBackfill': () => this.history.status(),
      'nostr.cancelHistoryBackfill': () => {
        refuseIfReadOnly(context.storage, 'cancelling the history backfill');
        return this.history.cancel();
      },
      'nostr.startHistoryBackfill': () => {
        refuseIfReadOnly(context.storage, 'the history backfill');
        return this.history.resume();
      },
    };
  }

  /**
   * Before the engine is ready: cursors ahead of the clock are put back before anything reads them. Not on a store
   * this process may only read: the cursors are the team's collectors' to keep (and the write would fail the start).
   */
  async open(): Promise<void> {
    if (this.context.storage.readOnlyReason !== undefined) return;
    await this.writes.run(() => this.repairCursors());
  }

  /** A cursor ahead of the clock (a future-dated event moved it, before cursors were capped) would skip events. */
  private async repairCursors(): Promise<void> {
    const repaired = await this.store.cursors.repairFuture();
    for (const { relay, was, now } of repaired) {
      const put = now === undefined ? 'removed it, so the relay gets a first backfill' : `put it back to ${isoTime(now)}, the newest event it sent before`;
      this.context.log.log('warn', `relay ${relay}: its backfill cursor ${isoTime(was)} was ahead of this computer's clock (a future-dated event had moved it there); ${put}, so the next backfill fetches what it skipped`);
    }
    if (repaired.length > 0) this.context.storage.markDirty();
  }

  /**
   * The one entry for events (relay collector batches, `nostr.ingest`, posted jobs, fetched traces). The store gets
   * each batch as it arrives and applies batches in that order (NostrEventRepo.ingest), so on PostgreSQL the next
   * batch's signatures are checked while the last one is written. What follows a batch waits for it in the write
   * queue: its outcome, then the cursor moves and retention queued after it. A batch that fails rejects its own
   * promise; the next goes on.
   */
  private ingest(relay: string | undefined, events: readonly unknown[]): Promise<IngestResult> {
    const stored = this.store.events.ingest(relay, events);
    // Its failure is the caller's, through the queued task below; until that task runs, the rejection must not count
    // as unhandled (Node would end the engine's process).
    stored.catch(() => undefined);
    return this.writes.run(async () => this.settle(await stored));
  }

  /** A stored batch, in the write queue: the views hear of it, and its outcome goes back to the caller. */
  private settle(outcome: IngestOutcome): IngestResult {
    if (outcome.accepted > 0 || outcome.duplicates > 0) this.context.storage.markDirty();
    this.coalescer.add(outcome.changes);
    return { accepted: outcome.accepted, duplicates: outcome.duplicates, rejected: outcome.rejected, rejectDetails: outcome.rejectDetails };
  }

  async startCollecting(): Promise<void> {
    this.collecting = true;
    await this.store.ready();
    const people = await this.store.events.knownPeople();
    // Disposed meanwhile: a collector made now would outlive the engine and keep its process alive.
    if (!this.collecting) return;
    const { log } = this.context;
    const cursors = this.store.cursors;
    this.collector = new RelayCollector({
      relays: this.context.settings().relays,
      cursor: {
        get: (relay) => cursors.get(relay),
        // After the batches delivered before it, so that the cursor never passes an event not yet stored.
        set: (relay, createdAt) => this.writes.run(async () => {
          await cursors.advance(relay, createdAt);
          this.context.storage.markDirty();
        }),
      },
      // Rejected events are counted, and their details logged at debug level, by the ingest itself; a batch that
      // fails is logged by the collector, and its cursor stays.
      onEvents: (relay, events) => this.ingest(relay, events),
      log,
      onDropped: (reason, count) => this.context.countDropped(`relay:${reason}`, count),
      tuning: this.options.relayTuning,
    });
    this.collector.followPubkeys(people);
    this.collector.start();
    await this.history.start();
  }

  onSettings(settings: Settings, previous: Settings): void {
    if (this.collector && settings.relays.join('\n') !== previous.relays.join('\n')) this.collector.setRelays(settings.relays);
    this.history.onSettings(settings, previous);
  }

  /**
   * Another collector's or editor's commit: through the same coalescer as this engine's own batches, so a busy team
   * store sends the views at most one `nostr.changed` an interval. A set too large to name reloads the Nostr views.
   */
  onRemoteChange(change: RemoteChange): void {
    if (change.domain !== 'nostr') return;
    if (change.dvms === 'all' || change.kinds === 'all' || change.jobs === 'all') {
      this.context.notify({ topic: 'engine.reload', payload: { domain: 'nostr' } });
    }
    const named = <T>(ids: readonly T[] | 'all') => new Set(ids === 'all' ? [] : ids);
    this.coalescer.add({ dvms: named(change.dvms), kinds: named(change.kinds), jobs: named(change.jobs) });
  }

  collectorStatus(): readonly CollectorStatus[] {
    if (this.collector) return this.collector.status();
    // Until the collector exists the engine already reports ready: the configured relays are not connected yet,
    // which is not the same as none being set (the sidebar would say "No relay is set").
    return this.collecting ? this.context.settings().relays.map((name) => ({ name, state: 'idle' as const })) : [];
  }

  async maintain(now: number): Promise<void> {
    const settings = this.context.settings();
    const report = await this.writes.run(() => this.store.events.maintain(now, settings));
    if (report.rawEvents + report.jobs + report.rollups > 0) {
      this.context.storage.markDirty();
      this.context.log.log('debug', `nostr retention: ${report.rawEvents} raw events, ${report.jobs} jobs, ${report.rollups} rollup rows removed`);
    }
    await this.announceLivenessChanges(now);
    await this.silence.check(now);
  }

  /** Rows showing a DVM's status are refreshed when time alone changed it (no event arrives to say so). */
  private async announceLivenessChanges(now: number): Promise<void> {
    const since = this.livenessCheckedUntil;
    this.livenessCheckedUntil = Math.max(this.livenessCheckedUntil, now);
    const dvms = await this.store.pages.livenessChangedBetween(since, now);
    this.coalescer.add({ dvms: new Set(dvms), kinds: new Set(), jobs: new Set() });
  }

  evictOldest(bytes: number): Promise<number> {
    return this.writes.run(() => this.store.events.evictOldest(bytes));
  }

  async dispose(): Promise<void> {
    // The collector delivers its last batch while disposing; the coalescer must still be there to hear it.
    const collector = this.collector;
    this.collector = undefined;
    this.collecting = false;
    this.jobs.dispose();
    await this.history.dispose();
    await collector?.dispose();
    // The collector's last batches are queued, and each delivered batch may queue its cursor move after a read: all
    // of it goes in before the store closes (a macrotask turn lets those promise chains reach the queue).
    do {
      await this.writes.idle();
      await new Promise<void>((resolve) => setImmediate(resolve));
    } while (this.writes.size > 0);
    this.coalescer.flush();
    this.coalescer.dispose();
    await this.store.dispose();
  }
}

