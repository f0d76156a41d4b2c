import type { EngineStateStore } from '../core/store/storage';
import type { Pin, PinDomain } from '../core/store/pinRepo';
import { describeError } from '../core/util/errors';
import type { Logger } from '../core/util/logger';
import { SerialQueue } from '../core/util/serialQueue';

/**
 * The engine-wide state (pins, raised alerts, dropped counts) held in memory and written through to the store.
 * These tables stay tiny, and the modules ask them on every retention pass, alert check and status line: a copy read
 * once at start lets them stay synchronous whatever store is behind. Writes go to the store in the order they were
 * made; one that fails is logged (the copy keeps the change, and the next start reads the store again).
 */
export class EngineStateView {
  readonly pins: PinsView;
  readonly alerts: AlertsView;
  readonly dropped: DroppedCountsView;
  private readonly writes = new SerialQueue();

  private constructor(store: EngineStateStore, pins: Pin[], alerts: { key: string; raisedAt: number }[], dropped: Record<string, number>, deps: EngineStateDeps) {
    let toldKeptHere = false;
    const write = (what: string, task: () => Promise<unknown>) => {
      // A viewer of a team store (a role that may only read) still gets its alerts: raised and cleared here, for this
      // session, instead of a failed save logged as an error on every maintenance pass. Pins never come this far
      // (engine.pin refuses them), and the team's collectors keep their own counts in the store.
      if (deps.readOnlyReason !== undefined) {
        if (!toldKeptHere) deps.log.log('info', `alerts and dropped counts are kept in this session only, not saved: the team store may only be read here (${deps.readOnlyReason})`);
        toldKeptHere = true;
        return;
      }
      this.writes.run(task).then(deps.markDirty, (error) => deps.log.log('error', `could not save ${what}: ${describeError(error)}`));
    };
    this.pins = new PinsView(store.pins, pins, write, (task) => this.writes.run(task));
    this.alerts = new AlertsView(store.alerts, alerts, write);
    this.dropped = new DroppedCountsView(store.dropped, dropped, write);
  }

  static async load(store: EngineStateStore, deps: EngineStateDeps): Promise<EngineStateView> {
    const [pins, alerts, dropped] = await Promise.all([store.pins.list(), store.alerts.list(''), store.dropped.all()]);
    return new EngineStateView(store, pins, alerts, dropped, deps);
  }

  /**
   * Another engine on a shared store (a team's PostgreSQL) pinned or unpinned: lists the pins again, after this
   * engine's own writes so far, and says what changed here. Pins are the one part of this state to follow: alerts
   * raised record what this engine told its own windows, and dropped counts are each engine's to report.
   */
  reloadPins(): Promise<PinChange[]> {
    return this.pins.reload();
  }

  /** Settles once every write made so far reached the store (or failed, logged). */
  settled(): Promise<void> {
    return this.writes.idle();
  }
}

export interface EngineStateDeps {
  readonly log: Logger;
  /** A write reached the store (Storage.markDirty: the embedded file flushes within its debounce). */
  readonly markDirty: () => void;
  /** Storage.readOnlyReason: set, nothing is written and the state lives in memory for this session. */
  readonly readOnlyReason?: string;
}

type Write = (what: string, task: () => Promise<unknown>) => void;
/** Runs a read after every write given so far (the writes' own queue). */
type AfterWrites = <T>(task: () => Promise<T>) => Promise<T>;

/** A pin that came, changed its label (pinned) or went (not pinned), as `engine.pinsChanged` tells the views. */
export interface PinChange {
  readonly domain: PinDomain;
  readonly key: string;
  readonly pinned: boolean;
}

/** What the user watches (PinStore), answered from memory. */
export class PinsView {
  private pins: Pin[];
  /** Pins given or removed here so far: a reload that read the store meanwhile reads it again. */
  private edits = 0;

  constructor(private readonly store: EngineStateStore['pins'], pins: readonly Pin[], private readonly write: Write, private readonly afterWrites: AfterWrites) {
    this.pins = [...pins];
  }

  add(domain: PinDomain, key: string, label?: string): void {
    this.edits++;
    // As the table's INSERT OR REPLACE: a pin given again moves to the end with its new label.
    this.pins = [...this.pins.filter((pin) => !(pin.domain === domain && pin.key === key)),
      { domain, key, label, createdAt: Math.floor(Date.now() / 1000) }];
    this.write('a pin', () => this.store.add(domain, key, label));
  }

  remove(domain: PinDomain, key: string): void {
    this.edits++;
    this.pins = this.pins.filter((pin) => !(pin.domain === domain && pin.key === key));
    this.write('a removed pin', () => this.store.remove(domain, key));
  }

  /** Oldest first; pins made in the same second by domain, then key (as PinStore.list). */
  list(domain?: PinDomain): Pin[] {
    return this.pins.filter((pin) => domain === undefined || pin.domain === domain)
      .sort((a, b) => a.createdAt - b.createdAt || compareText(a.domain, b.domain) || compareText(a.key, b.key));
  }

  /** The store's pins replace these (EngineStateView.reloadPins); returns what that changed. */
  async reload(): Promise<PinChange[]> {
    for (;;) {
      const edits = this.edits;
      const stored = await this.afterWrites(() => this.store.list());
      // A pin given here while the list was read is written after that read: read again behind its write.
      if (edits !== this.edits) continue;
      const before = new Map(this.pins.map((pin) => [pinId(pin), pin]));
      const after = new Map(stored.map((pin) => [pinId(pin), pin]));
      this.pins = stored;
      return [
        ...stored.filter((pin) => {
          const was = before.get(pinId(pin));
          return !was || was.label !== pin.label;
        }).map((pin) => ({ domain: pin.domain, key: pin.key, pinned: true })),
        ...[...before.values()].filter((pin) => !after.has(pinId(pin))).map((pin) => ({ domain: pin.domain, key: pin.key, pinned: false })),
      ];
    }
  }
}

function pinId(pin: Pin): string {
  return `${pin.domain}\n${pin.key}`;
}

/** Alerts raised for conditions that still hold (AlertStateStore), answered from memory. */
export class AlertsView {
  private readonly raised: Map<string, number>;

  constructor(private readonly store: EngineStateStore['alerts'], alerts: readonly { key: string; raisedAt: number }[], private readonly write: Write) {
    this.raised = new Map(alerts.map(({ key, raisedAt }) => [key, raisedAt]));
  }

  /** When the alert for `key` was raised (unix seconds), or undefined if it was not, or has ended. */
  raisedAt(key: string): number | undefined {
    return this.raised.get(key);
  }

  raise(key: string, at: number): void {
    this.raised.set(key, at);
    this.write('an alert', () => this.store.raise(key, at));
  }

  /** The condition ended: its next occurrence is announced. Returns whether an alert was on record. */
  clear(key: string): boolean {
    if (!this.raised.delete(key)) return false;
    this.write('a cleared alert', () => this.store.clear(key));
    return true;
  }

  /** Every key on record that starts with `prefix`, with when it was raised, by key. */
  list(prefix: string): { key: string; raisedAt: number }[] {
    return [...this.raised].filter(([key]) => key.startsWith(prefix)).sort(([a], [b]) => compareText(a, b))
      .map(([key, raisedAt]) => ({ key, raisedAt }));
  }
}

/** Dropped counts by reason (DroppedCountStore), answered from memory so that `status` stays synchronous. */
export class DroppedCountsView {
  private readonly counts: Map<string, number>;

  constructor(private readonly store: EngineStateStore['dropped'], counts: Readonly<Record<string, number>>, private readonly write: Write) {
    this.counts = new Map(Object.entries(counts));
  }

  add(reason: string, count: number): void {
    if (count <= 0) return;
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + count);
    this.write('dropped counts', () => this.store.add(reason, count));
  }

  /** By reason, in the order the store lists them (sorted). */
  all(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => compareText(a, b)));
  }
}

/** The stores' text order (SQLite's BINARY collation on our ASCII keys). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
