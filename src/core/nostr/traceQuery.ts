import type { ChainLink, JobTrace, TraceDvm, TraceEvent, TraceGraph } from './traceTypes';
import type { NostrEvent } from './eventTypes';
import type { JobStatusText } from './nostrTypes';
import { classify } from './eventClassifier';
import { announcedKindNames } from './dvmNames';
import { encryptionScheme } from './encryption';
import { parseEventId } from './eventId';
import { kindName } from './kindRegistry';
import { isRequestKind } from './nostrEvent';
import { msatsToSats } from './payments';
import { idBytes, idHex } from './hexIds';
import { PeopleCache, type People } from './peopleCache';
import type { PreparedStatements } from './preparedStatements';
import type { SqlValue } from 'sql.js';
import { eventFromRow, RAW_EVENT_COLUMNS } from './rawEvents';
import { buildTraceGraph } from './traceGraph';
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
 * The job trace (DESIGN.md, user story 3): the request, every linked event, the chain both ways and each DVM's
 * status. An id of a result, feedback, zap or deletion opens the job it belongs to. `traceGraph` loads the whole
 * chain and hands it to the pure model (traceGraph.ts).
 */
export class TraceQuery {
  constructor(private readonly sql: PreparedStatements) {}

  event(input: string): NostrEvent | null {
    const id = parseEventId(input);
    if (!id) return null;
    const row = this.sql.row(`SELECT ${RAW_EVENT_COLUMNS} FROM nostr_events WHERE id = ?`, [idBytes(id)]);
    return row ? eventFromRow(row) : null;
  }

  trace(input: string): JobTrace | null {
    const asked = parseEventId(input);
    if (!asked) return null;
    const requestId = this.jobOf(asked);
    if (!requestId) return null;
    const names = announcedKindNames(this.sql);
    const job = this.loadJob(requestId, this.parentsOf(requestId), names, new PeopleCache(this.sql));
    return jobTraceOf(asked, job, this.chain(requestId, 'parents', names), this.chain(requestId, 'children', names));
  }

  /** The graph, timeline and per-DVM summaries of the asked event's job and of its whole chain. */
  traceGraph(input: string): TraceGraph | null {
    const asked = parseEventId(input);
    if (!asked) return null;
    const requestId = this.jobOf(asked);
    if (!requestId) return null;
    const kindNames = announcedKindNames(this.sql);
    const people = new PeopleCache(this.sql);
    const chain = this.component(requestId);
    const chainEvents = this.chainEvents([...chain.parents.keys()]);
    const { jobs: kept, truncated } = jobsWithinEventBudget(chain, chainEvents);
    const jobs: TraceJobInput[] = kept.map(([id, parents]) => this.loadJob(id, parents, kindNames, people, chainEvents.get(id) ?? []));
    return buildTraceGraph({ askedId: asked, requestId, jobs, names: graphNames(jobs, people), truncated });
  }

  /** The request id a given event id belongs to, or undefined if nothing links it to a job. */
  private jobOf(id: string): string | undefined {
    const event = this.sql.row('SELECT kind, job_id FROM nostr_events WHERE id = ?', [idBytes(id)]);
    if (event && event[1] !== null) return idHex(event[1]);
    if (this.sql.row('SELECT 1 FROM nostr_jobs WHERE request_id = ?', [idBytes(id)])) return id;
    if (this.sql.row('SELECT 1 FROM nostr_job_dvms WHERE request_id = ? LIMIT 1', [idBytes(id)])) return id;
    if (event && isRequestKind(event[0] as number)) return id;
    return undefined;
  }

  /** `loaded`: the job's events when the caller read them with others (chainEvents); else they are read here. */
  private loadJob(requestId: string, parents: readonly string[], kindNames: ReadonlyMap<number, string>, people: PeopleCache, loaded?: StoredTraceEvent[]): StoredJob {
    const job = this.sql.get<TraceJobRow>('SELECT kind, lower(hex(customer)) AS customer, created_at, encrypted, scheme, cancelled_at FROM nostr_jobs WHERE request_id = unhex(?)', [requestId]);
    return storedJobOf({
      requestId,
      job,
      fallbackKind: job ? null : this.sql.get<{ kind: number }>('SELECT kind FROM nostr_job_dvms WHERE request_id = unhex(?) AND kind >= 0 LIMIT 1', [requestId])?.kind ?? null,
      events: loaded ?? this.events(requestId),
      parents,
      dvmRows: this.sql.all<TraceDvmRow>(
        'SELECT lower(hex(dvm)) AS dvm, status, response_sec, feedback_sec, requested_msats, amount_mismatch, proven_msats FROM nostr_job_dvms WHERE request_id = unhex(?) ORDER BY first_at', [requestId]),
      targeted: this.sql.column<string>('SELECT lower(hex(dvm)) FROM nostr_job_targets WHERE request_id = unhex(?)', [requestId]),
      kindNames,
      people,
    });
  }

  private parentsOf(requestId: string): string[] {
    return this.sql.column<string>('SELECT lower(hex(parent_id)) FROM nostr_job_links WHERE child_id = unhex(?)', [requestId]);
  }

  private childrenOf(requestId: string): string[] {
    return this.sql.column<string>('SELECT lower(hex(child_id)) FROM nostr_job_links WHERE parent_id = unhex(?)', [requestId]);
  }

  /**
   * Every job linked to `start` through sub-job links, in both directions and at any depth (a sibling sub-job of a
   * shared parent included), with each job's direct parents. Breadth first from `start`, so a cut keeps the nearest.
   */
  private component(start: string): { parents: Map<string, string[]>; truncated: boolean } {
    const parents = new Map<string, string[]>();
    const queue = [start];
    const seen = new Set(queue);
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i];
      const up = this.parentsOf(id);
      parents.set(id, up);
      for (const next of [...up, ...this.childrenOf(id)]) {
        if (seen.has(next)) continue;
        if (seen.size >= MAX_GRAPH_JOBS) return { parents, truncated: true };
        seen.add(next);
        queue.push(next);
      }
    }
    return { parents, truncated: false };
  }

  private events(requestId: string): StoredTraceEvent[] {
    const key = idBytes(requestId);
    const rows = this.sql.rows(`SELECT seq, (SELECT url FROM nostr_relays WHERE id = relay_id), ${RAW_EVENT_COLUMNS} FROM nostr_events WHERE job_id = ?1 OR id = ?1 ORDER BY seq LIMIT ?2`, [key, MAX_TRACE_EVENTS]);
    // The first relay is on the event's row; relays that carried a copy later are in nostr_event_relays.
    const relays = new Map<number, string[]>(rows.map((row) => [row[0] as number, row[1] === null ? [] : [row[1] as string]]));
    for (const [seq, url] of this.sql.rows(`SELECT r.seq, l.url FROM nostr_event_relays r JOIN nostr_relays l ON l.id = r.relay_id
      WHERE r.seq IN (SELECT seq FROM nostr_events WHERE job_id = ?1 OR id = ?1)`, [key])) {
      relays.get(seq as number)?.push(url as string);
    }
    return rows.map((row) => ({ item: traceEventOf(eventFromRow(row.slice(2)), relays.get(row[0] as number) ?? []), seq: row[0] as number }));
  }

  /**
   * The events of every job of a chain, by job, as `events` reads them one job at a time (an event belongs to the
   * job its `job_id` names, and a request to its own), in two queries for the whole chain: a chain of 20 jobs read
   * job by job was 40 queries, most of a trace's time. Relay URLs come from the small relays table, read once.
   */
  private chainEvents(requestIds: readonly string[]): Map<string, StoredTraceEvent[]> {
    const urls = new Map(this.sql.rows('SELECT id, url FROM nostr_relays').map(([id, url]) => [id as number, url as string]));
    const rows = this.sql.rows(`SELECT seq, relay_id, lower(hex(job_id)), ${RAW_EVENT_COLUMNS} FROM nostr_events
      WHERE job_id IN (SELECT unhex(value) FROM json_each(?1)) OR id IN (SELECT unhex(value) FROM json_each(?1)) ORDER BY seq`, [JSON.stringify(requestIds)]);
    const copies = this.sql.rows('SELECT seq, relay_id FROM nostr_event_relays WHERE seq IN (SELECT value FROM json_each(?))', [JSON.stringify(rows.map((row) => row[0]))]) as [number, number][];
    return eventsByJob(requestIds, urls, rows, copies);
  }

  private chain(start: string, direction: 'parents' | 'children', names: ReadonlyMap<number, string>): ChainLink[] {
    const links: ChainLink[] = [];
    const seen = new Set([start]);
    let frontier = [start];
    for (let depth = 1; depth <= MAX_CHAIN_DEPTH && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const from of frontier) {
        for (const id of direction === 'parents' ? this.parentsOf(from) : this.childrenOf(from)) {
          if (seen.has(id)) continue;
          seen.add(id);
          next.push(id);
          const kind = this.sql.get<{ kind: number }>('SELECT kind FROM nostr_jobs WHERE request_id = unhex(?)', [id])?.kind ?? null;
          links.push({ requestId: id, kind, kindName: kind === null ? 'not seen' : kindName(kind, names).name, depth, via: from });
        }
      }
      frontier = next;
    }
    return links;
  }
}

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
export function eventsByJob(requestIds: readonly string[], urls: ReadonlyMap<number, string>, rows: readonly (readonly SqlValue[])[], copies: Iterable<readonly [number, number]>): Map<string, StoredTraceEvent[]> {
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
