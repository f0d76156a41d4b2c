import type { Settings } from '../core/config/settings';
import { RelayHistoryRunner } from '../core/collectors/relayHistoryRunner';
import type { RelayCollectorTuning } from '../core/collectors/relayTypes';
import type { HistoryBackfillStore } from '../core/nostr/nostrStore';
import type { HistoryBackfillRow } from '../core/nostr/historyBackfillTypes';
import { historyBackfillStatus, relayProgress } from '../core/nostr/historyBackfillStatus';
import { describeError } from '../core/util/errors';
import type { Logger } from '../core/util/logger';
import { SerialQueue } from '../core/util/serialQueue';
import type { HistoryBackfillStatus } from '../protocol/historyBackfillProtocol';

/**
 * Share of the size budget the backfill may fill. Past it, what it stores would make the budget evict the raw
 * window the live collector keeps filling (oldest raw data goes first): the backfill stops and says so instead.
 */
export const BACKFILL_BUDGET_SHARE = 0.9;
/** Progress notifications at most this often; a state change goes out at once. */
const NOTIFY_INTERVAL_MS = 250;

export interface NostrHistoryBackfillOptions {
  readonly repo: HistoryBackfillStore;
  readonly settings: () => Settings;
  /** Stores one page of a relay's raw events (verified, deduplicated, raw rows only inside the raw window); resolves to how many were new. */
  readonly deliver: (relay: string, events: readonly unknown[]) => Promise<number>;
  /** The store's size, for the backfill's share of the size budget; undefined: the store has no budget. */
  readonly usedBytes?: () => Promise<number>;
  readonly notify: (status: HistoryBackfillStatus) => void;
  /** The progress rows changed (the store must be flushed some time). */
  readonly markDirty: () => void;
  readonly onDropped: (reason: string, count: number) => void;
  readonly log: Logger;
  readonly tuning: Required<RelayCollectorTuning>;
}

const unixNow = () => Math.floor(Date.now() / 1000);

/**
 * The history backfill of issue 12: fetches the last `swarmscope.nostr.backfillDays` (at most the rollups' history
 * window) from every relay in the background, one RelayHistoryRunner per relay, paged, resumable from its stored
 * progress, cancellable, and stopped by the size budget. Events older than the raw window keep only their rollups,
 * jobs and dedupe ids (see `deliver`); a copy seen live and by the backfill is one event for the ingest, counted once.
 */
export class NostrHistoryBackfill {
  private readonly runners = new Map<string, RelayHistoryRunner>();
  private since: number | undefined;
  private started = false;
  private notifyTimer: NodeJS.Timeout | undefined;
  private lastNotified = 0;
  private lastState: HistoryBackfillStatus['state'] | undefined;
  /** Statuses are read and sent in the order asked, so a slower read never sends an older state after a newer one. */
  private readonly emitting = new SerialQueue();
  /** The plan being stored; runs read their row after it (a store may answer later than a restarted pass asks). */
  private planning: Promise<void> = Promise.resolve();
  /** The runs' view of the progress store: a row is read once the plan under way is stored. */
  private readonly progress: HistoryBackfillStore;

  constructor(private readonly options: NostrHistoryBackfillOptions) {
    const repo = options.repo;
    this.progress = {
      get: async (relay) => {
        await this.planning;
        return repo.get(relay);
      },
      all: () => repo.all(),
      plan: (relay, since, until, kindsPerFilter) => repo.plan(relay, since, until, kindsPerFilter),
      advance: (relay, filterIndex, until, events, accepted) => repo.advance(relay, filterIndex, until, events, accepted),
      restartWithKindsPerFilter: (relay, kindsPerFilter) => repo.restartWithKindsPerFilter(relay, kindsPerFilter),
      finish: (relay, at) => repo.finish(relay, at),
      stop: (relay, reason) => repo.stop(relay, reason),
      clearStop: (reason) => repo.clearStop(reason),
    };
  }

  /** The days asked for, bounded by how long rollups are kept (a longer backfill would be thrown away). */
  days(settings = this.options.settings()): number {
    return Math.max(0, Math.min(settings.backfillDays, settings.historyDays));
  }

  /** Plans a run for every configured relay and starts those not done, cancelled or over the budget already. */
  async start(): Promise<void> {
    this.started = true;
    // A budget stop is tried again at each start: retention or a larger budget may have made room.
    await this.options.repo.clearStop('budget');
    await this.plan();
  }

  async status(): Promise<HistoryBackfillStatus> {
    const settings = this.options.settings();
    const days = this.days(settings);
    const rows = await Promise.all(settings.relays.map((relay) => this.options.repo.get(relay)));
    const relays = rows.filter((row) => row !== undefined)
      .map((row) => {
        const runner = this.runners.get(row.relay);
        return relayProgress(row, runner && { state: runner.state, errors: runner.errors, lastError: runner.lastError });
      });
    return historyBackfillStatus(days, this.since ?? relays[0]?.since, days > 0 ? relays : []);
  }

  /** Stops every relay's run between pages and keeps it stopped, across restarts, until `resume`. */
  async cancel(): Promise<HistoryBackfillStatus> {
    // The stops are stored before the runners end: a runner that ended looks at its row to tell whether to go on.
    for (const row of await this.options.repo.all()) if (row.doneAt === undefined) await this.options.repo.stop(row.relay, 'cancelled');
    this.options.markDirty();
    for (const runner of this.runners.values()) runner.cancel();
    this.options.log.log('info', 'history backfill cancelled by the user');
    this.changed(true);
    return this.status();
  }

  /** Goes on from where cancelled or budget-stopped runs stopped. */
  async resume(): Promise<HistoryBackfillStatus> {
    await this.options.repo.clearStop();
    this.options.markDirty();
    if (this.started) await this.plan();
    this.changed(true);
    return this.status();
  }

  /** Relays or the window changed: runs are cancelled, restarted or planned (in the background; failures are logged). */
  onSettings(settings: Settings, previous: Settings): void {
    if (!this.started) return;
    const relaysChanged = settings.relays.join('\n') !== previous.relays.join('\n');
    if (!relaysChanged && this.days(settings) === this.days(previous)) return;
    for (const [relay, runner] of this.runners) {
      if (!settings.relays.includes(relay) || this.days(settings) === 0) runner.cancel();
    }
    // Another window moves every run's start (and a longer one resets its filters): a pass in flight holds the row it
    // read and would write it back over the new plan, so it starts again from the row as planned below (a pass reads
    // its row only once the plan under way is stored: see `run`).
    if (this.days(settings) !== this.days(previous)) for (const runner of this.runners.values()) runner.restart();
    this.plan().catch((error) => this.options.log.log('error', `history backfill: planning failed: ${describeError(error)}`));
  }

  async dispose(): Promise<void> {
    this.started = false;
    clearTimeout(this.notifyTimer);
    const runners = [...this.runners.values()];
    this.runners.clear();
    for (const runner of runners) runner.cancel();
    await Promise.all(runners.map((runner) => runner.finished));
    // A plan or a status read under way finishes before the store closes; none starts a run now (`started` is off).
    await this.planning;
    await this.emitting.idle();
  }

  private plan(): Promise<void> {
    const planned = this.planRuns();
    this.planning = planned.catch(() => undefined);
    return planned;
  }

  private async planRuns(): Promise<void> {
    const settings = this.options.settings();
    const days = this.days(settings);
    if (days <= 0) {
      this.changed(true);
      return;
    }
    const now = unixNow();
    this.since = now - Math.round(days * 86_400);
    for (const relay of settings.relays) {
      const row = await this.options.repo.plan(relay, this.since, now, this.options.tuning.kindsPerFilter);
      if (!this.started) return;
      if (row.doneAt !== undefined || row.stopped !== undefined || this.runners.has(relay)) continue;
      this.run(relay);
    }
    this.options.markDirty();
    this.changed(true);
  }

  private run(relay: string): void {
    const { tuning, log } = this.options;
    const budgetBytes = () => this.options.settings().sizeBudgetMB * 1024 * 1024 * BACKFILL_BUDGET_SHARE;
    const runner = new RelayHistoryRunner({
      url: relay,
      progress: this.progress,
      deliver: (events) => this.options.deliver(relay, events),
      overBudget: async () => this.options.usedBytes !== undefined && (await this.options.usedBytes()) >= budgetBytes(),
      onPage: () => {
        this.options.markDirty();
        this.changed(false);
      },
      onDropped: this.options.onDropped,
      onChange: () => this.changed(true),
      log,
      pageSize: tuning.pageSize,
      maxWaitMs: tuning.maxWaitMs,
      connectTimeoutMs: tuning.connectTimeoutMs,
      backoffBaseMs: tuning.backoffBaseMs,
      backoffCapMs: tuning.backoffCapMs,
    });
    this.runners.set(relay, runner);
    runner.finished.then(async (outcome) => {
      // Disposed: the engine is closing its store; a run ended by that keeps its progress as it is.
      if (!this.started) return;
      if (this.runners.get(relay) === runner) this.runners.delete(relay);
      // Started again while this run was still finishing its cancelled page, or planned anew (a longer window) just
      // as it ended: go on now.
      const row = await this.options.repo.get(relay);
      if (!this.started) return;
      if (outcome !== 'budget' && this.wanted(relay, row) && row?.stopped === undefined && !this.runners.has(relay)) {
        this.run(relay);
        return;
      }
      if (outcome === 'budget') {
        await this.options.repo.stop(relay, 'budget');
        log.log('warn', `history backfill of ${relay} stopped: the database reached ${Math.round(BACKFILL_BUDGET_SHARE * 100)}% of its size budget (swarmscope.storage.sizeBudgetMB); live collecting goes on`);
      } else if (outcome === 'done') {
        log.log('info', `history backfill of ${relay} done`);
      }
      this.options.markDirty();
      this.changed(true);
    }).catch((error) => log.log('error', `history backfill of ${relay} failed: ${describeError(error)}`));
  }

  /** The relay is still configured, the backfill on, and its run (`row`, as stored) not done. */
  private wanted(relay: string, row: HistoryBackfillRow | undefined): boolean {
    const settings = this.options.settings();
    return this.started && this.days(settings) > 0 && settings.relays.includes(relay) && row !== undefined && row.doneAt === undefined;
  }

  /** Notifies the progress: state changes at once, page progress at most every NOTIFY_INTERVAL_MS. */
  private changed(stateChange: boolean): void {
    const now = Date.now();
    if (stateChange || now - this.lastNotified >= NOTIFY_INTERVAL_MS) {
      clearTimeout(this.notifyTimer);
      this.notifyTimer = undefined;
      this.emit();
      return;
    }
    this.notifyTimer ??= setTimeout(() => {
      this.notifyTimer = undefined;
      this.emit();
    }, NOTIFY_INTERVAL_MS - (now - this.lastNotified));
    this.notifyTimer.unref?.();
  }

  private emit(): void {
    this.lastNotified = Date.now();
    this.emitting.run(async () => {
      const status = await this.status();
      if (status.state === 'off' && this.lastState === 'off') return;
      this.lastState = status.state;
      this.options.notify(status);
    }).catch((error) => this.options.log.log('warn', `history backfill status could not be read: ${describeError(error)}`));
  }
}
