import type { PreparedStatements } from './preparedStatements';

/** The additive figures kept per hour and per day, per request kind and DVM. */
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

const DVM_FIELDS: readonly (keyof DvmTotals)[] = ['jobs', 'results', 'feedback', 'successes', 'errors', 'sats_requested', 'sats_earned', 'sats_proven'];

export interface KindTotals {
  requests: number;
  results: number;
  feedback: number;
}

const HOUR = 3600;
const DAY = 86400;

/**
 * Accumulates a batch's counters, rollups and per-DVM / per-kind totals in memory and writes each touched row
 * once at the end of the batch: with 5,000 events a batch, that is a few hundred upserts instead of tens of
 * thousands. Everything written here is additive, so batches commute and old imports add to the right buckets.
 */
export class Tally {
  private readonly counters = new Map<string, number>();
  private readonly rollups = new Map<string, { period: 'h' | 'd'; bucket: number; kind: number; dvm: string; values: Partial<RollupValues> }>();
  private readonly dvms = new Map<string, Partial<DvmTotals>>();
  private readonly kinds = new Map<number, Partial<KindTotals>>();

  counter(name: string, delta: number): void {
    if (delta !== 0) this.counters.set(name, (this.counters.get(name) ?? 0) + delta);
  }

  rollup(at: number, kind: number, dvm: string, values: Partial<RollupValues>): void {
    this.addRollup('h', at - (at % HOUR), kind, dvm, values);
    this.addRollup('d', at - (at % DAY), kind, dvm, values);
  }

  dvm(pubkey: string, values: Partial<DvmTotals>): void {
    add(this.dvms, pubkey, values);
  }

  kind(kind: number, values: Partial<KindTotals>): void {
    add(this.kinds, kind, values);
  }

  private addRollup(period: 'h' | 'd', bucket: number, kind: number, dvm: string, values: Partial<RollupValues>): void {
    const key = `${period}|${bucket}|${kind}|${dvm}`;
    let entry = this.rollups.get(key);
    if (!entry) {
      entry = { period, bucket, kind, dvm, values: {} };
      this.rollups.set(key, entry);
    }
    for (const [field, delta] of Object.entries(values) as [keyof RollupValues, number][]) {
      entry.values[field] = (entry.values[field] ?? 0) + delta;
    }
  }

  /** Writes everything accumulated; call inside the batch's transaction. */
  flush(sql: PreparedStatements): void {
    for (const [name, delta] of this.counters) {
      sql.run('INSERT INTO nostr_counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value', [name, delta]);
    }
    const rollupSql = `INSERT INTO nostr_rollups (period, bucket, kind, dvm, ${ROLLUP_FIELDS.join(', ')})
      VALUES (?, ?, ?, ?, ${ROLLUP_FIELDS.map(() => '?').join(', ')})
      ON CONFLICT (period, bucket, kind, dvm) DO UPDATE SET ${ROLLUP_FIELDS.map((field) => `${field} = ${field} + excluded.${field}`).join(', ')}`;
    for (const entry of this.rollups.values()) {
      sql.run(rollupSql, [entry.period, entry.bucket, entry.kind, entry.dvm, ...ROLLUP_FIELDS.map((field) => entry.values[field] ?? 0)]);
    }
    const dvmSql = `UPDATE nostr_dvms SET ${DVM_FIELDS.map((field) => `${field} = ${field} + ?`).join(', ')} WHERE pubkey = ?`;
    for (const [pubkey, values] of this.dvms) sql.run(dvmSql, [...DVM_FIELDS.map((field) => values[field] ?? 0), pubkey]);
    for (const [kind, values] of this.kinds) {
      sql.run(`INSERT INTO nostr_kinds (kind, requests, results, feedback) VALUES (?, ?, ?, ?)
        ON CONFLICT (kind) DO UPDATE SET requests = requests + excluded.requests, results = results + excluded.results, feedback = feedback + excluded.feedback`,
      [kind, values.requests ?? 0, values.results ?? 0, values.feedback ?? 0]);
    }
    this.counters.clear();
    this.rollups.clear();
    this.dvms.clear();
    this.kinds.clear();
  }
}

function add<K, V extends object>(map: Map<K, Partial<V>>, key: K, values: Partial<V>): void {
  let entry = map.get(key);
  if (!entry) {
    entry = {};
    map.set(key, entry);
  }
  for (const [field, delta] of Object.entries(values) as [keyof V, number][]) {
    (entry as Record<keyof V, number>)[field] = ((entry as Record<keyof V, number | undefined>)[field] ?? 0) + delta;
  }
}
