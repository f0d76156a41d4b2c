import type { Settings } from '../core/config/settings';
import { ChangeCoalescer } from '../core/nostr/changeCoalescer';
import { livenessOf } from '../core/nostr/liveness';
import { NostrCore } from '../core/nostr/nostrCore';
import { nostrMigrations } from '../core/nostr/nostrMigrations';
import { describeError } from '../core/util/errors';
import type { CollectorStatus } from '../protocol/engineProtocol';
import type { IngestResult } from '../protocol/nostrProtocol';
import type { EngineContext, EngineModule, EngineModuleFactory, Handlers } from './engineModule';
import { RelayCollector } from '../core/collectors/relayCollector';

const unixNow = () => Math.floor(Date.now() / 1000);

/** The Nostr DVM half of the engine: NostrCore over the shared store, the relay collector, and alerts. */
export const nostrModule: EngineModuleFactory = {
  name: 'nostr',
  migrations: nostrMigrations,
  create: (context) => new NostrModule(context),
};

class NostrModule implements EngineModule {
  readonly handlers: Handlers;
  private readonly core: NostrCore;
  private readonly coalescer: ChangeCoalescer;
  private collector: RelayCollector | undefined;
  /** Pinned DVMs an alert was raised for; cleared when they are seen alive again. */
  private readonly alerted = new Set<string>();

  constructor(private readonly context: EngineContext) {
    this.core = new NostrCore({
      db: context.store.db,
      excludedKinds: () => context.settings().excludedKinds,
      countDropped: (reason, count) => context.countDropped(`nostr:${reason}`, count),
      pinnedDvms: () => new Set(context.pins.list('dvm').map((pin) => pin.key)),
    });
    this.coalescer = new ChangeCoalescer((payload) => context.notify({ topic: 'nostr.changed', payload }));
    const core = this.core;
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
      'nostr.event': ({ id }) => core.event(String(id)),
      'nostr.series': (params) => core.series(params),
    };
  }

  /** The one entry for events (relay collector batches and `nostr.ingest`); the verifier must be loaded. */
  private ingest(relay: string | undefined, events: readonly unknown[]): IngestResult {
    const outcome = this.core.ingestSync(relay, events);
    if (outcome.accepted > 0 || outcome.duplicates > 0) this.context.store.markDirty();
    this.coalescer.add(outcome.changes);
    return { accepted: outcome.accepted, duplicates: outcome.duplicates, rejected: outcome.rejected };
  }

  async startCollecting(): Promise<void> {
    await this.core.ready();
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
      onEvents: (relay, events) => {
        const result = this.ingest(relay, events);
        const rejected = Object.entries(result.rejected);
        if (rejected.length > 0) log.log('debug', `relay ${relay}: dropped ${rejected.map(([reason, count]) => `${count} ${reason}`).join(', ')}`);
      },
      log,
      onDropped: (reason, count) => this.context.countDropped(`relay:${reason}`, count),
    });
    this.collector.followPubkeys(this.core.knownPeople());
    this.collector.start();
  }

  onSettings(settings: Settings, previous: Settings): void {
    if (this.collector && settings.relays.join('\n') !== previous.relays.join('\n')) this.collector.setRelays(settings.relays);
  }

  collectorStatus(): readonly CollectorStatus[] {
    return this.collector?.status() ?? [];
  }

  maintain(now: number): void {
    const settings = this.context.settings();
    const report = this.core.maintain(now, settings);
    if (report.rawEvents + report.jobs + report.rollups > 0) {
      this.context.store.markDirty();
      this.context.log.log('debug', `nostr retention: ${report.rawEvents} raw events, ${report.jobs} jobs, ${report.rollups} rollup rows removed`);
    }
    this.checkPinnedLiveness(now);
  }

  /** DESIGN.md: a notification when a watched DVM stops answering; one per silence. */
  private checkPinnedLiveness(now: number): void {
    for (const pin of this.context.pins.list('dvm')) {
      try {
        const { status } = livenessOf(this.core.sql, pin.key, now);
        if (status === 'silent' && !this.alerted.has(pin.key)) {
          this.alerted.add(pin.key);
          const name = pin.label ?? this.core.dvm(pin.key, now, 1)?.summary.name;
          this.context.notify({
            topic: 'nostr.alert',
            payload: { pubkey: pin.key, ...(name ? { name } : {}), message: `${name ?? pin.key.slice(0, 12)} has not answered a job addressed to it` },
          });
        } else if (status === 'up') {
          this.alerted.delete(pin.key);
        }
      } catch (error) {
        this.context.log.log('warn', `liveness check of ${pin.key} failed: ${describeError(error)}`);
      }
    }
  }

  evictOldest(bytes: number): number {
    return this.core.evictOldest(bytes, () => this.context.store.usedBytes());
  }

  async dispose(): Promise<void> {
    // The collector delivers its last batch while disposing; the coalescer must still be there to hear it.
    const collector = this.collector;
    this.collector = undefined;
    await collector?.dispose();
    this.coalescer.flush();
    this.coalescer.dispose();
    this.core.dispose();
  }
}
