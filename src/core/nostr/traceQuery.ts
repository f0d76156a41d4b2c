import type { ChainLink, JobStatusText, JobTrace, NostrEvent, TraceDvm, TraceEvent } from '../../protocol/nostrProtocol';
import { classify, statusRank } from './eventClassifier';
import { announcedKindNames, displayName, npub } from './dvmNames';
import { encryptionScheme } from './encryption';
import { parseEventId } from './eventId';
import { kindName } from './kindRegistry';
import { isRequestKind } from './nostrEvent';
import { msatsToSats } from './payments';
import { idBytes, idHex } from './hexIds';
import type { PreparedStatements } from './preparedStatements';
import { eventFromRow, RAW_EVENT_COLUMNS } from './rawEvents';

/** Chains deeper than this are cut (a loop of `i` tags, or a runaway pipeline). */
const MAX_CHAIN_DEPTH = 16;
const MAX_TRACE_EVENTS = 1_000;

type JobRow = { kind: number; customer: string; created_at: number; encrypted: number; scheme: string | null; cancelled_at: number | null };

/**
 * The job trace (DESIGN.md, user story 3): the request, every linked event, the chain both ways and each DVM's
 * status. An id of a result, feedback, zap or deletion opens the job it belongs to.
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
    const job = this.sql.get<JobRow>('SELECT kind, lower(hex(customer)) AS customer, created_at, encrypted, scheme, cancelled_at FROM nostr_jobs WHERE request_id = unhex(?)', [requestId]);
    const knownKind = job?.kind ?? this.sql.get<{ kind: number }>('SELECT kind FROM nostr_job_dvms WHERE request_id = unhex(?) AND kind >= 0 LIMIT 1', [requestId])?.kind ?? null;
    const events = this.events(requestId);
    const request = events.find((item) => item.id === requestId)?.event ?? null;
    return {
      requestId,
      askedId: asked,
      request,
      kind: knownKind,
      kindName: knownKind === null ? 'unknown kind' : kindName(knownKind, names).name,
      customer: job?.customer ?? null,
      createdAt: job?.created_at ?? null,
      encrypted: job?.encrypted === 1,
      encryptionScheme: job?.encrypted === 1 ? ((job.scheme ?? (request ? encryptionScheme(request.content) : 'unknown')) as JobTrace['encryptionScheme']) : null,
      cancelled: job?.cancelled_at != null,
      events,
      parents: this.chain(requestId, 'parents', names),
      children: this.chain(requestId, 'children', names),
      dvms: this.dvms(requestId, job?.cancelled_at != null),
    };
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

  private events(requestId: string): TraceEvent[] {
    const key = idBytes(requestId);
    const rows = this.sql.rows(`SELECT seq, (SELECT url FROM nostr_relays WHERE id = relay_id), ${RAW_EVENT_COLUMNS} FROM nostr_events WHERE job_id = ?1 OR id = ?1 ORDER BY seq LIMIT ?2`, [key, MAX_TRACE_EVENTS]);
    // The first relay is on the event's row; relays that carried a copy later are in nostr_event_relays.
    const relays = new Map<number, string[]>(rows.map((row) => [row[0] as number, row[1] === null ? [] : [row[1] as string]]));
    for (const [seq, url] of this.sql.rows(`SELECT r.seq, l.url FROM nostr_event_relays r JOIN nostr_relays l ON l.id = r.relay_id
      WHERE r.seq IN (SELECT seq FROM nostr_events WHERE job_id = ?1 OR id = ?1)`, [key])) {
      relays.get(seq as number)?.push(url as string);
    }
    const items = rows.map((row) => ({ item: this.traceEvent(eventFromRow(row.slice(2)), relays.get(row[0] as number) ?? []), seq: row[0] as number }));
    // Events of one job often share a created_at second: the job's stage breaks the tie, then arrival order.
    items.sort((a, b) => a.item.createdAt - b.item.createdAt || stageOf(a.item) - stageOf(b.item) || a.seq - b.seq);
    return items.map(({ item }) => item);
  }

  private traceEvent(event: NostrEvent, relays: string[]): TraceEvent {
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

  private chain(start: string, direction: 'parents' | 'children', names: ReadonlyMap<number, string>): ChainLink[] {
    const query = direction === 'parents'
      ? 'SELECT lower(hex(parent_id)) AS next FROM nostr_job_links WHERE child_id = unhex(?)'
      : 'SELECT lower(hex(child_id)) AS next FROM nostr_job_links WHERE parent_id = unhex(?)';
    const links: ChainLink[] = [];
    const seen = new Set([start]);
    let frontier = [start];
    for (let depth = 1; depth <= MAX_CHAIN_DEPTH && frontier.length > 0; depth++) {
      const next: string[] = [];
      for (const from of frontier) {
        for (const id of this.sql.column<string>(query, [from])) {
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

  private dvms(requestId: string, cancelled: boolean): TraceDvm[] {
    const rows = this.sql.all<{ dvm: string; status: string | null; response_sec: number | null; feedback_sec: number | null; requested_msats: number; amount_mismatch: number; proven_msats: number }>(
      'SELECT lower(hex(dvm)) AS dvm, status, response_sec, feedback_sec, requested_msats, amount_mismatch, proven_msats FROM nostr_job_dvms WHERE request_id = unhex(?) ORDER BY first_at', [requestId]);
    const targeted = this.sql.column<string>('SELECT lower(hex(dvm)) FROM nostr_job_targets WHERE request_id = unhex(?)', [requestId]).filter((dvm) => !rows.some((row) => row.dvm === dvm));
    const describe = (pubkey: string) => {
      const name = displayName(this.sql, pubkey);
      return { pubkey, npub: npub(pubkey), ...(name ? { name } : {}) };
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
}

/** Request, then the job statuses in NIP-90 order, then payments and deletions. */
function stageOf(item: TraceEvent): number {
  if (item.role === 'request') return 0;
  if (item.role === 'zap') return 20;
  if (item.role === 'deletion') return 21;
  if (item.status && item.role === 'feedback' && ['payment-required', 'processing', 'partial', 'error', 'success'].includes(item.status)) {
    return statusRank(item.status as 'payment-required');
  }
  if (item.role === 'result') return statusRank('result-delivered');
  return 10;
}
