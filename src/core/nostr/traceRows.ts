import type { ChainLink, JobTrace, TraceDvm, TraceEvent } from './traceTypes';
import type { NostrEvent } from './eventTypes';
import type { JobStatusText } from './nostrTypes';
import { classify } from './eventClassifier';
import { encryptionScheme } from './encryption';
import { kindName } from './kindRegistry';
import { msatsToSats } from './payments';
import { eventFromRow } from './rawEvents';
import type { People } from './peopleCache';
import type { StoredTraceEvent, TraceJobInput } from './traceInput';
import { inTimelineOrder } from './traceTimeline';

/** Chains deeper than this are cut in the classic trace's parent / child lists (a loop of `i` tags, a runaway pipeline). */
export const MAX_CHAIN_DEPTH = 16;
export const MAX_TRACE_EVENTS = 1_000;
/** A chain graph holds at most this many jobs and events; past them it is cut and says so (`truncated`). */
export const MAX_GRAPH_JOBS = 500;
export const MAX_GRAPH_EVENTS = 10_000;

/** A nostr_jobs row as the trace reads it (customer as hex). */
export type TraceJobRow = { kind: number; customer: string; created_at: number; encrypted: number; scheme: string | null; cancelled_at: number | null };
export type StoredJob = TraceJobInput & { readonly scheme: string | null };

/**
 * The jobs of a chain a graph loads: in walk order (nearest first) while their events stay under MAX_GRAPH_EVENTS,
 * the job that reaches it included; the rest are cut and the graph says so. Counted on the chain's events, read
 * before any job is loaded.
 */
export function jobsWithinEventBudget(
  chain: { readonly parents: ReadonlyMap<string, string[]>; readonly truncated: boolean },
  eventsOf: ReadonlyMap<string, readonly StoredTraceEvent[]>,
): { jobs: [string, string[]][]; truncated: boolean } {
  let events = 0;
  const jobs: [string, string[]][] = [];
  for (const [id, parents] of chain.parents) {
    if (events >= MAX_GRAPH_EVENTS) return { jobs, truncated: true };
    events += eventsOf.get(id)?.length ?? 0;
    jobs.push([id, parents]);
  }
  return { jobs, truncated: chain.truncated };
}

/** A stored event as the trace lists it, with the relays that carried it. */
export function traceEventOf(event: NostrEvent, relays: string[]): TraceEvent {
  const info = classify(event);
  const base = { id: event.id, kind: event.kind, pubkey: event.pubkey, createdAt: event.created_at, relays, event };
  if (!info) return { ...base, role: 'other' };
  switch (info.role) {
    case 'request': return { ...base, role: 'request' };
    case 'result':
    case 'feedback': {
      const amount = info.amount;
      return {
        ...base,
        role: info.role,
        ...(info.status ?? info.unknownStatus ? { status: info.status ?? info.unknownStatus } : {}),
        ...(amount.msats !== undefined ? { amountSats: msatsToSats(amount.msats) } : {}),
        ...(amount.bolt11 ? { bolt11: amount.bolt11 } : {}),
        ...(amount.mismatch ? { amountMismatch: true } : {}),
        ...(amount.problem ? { amountProblem: amount.problem } : {}),
      };
    }
    case 'zap': return { ...base, role: 'zap', ...(info.msats !== undefined ? { amountSats: msatsToSats(info.msats) } : {}) };
    case 'deletion': return { ...base, role: 'deletion' };
    default: return { ...base, role: 'other' };
  }
}

/** A (job, DVM) pair as the trace reads it. */
export type TraceDvmRow = {
  dvm: string; status: string | null; response_sec: number | null; feedback_sec: number | null; requested_msats: number; amount_mismatch: number; proven_msats: number;
};

/** What loadJob reads for one job; storedJobOf builds the job from it. */
export interface StoredJobReads {
  readonly requestId: string;
  readonly job: TraceJobRow | undefined;
  /** The kind its answers name when the request was never seen (else null). */
  readonly fallbackKind: number | null;
  readonly events: StoredTraceEvent[];
  readonly parents: readonly string[];
  /** Its pairs, by first answer. */
  readonly dvmRows: readonly TraceDvmRow[];
  /** DVMs its `p` tags name. */
  readonly targeted: readonly string[];
  readonly kindNames: ReadonlyMap<number, string>;
  readonly people: People;
}

export function storedJobOf(reads: StoredJobReads): StoredJob {
  const { job, events } = reads;
  const kind = job?.kind ?? reads.fallbackKind;
  const cancelled = job?.cancelled_at != null;
  return {
    requestId: reads.requestId,
    request: events.find(({ item }) => item.id === reads.requestId)?.item.event ?? null,
    kind,
    kindName: kind === null ? 'unknown kind' : kindName(kind, reads.kindNames).name,
    customer: job?.customer ?? null,
    createdAt: job?.created_at ?? null,
    cancelled,
    encrypted: job?.encrypted === 1,
    scheme: job?.scheme ?? null,
    parents: reads.parents,
    events,
    dvms: traceDvmsOf(reads.dvmRows, reads.targeted, cancelled, reads.people),
  };
}

/** The DVMs that answered (in order of first answer), then those named in `p` tags that did not. */
export function traceDvmsOf(rows: readonly TraceDvmRow[], targets: readonly string[], cancelled: boolean, people: People): TraceDvm[] {
  const targeted = targets.filter((dvm) => !rows.some((row) => row.dvm === dvm));
  const describe = (pubkey: string) => {
    const name = people.name(pubkey);
    return { pubkey, npub: people.npub(pubkey), ...(name ? { name } : {}) };
  };
  return [
    ...rows.map((row) => ({
      ...describe(row.dvm),
      status: (cancelled ? 'cancelled' : row.status ?? 'waiting') as JobStatusText,
      responseSec: row.response_sec,
      feedbackSec: row.feedback_sec,
      satsRequested: msatsToSats(row.requested_msats),
      amountMismatch: row.amount_mismatch === 1,
      satsProven: msatsToSats(row.proven_msats),
    })),
    ...targeted.map((dvm) => ({
      ...describe(dvm),
      status: (cancelled ? 'cancelled' : 'waiting') as JobStatusText,
      responseSec: null, feedbackSec: null, satsRequested: 0, amountMismatch: false, satsProven: 0,
    })),
  ];
}

/** The classic trace of a loaded job and its chain both ways. */
export function jobTraceOf(asked: string, job: StoredJob, parents: ChainLink[], children: ChainLink[]): JobTrace {
  return {
    requestId: job.requestId,
    askedId: asked,
    request: job.request,
    kind: job.kind,
    kindName: job.kindName,
    customer: job.customer,
    createdAt: job.createdAt,
    encrypted: job.encrypted,
    encryptionScheme: job.encrypted ? ((job.scheme ?? (job.request ? encryptionScheme(job.request.content) : 'unknown')) as JobTrace['encryptionScheme']) : null,
    cancelled: job.cancelled,
    events: inTimelineOrder(job.events).map(({ item }) => item),
    parents,
    children,
    dvms: [...job.dvms],
  };
}

/** Display names of the customers and event authors of a chain's jobs, for the graph's labels. */
export function graphNames(jobs: readonly TraceJobInput[], people: People): Map<string, string> {
  const names = new Map<string, string>();
  for (const job of jobs) {
    for (const pubkey of [job.customer, ...job.events.map(({ item }) => item.pubkey)]) {
      const name = pubkey ? people.name(pubkey) : undefined;
      if (pubkey && name !== undefined) names.set(pubkey, name);
    }
  }
  return names;
}

/**
 * The events of a chain's jobs by job, as `events` reads them one job at a time (an event belongs to the job its
 * `job_id` names, and a request to its own): `rows` are [seq, relay_id, job_id hex, …RAW_EVENT_COLUMNS] in seq order,
 * `copies` [seq, relay_id] of the relays that carried a copy later.
 */
export function eventsByJob(requestIds: readonly string[], urls: ReadonlyMap<number, string>, rows: readonly (readonly unknown[])[], copies: Iterable<readonly [number, number]>): Map<string, StoredTraceEvent[]> {
  const wanted = new Set(requestIds);
  const relays = new Map<number, string[]>(rows.map((row) => [row[0] as number, row[1] === null ? [] : [urls.get(row[1] as number) ?? '']]));
  for (const [seq, relayId] of copies) {
    const url = urls.get(relayId);
    if (url !== undefined) relays.get(seq)?.push(url);
  }
  const byJob = new Map<string, StoredTraceEvent[]>();
  for (const row of rows) {
    const event = eventFromRow(row.slice(3));
    const seq = row[0] as number;
    for (const job of new Set([row[2] as string | null, event.id])) {
      if (job === null || !wanted.has(job)) continue;
      const list = byJob.get(job) ?? byJob.set(job, []).get(job)!;
      if (list.length < MAX_TRACE_EVENTS) list.push({ item: traceEventOf(event, relays.get(seq) ?? []), seq });
    }
  }
  return byJob;
}
