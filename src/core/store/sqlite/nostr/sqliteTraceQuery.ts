import type { ChainLink, JobTrace, TraceGraph } from '../../../nostr/traceTypes';
import type { NostrEvent } from '../../../nostr/eventTypes';
import { announcedKindNames } from './sqliteDvmNames';
import { parseEventId } from '../../../nostr/eventId';
import { isRequestKind } from '../../../nostr/nostrEvent';
import { idBytes, idHex } from '../../../nostr/hexIds';
import { PeopleCache } from './sqlitePeopleCache';
import type { PreparedStatements } from './preparedStatements';
import { eventFromRow } from '../../../nostr/rawEvents';
import { RAW_EVENT_COLUMNS } from '../../sharedSql/nostrSql';
import { buildTraceGraph } from '../../../nostr/traceGraph';
import { chainWalk, type ChainAnswer, type ChainDirection, type ChainQuestion } from '../../../nostr/chainWalk';
import { componentWalk, type JobLinks } from '../../../nostr/componentWalk';
import { walkSync } from '../../../util/walkDriver';
import type { StoredTraceEvent, TraceJobInput } from '../../../nostr/traceInput';
import {
  MAX_TRACE_EVENTS, type TraceJobRow, type StoredJob, jobsWithinEventBudget,
  traceEventOf, type TraceDvmRow, storedJobOf, jobTraceOf, graphNames, eventsByJob,
} from '../../../nostr/traceRows';

/**
 * The job trace (DESIGN.md, user story 3): the request, every linked event, the chain both ways and each DVM's
 * status. An id of a result, feedback, zap or deletion opens the job it belongs to. `traceGraph` loads the whole
 * chain (componentWalk.ts) and hands it to the pure model (traceGraph.ts).
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
    const chain = walkSync(componentWalk(requestId), (id) => this.links(id));
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

  private links(requestId: string): JobLinks {
    return { parents: this.parentsOf(requestId), children: this.childrenOf(requestId) };
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

  /** The shared chain walk (chainWalk.ts), its questions answered here one statement each. */
  private chain(start: string, direction: ChainDirection, names: ReadonlyMap<number, string>): ChainLink[] {
    return walkSync(chainWalk(start, direction, names), (question) => this.answer(question));
  }

  private answer(question: ChainQuestion): ChainAnswer {
    if (question.ask === 'kind') return this.sql.get<{ kind: number }>('SELECT kind FROM nostr_jobs WHERE request_id = unhex(?)', [question.id])?.kind ?? null;
    return question.direction === 'parents' ? this.parentsOf(question.id) : this.childrenOf(question.id);
  }
}

