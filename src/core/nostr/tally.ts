import type { TallyRows } from './jobRows';
import { latencySlot } from './latencyHistogram';
import { bucketStart, ROLLUP_PERIODS, type RollupPeriod } from './rollupPeriods';

/** The additive figures kept per rollup bucket (5 min, hour, 6 h, day: rollupPeriods.ts), per request kind and DVM. */
export interface RollupValues {
  requests: number;
  encrypted: number;
  results: number;
  feedback: number;
  /** (job, DVM) pairs where the DVM answered at all, counted at its first answer. */
  answered: number;
  /** Pairs that reached result-delivered or `success`, counted once. */
  successes: number;
  /** Pairs that sent `error`, counted once. */
  errors: number;
  /** Millisats. */
  sats_requested: number;
  sats_earned: number;
  sats_proven: number;
}

export const ROLLUP_FIELDS: readonly (keyof RollupValues)[] = [
  'requests', 'encrypted', 'results', 'feedback', 'answered', 'successes', 'errors', 'sats_requested', 'sats_earned', 'sats_proven',
];

export interface DvmTotals {
  jobs: number;
  results: number;
  feedback: number;
  successes: number;
  errors: number;
  sats_requested: number;
  sats_earned: number;
  sats_proven: number;
}

export const DVM_FIELDS: readonly (keyof DvmTotals)[] = ['jobs', 'results', 'feedback', 'successes', 'errors', 'sats_requested', 'sats_earned', 'sats_proven'];

export interface KindTotals {
  requests: number;
  results: number;
  feedback: number;
  users: number;
  dvms: number;
}

/** 'r': first result − request; 'f': first feedback − request. */
export type LatencyMetric = 'r' | 'f';

interface DvmEntry {
  totals: Partial<DvmTotals>;
  /** Set when the batch saw the pubkey act as a DVM (answered, announced): the row is created if missing. */
  firstSeen?: number;
  lastAnswerAt?: number;
}

interface UserEntry { requests: number; firstSeen: number; lastAt: number }

/**
 * Accumulates a batch's counters, rollups, per-DVM / per-kind / per-user totals and response-time histograms in
 * memory and writes each touched row once at the end of the batch: with 500 events a batch, a few hundred upserts
 * instead of thousands. Everything written here is additive (or min/max), so batches commute and old imports add
 * to the right buckets. Writes through a TallyRows port (jobRows.ts): the rules hold no database.
 */
export class Tally {
  private readonly counters = new Map<string, number>();
  private readonly rollups = new Map<string, { period: RollupPeriod; bucket: number; kind: number; dvm: string; values: Partial<RollupValues> }>();
  private readonly dvms = new Map<string, DvmEntry>();
  private readonly kinds = new Map<number, Partial<KindTotals>>();
  private readonly users = new Map<string, UserEntry>();
  private readonly kindUsers = new Map<string, { kind: number; pubkey: string; requests: number; lastAt: number }>();
  private readonly kindDvms = new Map<string, { kind: number; dvm: string }>();
  private readonly latencyRollups = new Map<string, { period: RollupPeriod; bucket: number; metric: LatencyMetric; slot: number; delta: number }>();
  private readonly latencyTotals = new Map<string, { metric: LatencyMetric; value: number; delta: number }>();

  counter(name: string, delta: number): void {
    if (delta !== 0) this.counters.set(name, (this.counters.get(name) ?? 0) + delta);
  }

  rollup(at: number, kind: number, dvm: string, values: Partial<RollupValues>): void {
    for (const period of ROLLUP_PERIODS) this.addRollup(period, bucketStart(at, period), kind, dvm, values);
  }

  dvm(pubkey: string, values: Partial<DvmTotals>): void {
    add(this.dvmEntry(pubkey).totals, values);
  }

  /** The pubkey acted as a DVM at `at` (DESIGN.md "DVM"): its row exists after the flush. */
  seeDvm(pubkey: string, at: number, answered: boolean): void {
    const entry = this.dvmEntry(pubkey);
    entry.firstSeen = Math.min(entry.firstSeen ?? at, at);
    if (answered) entry.lastAnswerAt = Math.max(entry.lastAnswerAt ?? at, at);
  }

  kind(kind: number, values: Partial<KindTotals>): void {
    let entry = this.kinds.get(kind);
    if (!entry) this.kinds.set(kind, (entry = {}));
    add(entry, values);
  }

  /** A request by `pubkey` (DESIGN.md "User"). */
  request(pubkey: string, kind: number, at: number): void {
    const user = this.users.get(pubkey);
    if (user) {
      user.requests++;
      user.firstSeen = Math.min(user.firstSeen, at);
      user.lastAt = Math.max(user.lastAt, at);
    } else {
      this.users.set(pubkey, { requests: 1, firstSeen: at, lastAt: at });
    }
    const key = `${kind}|${pubkey}`;
    const pair = this.kindUsers.get(key);
    if (pair) {
      pair.requests++;
      pair.lastAt = Math.max(pair.lastAt, at);
    } else {
      this.kindUsers.set(key, { kind, pubkey, requests: 1, lastAt: at });
    }
  }

  /** `dvm` answered a job of `kind` (nostr_kind_dvms). */
  kindDvm(kind: number, dvm: string): void {
    this.kindDvms.set(`${kind}|${dvm}`, { kind, dvm });
  }

  /**
   * One (job, DVM) pair's response time entering (+1) or leaving (−1) the histograms: its slot in each rollup
   * period's bucket of the pair's first answer, and the exact all-time count of that many seconds.
   */
  latency(metric: LatencyMetric, firstAt: number, seconds: number | null, delta: 1 | -1): void {
    if (seconds === null) return;
    const slot = latencySlot(seconds);
    for (const period of ROLLUP_PERIODS) {
      const bucket = bucketStart(firstAt, period);
      const key = `${period}|${bucket}|${metric}|${slot}`;
      const entry = this.latencyRollups.get(key);
      if (entry) entry.delta += delta;
      else this.latencyRollups.set(key, { period, bucket, metric, slot, delta });
    }
    const key = `${metric}|${seconds}`;
    const total = this.latencyTotals.get(key);
    if (total) total.delta += delta;
    else this.latencyTotals.set(key, { metric, value: seconds, delta });
  }

  private dvmEntry(pubkey: string): DvmEntry {
    let entry = this.dvms.get(pubkey);
    if (!entry) this.dvms.set(pubkey, (entry = { totals: {} }));
    return entry;
  }

  private addRollup(period: RollupPeriod, bucket: number, kind: number, dvm: string, values: Partial<RollupValues>): void {
    const key = `${period}|${bucket}|${kind}|${dvm}`;
    let entry = this.rollups.get(key);
    if (!entry) {
      entry = { period, bucket, kind, dvm, values: {} };
      this.rollups.set(key, entry);
    }
    add(entry.values, values);
  }

  /** Writes everything accumulated; call inside the batch's transaction. */
  flush(rows: TallyRows): void {
    // Users and (kind, user) pairs first: whether a row is new decides the all-time distinct counts below.
    // The row's request count after the upsert equal to this batch's count means it is new.
    for (const [pubkey, user] of this.users) {
      if (rows.addUser(pubkey, user.requests, user.firstSeen, user.lastAt) === user.requests) this.counter('users', 1);
    }
    for (const pair of this.kindUsers.values()) {
      if (rows.addKindUser(pair.kind, pair.pubkey, pair.requests, pair.lastAt) === pair.requests) this.kind(pair.kind, { users: 1 });
    }
    for (const pair of this.kindDvms.values()) {
      if (rows.addKindDvm(pair.kind, pair.dvm)) this.kind(pair.kind, { dvms: 1 });
    }
    for (const [name, delta] of this.counters) rows.addCounter(name, delta);
    for (const entry of this.rollups.values()) {
      rows.addRollup(entry.period, entry.bucket, entry.kind, entry.dvm, ROLLUP_FIELDS.map((field) => entry.values[field] ?? 0));
    }
    for (const [pubkey, entry] of this.dvms) {
      const values = DVM_FIELDS.map((field) => entry.totals[field] ?? 0);
      // A zap's recipient is credited only if it is a DVM already: no row is made for it.
      if (entry.firstSeen !== undefined) rows.upsertDvm(pubkey, entry.firstSeen, entry.lastAnswerAt ?? null, values);
      else if (values.some((value) => value !== 0)) rows.addToDvm(pubkey, values);
    }
    for (const [kind, values] of this.kinds) {
      rows.addKind(kind, values.requests ?? 0, values.results ?? 0, values.feedback ?? 0, values.users ?? 0, values.dvms ?? 0);
    }
    for (const entry of this.latencyRollups.values()) {
      if (entry.delta !== 0) rows.addLatencyRollup(entry.period, entry.bucket, entry.metric, entry.slot, entry.delta);
    }
    for (const entry of this.latencyTotals.values()) {
      if (entry.delta !== 0) rows.addLatencyTotal(entry.metric, entry.value, entry.delta);
    }
    this.discard();
  }

  /** Forgets everything accumulated (after a failed batch, whose transaction was rolled back). */
  discard(): void {
    this.counters.clear();
    this.rollups.clear();
    this.dvms.clear();
    this.kinds.clear();
    this.users.clear();
    this.kindUsers.clear();
    this.kindDvms.clear();
    this.latencyRollups.clear();
    this.latencyTotals.clear();
  }
}

function add<V extends object>(entry: Partial<V>, values: Partial<V>): void {
  for (const [field, delta] of Object.entries(values) as [keyof V, number][]) {
    (entry as Record<keyof V, number>)[field] = ((entry as Record<keyof V, number | undefined>)[field] ?? 0) + delta;
  }
}
