import type { Settings } from '../core/config/settings';
import { ChangeCoalescer } from '../core/nostr/changeCoalescer';
import { DEFAULT_LIVENESS, type LivenessThresholds } from '../core/nostr/liveness';
import { livenessChangedBetween } from '../core/nostr/livenessChangesQuery';
import { NostrCore } from '../core/nostr/nostrCore';
import { nostrMigrations } from '../core/nostr/nostrMigrations';
import { isoTime } from '../core/util/isoTime';
import type { CollectorStatus } from '../protocol/engineProtocol';
import type { IngestResult } from '../protocol/nostrProtocol';
import type { EngineContext, EngineModule, EngineModuleFactory, Handlers } from './engineModule';
import { nostrPageHandlers } from './nostrPageHandlers';
import { RelayCollector, type RelayCollectorTuning } from '../core/collectors/relayCollector';
import { fetchEventWithRelated } from '../core/collectors/relayEventFetch';
import type { JobRelayTuning } from '../core/jobs/jobRelays';
import { DvmSilenceAlerts } from './dvmSilenceAlerts';
import { PostedJobs } from './postedJobs';
import { postedJobsMigrations } from '../core/jobs/postedJobsMigrations';
import { NostrHistoryBackfill } from './nostrHistoryBackfill';
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

/** The Nostr DVM half of the engine: NostrCore over the shared store, the relay collector, and alerts. */
export function createNostrModule(options: NostrModuleOptions = {}): EngineModuleFactory {
  return {
    name: 'nostr',
    migrations: [...nostrMigrations, ...postedJobsMigrations],
    create: (context) => new NostrModule(context, options),
  };
}

export const nostrModule: EngineModuleFactory = createNostrModule();

class NostrModule implements EngineModule {
  readonly handlers: Handlers;
  private readonly core: NostrCore;
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
    this.core = new NostrCore({
      db: context.store.db,
      excludedKinds: () => context.settings().excludedKinds,
      countDropped: (reason, count) => context.countDropped(`nostr:${reason}`, count),
      pinnedDvms: () => new Set(context.pins.list('dvm').map((pin) => pin.key)),
      liveness: this.livenessThresholds,
      log: context.log,
    });
    this.silence = new DvmSilenceAlerts({
      core: this.core, pins: context.pins, alerts: context.alerts, notify: context.notify, log: context.log, markDirty: () => context.store.markDirty(),
    });
    this.repairCursors();
    this.history = new NostrHistoryBackfill({
      repo: this.core.historyBackfill,
      settings: () => context.settings(),
      deliver: (relay, events) => {
        const { accepted } = this.ingest(relay, events);
        // Raw rows only inside the raw window: older events keep their rollups, jobs and dedupe ids.
        if (this.core.trimRaw(unixNow() - Math.round(context.settings().rawWindowHours * 3600)) > 0) context.store.markDirty();
        return accepted;
      },
      usedBytes: () => context.store.usedBytes(),
      notify: (payload) => context.notify({ topic: 'nostr.historyBackfill', payload }),
      markDirty: () => context.store.markDirty(),
      onDropped: (reason, count) => context.countDropped(`relay:${reason}`, count),
      log: context.log,
      tuning: { ...DEFAULT_RELAY_TUNING, ...options.relayTuning },
    });
    this.coalescer = new ChangeCoalescer((payload) => context.notify({ topic: 'nostr.changed', payload }));
    const core = this.core;
    const posted = core.postedJobs;
    this.jobs = new PostedJobs({
      ingest: (relay, events) => this.ingest(relay, events),
      statuses: (id) => core.trace(id)?.dvms ?? [],
      log: context.log,
      tuning: options.jobRelayTuning,
      posted,
      onPosted: (id) => {
        context.store.markDirty();
        context.notify({ topic: 'nostr.posted', payload: { id } });
      },
    });
    this.handlers = {
      'nostr.ingest': async ({ events, relay }) => {
        if (!Array.isArray(events)) throw new Error('nostr.ingest: events must be an array');
        await core.ready();
        return this.ingest(relay, events);
      },
      'nostr.metrics': ({ now }) => core.metrics(now ?? unixNow()),
      'nostr.dvms': ({ limit, offset, now }) => core.dvms(limit, offset, now ?? unixNow()),
      'nostr.dvm': ({ pubkey, now, limit }) => core.dvm(String(pubkey), now ?? unixNow(), limit),
      'nostr.kinds': () => core.kinds(),
      'nostr.kind': ({ kind, now }) => core.kind(Number(kind), now ?? unixNow()),
      'nostr.trace': ({ id }) => core.trace(String(id)),
      'nostr.traceGraph': async ({ id, fetch, relays }) => {
        const input = String(id);
        if (fetch !== true || core.event(input)) return { graph: core.traceGraph(input) };
        // Not stored yet: fetched once, with its job and chain, and stored through the same ingest as collected events.
        await core.ready();
        const fetched = await fetchEventWithRelated({
          reference: input, relays: Array.isArray(relays) ? relays.map(String) : context.settings().relays, deliver: (relay, events) => this.ingest(relay, events), log: context.log,
        });
        return { graph: core.traceGraph(input), fetched };
      },
      'nostr.recentJobs': ({ limit }) => core.recentJobs(limit),
      'nostr.event': ({ id }) => core.event(String(id)),
      'nostr.series': (params) => core.series(params),
      ...nostrPageHandlers(core, () => context.settings()),
      'nostr.publish': async (params) => {
        await core.ready();
        return this.jobs.publish(params);
      },
      'nostr.stopWatching': ({ id }) => ({ stopped: this.jobs.stopWatching(String(id)) }),
      'nostr.awaitJob': (params) => this.jobs.awaitJob(params),
      'nostr.dvmAnnouncement': ({ pubkey }) => core.dvmAnnouncement(String(pubkey)),
      'nostr.dvmChoices': ({ limit, now }) => core.dvmChoices(limit, now ?? unixNow()),
      'nostr.dvmMedians': ({ pubkeys }) => core.dvmMedians(Array.isArray(pubkeys) ? pubkeys : []),
      'nostr.postedJobs': ({ limit }) => posted.list(limit),
      'nostr.postedRequest': ({ id }) => posted.request(String(id)),
      'nostr.historyBackfill': () => this.history.status(),
      'nostr.cancelHistoryBackfill': () => this.history.cancel(),
      'nostr.startHistoryBackfill': () => this.history.resume(),
    };
  }

  /** A cursor ahead of the clock (a future-dated event moved it, before cursors were capped) would skip events. */
  private repairCursors(): void {
    const repaired = this.core.repairFutureCursors();
    for (const { relay, was, now } of repaired) {
      const put = now === undefined ? 'removed it, so the relay gets a first backfill' : `put it back to ${isoTime(now)}, the newest event it sent before`;
      this.context.log.log('warn', `relay ${relay}: its backfill cursor ${isoTime(was)} was ahead of this computer's clock (a future-dated event had moved it there); ${put}, so the next backfill fetches what it skipped`);
    }
    if (repaired.length > 0) this.context.store.markDirty();
  }

  /** The one entry for events (relay collector batches and `nostr.ingest`); the verifier must be loaded. */
  private ingest(relay: string | undefined, events: readonly unknown[]): IngestResult {
    const outcome = this.core.ingestSync(relay, events);
    if (outcome.accepted > 0 || outcome.duplicates > 0) this.context.store.markDirty();
    this.coalescer.add(outcome.changes);
    return { accepted: outcome.accepted, duplicates: outcome.duplicates, rejected: outcome.rejected, rejectDetails: outcome.rejectDetails };
  }

  async startCollecting(): Promise<void> {
    this.collecting = true;
    await this.core.ready();
    // Disposed while the verifier loaded: a collector made now would outlive the engine and keep its process alive.
    if (!this.collecting) return;
    const { log } = this.context;
    this.collector = new RelayCollector({
      relays: this.context.settings().relays,
      cursor: {
        get: (relay) => this.core.cursor(relay),
        set: (relay, createdAt) => {
          this.core.setCursor(relay, createdAt);
          this.context.store.markDirty();
        },
      },
      // Rejected events are counted, and their details logged at debug level, by the ingest itself.
      onEvents: (relay, events) => void this.ingest(relay, events),
      log,
      onDropped: (reason, count) => this.context.countDropped(`relay:${reason}`, count),
      tuning: this.options.relayTuning,
    });
    this.collector.followPubkeys(this.core.knownPeople());
    this.collector.start();
    this.history.start();
  }

  onSettings(settings: Settings, previous: Settings): void {
    if (this.collector && settings.relays.join('\n') !== previous.relays.join('\n')) this.collector.setRelays(settings.relays);
    this.history.onSettings(settings, previous);
  }

  collectorStatus(): readonly CollectorStatus[] {
    if (this.collector) return this.collector.status();
    // Until the collector exists the engine already reports ready: the configured relays are not connected yet,
    // which is not the same as none being set (the sidebar would say "No relay is set").
    return this.collecting ? this.context.settings().relays.map((name) => ({ name, state: 'idle' as const })) : [];
  }

  maintain(now: number): void {
    const settings = this.context.settings();
    const report = this.core.maintain(now, settings);
    if (report.rawEvents + report.jobs + report.rollups > 0) {
      this.context.store.markDirty();
      this.context.log.log('debug', `nostr retention: ${report.rawEvents} raw events, ${report.jobs} jobs, ${report.rollups} rollup rows removed`);
    }
    this.announceLivenessChanges(now);
    this.silence.check(now);
  }

  /** Rows showing a DVM's status are refreshed when time alone changed it (no event arrives to say so). */
  private announceLivenessChanges(now: number): void {
    const dvms = livenessChangedBetween(this.core.sql, this.livenessCheckedUntil, now, this.livenessThresholds);
    this.livenessCheckedUntil = Math.max(this.livenessCheckedUntil, now);
    this.coalescer.add({ dvms: new Set(dvms), kinds: new Set(), jobs: new Set() });
  }

  evictOldest(bytes: number): number {
    return this.core.evictOldest(bytes, () => this.context.store.usedBytes());
  }

  async dispose(): Promise<void> {
    // The collector delivers its last batch while disposing; the coalescer must still be there to hear it.
    const collector = this.collector;
    this.collector = undefined;
    this.collecting = false;
    this.jobs.dispose();
    await this.history.dispose();
    await collector?.dispose();
    this.coalescer.flush();
    this.coalescer.dispose();
    this.core.dispose();
  }
}

