import type { NostrEvent } from '../../nostr/eventTypes';
import type { ChainLink, JobTrace, TraceGraph } from '../../nostr/traceTypes';
import { parseEventId } from '../../nostr/eventId';
import { isRequestKind } from '../../nostr/nostrEvent';
import { eventFromRow } from '../../nostr/rawEvents';
import { RAW_EVENT_COLUMNS } from '../sharedSql/nostrSql';
import { buildTraceGraph } from '../../nostr/traceGraph';
import { chainWalk, type ChainAnswer, type ChainDirection, type ChainQuestion } from '../../nostr/chainWalk';
import { componentWalk, type JobLinks } from '../../nostr/componentWalk';
import { walkAsync } from '../../util/walkDriver';
import type { StoredTraceEvent } from '../../nostr/traceInput';
import {
  eventsByJob, graphNames, jobsWithinEventBudget, jobTraceOf, MAX_TRACE_EVENTS, storedJobOf,
  type TraceDvmRow, type TraceJobRow,
} from '../../nostr/traceRows';
import { pgAnnouncedKindNames } from './pgDvmNames';
import { pgPeople } from './pgPeople';
import { pgColumn, pgHex, pgId, pgRow, pgRows, pgValue, type PgReader } from './pgReader';
import type { SqlValue } from 'sql.js';

/**
 * sqliteTraceQuery.ts on PostgreSQL: the same rows read (the chain by the shared walks, its events in two reads), turned
 * into the trace and the graph by the shared code (storedJobOf, jobTraceOf, buildTraceGraph). Names are read for
 * everyone the trace shows in one statement once the rows are in.
 */
export async function pgEvent(db: PgReader, input: string): Promise<NostrEvent | null> {
  const id = parseEventId(input);
  if (!id) return null;
  const row = await pgRow<SqlValue[]>(db, `SELECT ${RAW_EVENT_COLUMNS} FROM nostr_events WHERE id = $1`, [pgId(id)]);
  return row ? eventFromRow(row) : null;
}

export async function pgTrace(db: PgReader, input: string): Promise<JobTrace | null> {
  const asked = parseEventId(input);
  if (!asked) return null;
  const requestId = await jobOf(db, asked);
  if (!requestId) return null;
  const names = await pgAnnouncedKindNames(db);
  const [raw, parents, children] = await Promise.all([
    loadJobRows(db, requestId, await parentsOf(db, requestId), await events(db, requestId)),
    chain(db, requestId, 'parents', names),
    chain(db, requestId, 'children', names),
  ]);
  const people = await pgPeople(db, pubkeysOf([raw]));
  return jobTraceOf(asked, storedJobOf({ ...raw, kindNames: names, people }), parents, children);
}

export async function pgTraceGraph(db: PgReader, input: string): Promise<TraceGraph | null> {
  const asked = parseEventId(input);
  if (!asked) return null;
  const requestId = await jobOf(db, asked);
  if (!requestId) return null;
  const kindNames = await pgAnnouncedKindNames(db);
  const chainJobs = await walkAsync(componentWalk(requestId), (id) => links(db, id));
  const loaded = await chainEvents(db, [...chainJobs.parents.keys()]);
  const { jobs: kept, truncated } = jobsWithinEventBudget(chainJobs, loaded);
  const raws: RawJob[] = [];
  for (const [id, parents] of kept) raws.push(await loadJobRows(db, id, parents, loaded.get(id) ?? []));
  const people = await pgPeople(db, pubkeysOf(raws));
  const jobs = raws.map((raw) => storedJobOf({ ...raw, kindNames, people }));
  return buildTraceGraph({ askedId: asked, requestId, jobs, names: graphNames(jobs, people), truncated });
}

type RawJob = Omit<Parameters<typeof storedJobOf>[0], 'kindNames' | 'people'>;

function pubkeysOf(raws: readonly RawJob[]): string[] {
  return raws.flatMap((raw) => [raw.job?.customer, ...raw.dvmRows.map((row) => row.dvm), ...raw.targeted, ...raw.events.map(({ item }) => item.pubkey)])
    .filter((pubkey): pubkey is string => typeof pubkey === 'string');
}

async function jobOf(db: PgReader, id: string): Promise<string | undefined> {
  const key = pgId(id);
  const event = await pgRow<[number, Buffer | null]>(db, 'SELECT kind, job_id FROM nostr_events WHERE id = $1', [key]);
  if (event && event[1] !== null) return pgHex(event[1]);
  if (await pgRow(db, 'SELECT 1 FROM nostr_jobs WHERE request_id = $1', [key])) return id;
  if (await pgRow(db, 'SELECT 1 FROM nostr_job_dvms WHERE request_id = $1 LIMIT 1', [key])) return id;
  if (event && isRequestKind(event[0])) return id;
  return undefined;
}

async function loadJobRows(db: PgReader, requestId: string, parents: readonly string[], loaded: StoredTraceEvent[]): Promise<RawJob> {
  const key = pgId(requestId);
  const [jobRow, fallbackKind, dvmRows, targets] = await Promise.all([
    pgRow<[number, string, number, number, string | null, number | null]>(db,
      `SELECT kind, encode(customer, 'hex'), created_at, encrypted, scheme, cancelled_at FROM nostr_jobs WHERE request_id = $1`, [key]),
    pgValue<number>(db, 'SELECT kind FROM nostr_job_dvms WHERE request_id = $1 AND kind >= 0 ORDER BY dvm LIMIT 1', [key]),
    pgRows<[string, string | null, number | null, number | null, number, number, number]>(db, `SELECT encode(dvm, 'hex'), status, response_sec, feedback_sec, requested_msats, amount_mismatch, proven_msats
      FROM nostr_job_dvms WHERE request_id = $1 ORDER BY first_at, dvm`, [key]),
    pgColumn<string>(db, `SELECT encode(dvm, 'hex') FROM nostr_job_targets WHERE request_id = $1 ORDER BY dvm`, [key]),
  ]);
  const job: TraceJobRow | undefined = jobRow
    ? { kind: jobRow[0], customer: jobRow[1], created_at: jobRow[2], encrypted: jobRow[3], scheme: jobRow[4], cancelled_at: jobRow[5] }
    : undefined;
  const rows: TraceDvmRow[] = dvmRows.map(([dvm, status, response, feedback, requested, mismatch, proven]) => ({
    dvm, status, response_sec: response, feedback_sec: feedback, requested_msats: requested, amount_mismatch: mismatch, proven_msats: proven,
  }));
  return { requestId, job, fallbackKind: fallbackKind ?? null, events: loaded, parents, dvmRows: rows, targeted: targets };
}

function parentsOf(db: PgReader, requestId: string): Promise<string[]> {
  return pgColumn<string>(db, `SELECT encode(parent_id, 'hex') FROM nostr_job_links WHERE child_id = $1 ORDER BY parent_id`, [pgId(requestId)]);
}

function childrenOf(db: PgReader, requestId: string): Promise<string[]> {
  return pgColumn<string>(db, `SELECT encode(child_id, 'hex') FROM nostr_job_links WHERE parent_id = $1 ORDER BY child_id`, [pgId(requestId)]);
}

/** A job's links both ways, for the shared component walk (componentWalk.ts), read together. */
async function links(db: PgReader, requestId: string): Promise<JobLinks> {
  const [parents, children] = await Promise.all([parentsOf(db, requestId), childrenOf(db, requestId)]);
  return { parents, children };
}

/** One job's events (job_id or its own id), oldest arrival first, with every relay that carried each. */
async function events(db: PgReader, requestId: string): Promise<StoredTraceEvent[]> {
  return (await chainEvents(db, [requestId], MAX_TRACE_EVENTS)).get(requestId) ?? [];
}

async function chainEvents(db: PgReader, requestIds: readonly string[], limit?: number): Promise<Map<string, StoredTraceEvent[]>> {
  const keys = requestIds.map(pgId);
  const [urls, rows] = await Promise.all([
    pgRows<[number, string]>(db, 'SELECT id, url FROM nostr_relays'),
    pgRows<SqlValue[]>(db, `SELECT seq, relay_id, encode(job_id, 'hex'), ${RAW_EVENT_COLUMNS} FROM nostr_events
      WHERE job_id = ANY($1::bytea[]) OR id = ANY($1::bytea[]) ORDER BY seq${limit !== undefined ? ` LIMIT ${limit}` : ''}`, [keys]),
  ]);
  const copies = rows.length === 0 ? [] : await pgRows<[number, number]>(db, 'SELECT seq, relay_id FROM nostr_event_relays WHERE seq = ANY($1::bigint[]) ORDER BY seq, relay_id',
    [rows.map((row) => row[0])]);
  return eventsByJob(requestIds, new Map(urls), rows, copies);
}

/** The shared chain walk (chainWalk.ts), its questions answered one statement each, in the order it asks them. */
async function chain(db: PgReader, start: string, direction: ChainDirection, names: ReadonlyMap<number, string>): Promise<ChainLink[]> {
  return walkAsync(chainWalk(start, direction, names), (question) => answer(db, question));
}

async function answer(db: PgReader, question: ChainQuestion): Promise<ChainAnswer> {
  if (question.ask === 'kind') return (await pgValue<number>(db, 'SELECT kind FROM nostr_jobs WHERE request_id = $1', [pgId(question.id)])) ?? null;
  return question.direction === 'parents' ? parentsOf(db, question.id) : childrenOf(db, question.id);
}
