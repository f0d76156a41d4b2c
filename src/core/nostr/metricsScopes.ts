import type { DvmRef, KindRef, MetricsWindow, NostrMetricsScope } from './nostrTypes';
import { idHex } from './hexIds';
import { kindName } from './kindRegistry';
import { msatsToSats } from './payments';
import { ROLLUP_FIELDS, type RollupValues } from './tally';

export const WINDOW_SECONDS: Readonly<Record<MetricsWindow, number>> = { '1h': 3600, '24h': 86_400, '7d': 7 * 86_400, '30d': 30 * 86_400 };

export type RollupGroup = { kind: number; dvm: string; values: RollupValues };

/** A kind and its count (requests, users or DVMs), as the top-kind reads give it. */
export type KindCount = { kind: number; n: number };

/** The rollup rows of several ranges ([kind, dvm BLOB/bytea, …sums in ROLLUP_FIELDS order]) summed per (kind, DVM). */
export function rollupGroupsFromRows(rows: Iterable<readonly unknown[]>): RollupGroup[] {
  const groups = new Map<string, RollupGroup>();
  for (const row of rows) {
    const kind = row[0] as number;
    const dvm = idHex(row[1] as Uint8Array);
    const key = `${kind}|${dvm}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { kind, dvm, values: emptyValues() }));
    ROLLUP_FIELDS.forEach((field, index) => {
      group.values[field] += (row[index + 2] as number | null) ?? 0;
    });
  }
  return [...groups.values()];
}

/** A window's rollup groups folded: sums, distinct kinds and DVMs, the top DVM by results, per-kind requests and DVMs. */
export interface WindowFold {
  readonly sums: RollupValues;
  readonly requestKinds: number;
  readonly resultKinds: number;
  readonly dvms: number;
  readonly topDvm: [string, number] | undefined;
  readonly requestsByKind: ReadonlyMap<number, number>;
  readonly dvmsByKind: ReadonlyMap<number, number>;
}

export function foldRollupGroups(groups: readonly RollupGroup[]): WindowFold {
  const sums = emptyValues();
  const resultsByDvm = new Map<string, number>();
  const requestsByKind = new Map<number, number>();
  const dvmsByKind = new Map<number, Set<string>>();
  const requestKinds = new Set<number>();
  const resultKinds = new Set<number>();
  const dvms = new Set<string>();
  for (const { kind, dvm, values } of groups) {
    for (const field of ROLLUP_FIELDS) sums[field] += values[field];
    if (values.requests > 0) requestKinds.add(kind);
    if (values.results > 0 && kind >= 0) resultKinds.add(kind);
    if (dvm === '') {
      requestsByKind.set(kind, (requestsByKind.get(kind) ?? 0) + values.requests);
      continue;
    }
    dvms.add(dvm);
    resultsByDvm.set(dvm, (resultsByDvm.get(dvm) ?? 0) + values.results);
    if (kind >= 0) dvmsByKind.set(kind, (dvmsByKind.get(kind) ?? new Set()).add(dvm));
  }
  return {
    sums,
    requestKinds: requestKinds.size,
    resultKinds: resultKinds.size,
    dvms: dvms.size,
    topDvm: top([...resultsByDvm], (a, b) => (a < b ? -1 : 1)),
    requestsByKind,
    dvmsByKind: new Map([...dvmsByKind].map(([kind, set]) => [kind, set.size])),
  };
}

/** What a window reads besides its rollups. */
export interface WindowReads {
  readonly profiles: number;
  readonly users: number;
  readonly kindUsers: ReadonlyMap<number, number>;
  readonly response: readonly (number | null)[];
  readonly feedback: readonly (number | null)[];
  readonly mostPopularDvm: DvmRef | null;
}

export function windowScope(fold: WindowFold, reads: WindowReads, names: ReadonlyMap<number, string>): NostrMetricsScope {
  const { sums } = fold;
  return {
    requests: sums.requests,
    results: sums.results,
    feedback: sums.feedback,
    requestKinds: fold.requestKinds,
    resultKinds: fold.resultKinds,
    dvms: fold.dvms,
    profiles: reads.profiles,
    users: reads.users,
    encryptedRequests: sums.encrypted,
    encryptedShare: sums.requests > 0 ? sums.encrypted / sums.requests : null,
    mostPopularDvm: reads.mostPopularDvm,
    mostPopularKind: kindRef(asKindRow(top([...fold.requestsByKind], (a, b) => a - b)), names),
    mostPopularKindByUsers: kindRef(asKindRow(top([...reads.kindUsers], (a, b) => a - b)), names),
    competitiveKind: kindRef(asKindRow(top([...fold.dvmsByKind], (a, b) => a - b)), names),
    satsRequested: msatsToSats(sums.sats_requested),
    satsEarned: msatsToSats(sums.sats_earned),
    satsProven: msatsToSats(sums.sats_proven),
    successRate: sums.answered > 0 ? sums.successes / sums.answered : null,
    errorRate: sums.answered > 0 ? sums.errors / sums.answered : null,
    medianResponseSec: reads.response[0],
    p90ResponseSec: reads.response[1],
    medianFeedbackSec: reads.feedback[0],
    p90FeedbackSec: reads.feedback[1],
  };
}

/** What the all-time scope reads: counters, distinct counts, the tops and the exact percentiles. */
export interface AllTimeReads {
  readonly counters: ReadonlyMap<string, number>;
  readonly requestKinds: number;
  readonly resultKinds: number;
  readonly dvms: number;
  readonly profiles: number;
  readonly mostPopularDvm: DvmRef | null;
  readonly mostPopularKind: KindCount | undefined;
  readonly mostPopularKindByUsers: KindCount | undefined;
  readonly competitiveKind: KindCount | undefined;
  readonly response: readonly (number | null)[];
  readonly feedback: readonly (number | null)[];
}

export function allTimeScope(reads: AllTimeReads, names: ReadonlyMap<number, string>): NostrMetricsScope {
  const count = (name: string) => reads.counters.get(name) ?? 0;
  const requests = count('requests');
  const answered = count('answered');
  return {
    requests,
    results: count('results'),
    feedback: count('feedback'),
    requestKinds: reads.requestKinds,
    resultKinds: reads.resultKinds,
    dvms: reads.dvms,
    profiles: reads.profiles,
    users: count('users'),
    encryptedRequests: count('encrypted'),
    encryptedShare: requests > 0 ? count('encrypted') / requests : null,
    mostPopularDvm: reads.mostPopularDvm,
    mostPopularKind: kindRef(reads.mostPopularKind, names),
    mostPopularKindByUsers: kindRef(reads.mostPopularKindByUsers, names),
    competitiveKind: kindRef(reads.competitiveKind, names),
    satsRequested: msatsToSats(count('sats_requested')),
    satsEarned: msatsToSats(count('sats_earned')),
    satsProven: msatsToSats(count('sats_proven')),
    successRate: answered > 0 ? count('successes') / answered : null,
    errorRate: answered > 0 ? count('errors') / answered : null,
    medianResponseSec: reads.response[0],
    p90ResponseSec: reads.response[1],
    medianFeedbackSec: reads.feedback[0],
    p90FeedbackSec: reads.feedback[1],
  };
}

function emptyValues(): RollupValues {
  return { requests: 0, encrypted: 0, results: 0, feedback: 0, answered: 0, successes: 0, errors: 0, sats_requested: 0, sats_earned: 0, sats_proven: 0 };
}

/** The entry with the largest positive count; ties go to the smallest key. */
function top<K>(entries: [K, number][], compareKeys: (a: K, b: K) => number): [K, number] | undefined {
  let best: [K, number] | undefined;
  for (const entry of entries) {
    if (entry[1] <= 0) continue;
    if (!best || entry[1] > best[1] || (entry[1] === best[1] && compareKeys(entry[0], best[0]) < 0)) best = entry;
  }
  return best;
}

function asKindRow(entry: [number, number] | undefined): { kind: number; n: number } | undefined {
  return entry ? { kind: entry[0], n: entry[1] } : undefined;
}

function kindRef(row: { kind: number; n: number } | undefined, names: ReadonlyMap<number, string>): KindRef | null {
  return row ? { kind: row.kind, name: kindName(row.kind, names).name, count: row.n } : null;
}
