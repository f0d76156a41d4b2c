import type {
  ClassifiedEvent, DeletionInfo, HandlerInfo, MetadataInfo, RequestInfo, ResponseInfo, ZapInfo,
} from './eventClassifier';
import { announcedRelays } from './announcedRelays';
import { statusRank } from './eventClassifier';
import type { SqlValue } from 'sql.js';
import { idBytes, idHex } from './hexIds';
import { IdFilter } from './idFilter';
import { isResultKind, type NostrEvent } from './nostrEvent';
import type { PreparedStatements } from './preparedStatements';
import { parseProfileContent } from './profileContent';
import type { LatencyMetric, Tally } from './tally';

/** What a batch touched, for the `nostr.changed` notification. */
export interface ChangeSet {
  readonly dvms: Set<string>;
  readonly kinds: Set<number>;
  readonly jobs: Set<string>;
}

export function emptyChangeSet(): ChangeSet {
  return { dvms: new Set(), kinds: new Set(), jobs: new Set() };
}

/** The request kind recorded while a job's request has not arrived and nothing else names its kind. */
export const UNKNOWN_KIND = -1;

/** nostr_job_dvms, one (job, DVM) pair, as the assembler reads and rewrites it. */
interface Pair {
  kind: number;
  first_at: number;
  last_at: number;
  status: string | null;
  status_at: number | null;
  status_rank: number;
  results: number;
  feedback: number;
  first_result_at: number | null;
  first_feedback_at: number | null;
  succeeded: number;
  errored: number;
  requested_msats: number;
  requested_at: number | null;
  amount_mismatch: number;
  proven_msats: number;
  response_sec: number | null;
  feedback_sec: number | null;
}

const PAIR_COLUMNS: readonly (keyof Pair)[] = [
  'kind', 'first_at', 'last_at', 'status', 'status_at', 'status_rank', 'results', 'feedback', 'first_result_at', 'first_feedback_at',
  'succeeded', 'errored', 'requested_msats', 'requested_at', 'amount_mismatch', 'proven_msats', 'response_sec', 'feedback_sec',
];

/** The job (kind, created_at) and the pair in one statement: both are primary-key lookups. */
const JOB_AND_PAIR_SQL = `SELECT j.kind, j.created_at, ${PAIR_COLUMNS.map((column) => `p.${column}`).join(', ')}
  FROM (SELECT ?1 AS request_id, ?2 AS dvm) AS x
  LEFT JOIN nostr_jobs j ON j.request_id = x.request_id
  LEFT JOIN nostr_job_dvms p ON p.request_id = x.request_id AND p.dvm = x.dvm`;
const INSERT_PAIR_SQL = `INSERT INTO nostr_job_dvms (${PAIR_COLUMNS.join(', ')}, request_id, dvm)
  VALUES (${PAIR_COLUMNS.map(() => '?').join(', ')}, ?, ?)`;
const UPDATE_PAIR_SQL = `UPDATE nostr_job_dvms SET ${PAIR_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE request_id = ? AND dvm = ?`;
/** Columns that indexes hold: an update that leaves them alone skips rewriting those index entries. */
const INDEXED_PAIR_COLUMNS: readonly (keyof Pair)[] = ['first_at', 'response_sec'];
const STATE_COLUMNS = PAIR_COLUMNS.filter((column) => !INDEXED_PAIR_COLUMNS.includes(column));
const UPDATE_PAIR_STATE_SQL = `UPDATE nostr_job_dvms SET ${STATE_COLUMNS.map((column) => `${column} = ?`).join(', ')} WHERE request_id = ? AND dvm = ?`;

/**
 * NIP-90 job assembly (DESIGN.md "Nostr: definitions"): applies one validated, classified, first-seen event to
 * the job tables and the tallies. Order-independent: a result or feedback may come before its request, a
 * deletion before what it deletes, a zap before the event it pays; each side links the other when it arrives.
 * Runs inside the ingest batch's transaction. Per event it reads and writes each row it needs once; what many
 * events share (DVMs, users, kinds, rollups) goes through the Tally and is written once per batch.
 */
export class JobAssembler {
  /** Hex ids of events that zap receipts named before the event arrived (nostr_zaps with no job yet). */
  private pendingZapTargets = new Set<string>();
  /**
   * Requests that responses or deletions named before the request arrived. Most requests come first, and these
   * filters spare them the lookup. Rebuilt at start; between starts they grow by one entry per early response.
   */
  private earlyResponses = new IdFilter();
  private earlyDeletions = new IdFilter();

  constructor(
    private readonly sql: PreparedStatements,
    private readonly tally: Tally,
  ) {
    this.reloadPending();
  }

  /** Rebuilds what the assembler keeps in memory from the tables (at start, after a failed batch). */
  reloadPending(): void {
    this.reloadZaps();
    this.earlyResponses = new IdFilter();
    for (const [prefix] of this.sql.rows(`SELECT DISTINCT hex(substr(request_id, 1, 6)) FROM nostr_job_dvms p
      WHERE NOT EXISTS (SELECT 1 FROM nostr_jobs j WHERE j.request_id = p.request_id)`)) this.earlyResponses.addPrefixHex(prefix as string);
    this.earlyDeletions = new IdFilter();
    for (const [prefix] of this.sql.rows('SELECT DISTINCT hex(substr(target_id, 1, 6)) FROM nostr_deletions')) this.earlyDeletions.addPrefixHex(prefix as string);
  }

  /** Re-reads the pending zap targets (after retention removed zaps). */
  reloadZaps(): void {
    this.pendingZapTargets = new Set(this.sql.rows('SELECT DISTINCT target_id FROM nostr_zaps WHERE request_id IS NULL AND target_id IS NOT NULL').map((row) => idHex(row[0])));
  }

  /** Applies the event and returns the job it belongs to (stored with the raw event), if any. */
  apply(info: ClassifiedEvent, changes: ChangeSet): string | undefined {
    switch (info.role) {
      case 'request': return this.applyRequest(info, changes);
      case 'result':
      case 'feedback': return this.applyResponse(info, changes);
      case 'deletion': return this.applyDeletion(info, changes);
      case 'zap': return this.applyZap(info, changes);
      case 'heartbeat':
        this.sql.run('INSERT INTO nostr_heartbeats (pubkey, last_at) VALUES (?, ?) ON CONFLICT (pubkey) DO UPDATE SET last_at = max(last_at, excluded.last_at)',
          [idBytes(info.event.pubkey), info.event.created_at]);
        changes.dvms.add(info.event.pubkey);
        return undefined;
      case 'handler': return this.applyHandler(info, changes);
      case 'metadata': return this.applyMetadata(info, changes);
    }
  }

  private applyRequest(info: RequestInfo, changes: ChangeSet): string {
    const { event } = info;
    const at = event.created_at;
    const id = idBytes(event.id);
    const customer = idBytes(event.pubkey);
    // Did responses or the author's deletion come first? Usually not, and the filters say so without a lookup.
    const before = this.earlyResponses.mayHave(event.id) || this.earlyDeletions.mayHave(event.id)
      ? this.sql.row(`SELECT EXISTS (SELECT 1 FROM nostr_job_dvms WHERE request_id = ?1),
        (SELECT min(created_at) FROM nostr_deletions WHERE target_id = ?1 AND deleter = ?2)`, [id, customer])
      : undefined;
    // NIP-09: only the request's own author can cancel it.
    this.sql.run('INSERT OR IGNORE INTO nostr_jobs (request_id, kind, customer, created_at, encrypted, scheme, cancelled_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [id, event.kind, customer, at, info.encrypted ? 1 : 0, info.scheme ?? null, (before?.[1] as number | null) ?? null]);
    for (const dvm of info.targets) {
      this.sql.run('INSERT OR IGNORE INTO nostr_job_targets (request_id, dvm, created_at) VALUES (?, ?, ?)', [id, idBytes(dvm), at]);
      changes.dvms.add(dvm);
    }
    for (const parent of info.parents) {
      this.sql.run('INSERT OR IGNORE INTO nostr_job_links (child_id, parent_id, created_at) VALUES (?, ?, ?)', [id, idBytes(parent), at]);
      changes.jobs.add(parent);
    }
    this.tally.counter('requests', 1);
    if (info.encrypted) this.tally.counter('encrypted', 1);
    this.tally.kind(event.kind, { requests: 1 });
    this.tally.rollup(at, event.kind, '', { requests: 1, encrypted: info.encrypted ? 1 : 0 });
    this.tally.request(event.pubkey, event.kind, at);
    if (before?.[0] === 1) this.linkEarlierResponses(event, id, changes);
    changes.kinds.add(event.kind);
    changes.jobs.add(event.id);
    return event.id;
  }

  /** Responses that came first: they now learn their kind and response times (rollups already written keep kind -1). */
  private linkEarlierResponses(event: NostrEvent, id: Uint8Array, changes: ChangeSet): void {
    const at = event.created_at;
    for (const row of this.sql.rows('SELECT dvm, first_at, first_result_at, first_feedback_at, response_sec, feedback_sec FROM nostr_job_dvms WHERE request_id = ?', [id])) {
      const dvm = idHex(row[0]);
      const firstAt = row[1] as number;
      const response = row[2] === null ? null : Math.max(0, (row[2] as number) - at);
      const feedback = row[3] === null ? null : Math.max(0, (row[3] as number) - at);
      this.moveLatency('r', firstAt, row[4] as number | null, firstAt, response);
      this.moveLatency('f', firstAt, row[5] as number | null, firstAt, feedback);
      this.sql.run('UPDATE nostr_job_dvms SET kind = ?, response_sec = ?, feedback_sec = ? WHERE request_id = ? AND dvm = ?', [event.kind, response, feedback, id, row[0]]);
      this.tally.kindDvm(event.kind, dvm);
      changes.dvms.add(dvm);
    }
  }

  private applyResponse(info: ResponseInfo, changes: ChangeSet): string | undefined {
    const { event } = info;
    const dvm = event.pubkey;
    const at = event.created_at;
    const isResult = info.role === 'result';
    this.tally.seeDvm(dvm, at, true);
    this.tally.counter(isResult ? 'results' : 'feedback', 1);
    this.tally.dvm(dvm, isResult ? { results: 1 } : { feedback: 1 });
    changes.dvms.add(dvm);

    const requestId = info.requestId;
    const row = requestId ? this.sql.row(JOB_AND_PAIR_SQL, [idBytes(requestId), idBytes(dvm)]) : undefined;
    const job = row && row[0] !== null ? { kind: row[0] as number, created_at: row[1] as number } : undefined;
    const kind = job?.kind ?? info.requestKind ?? UNKNOWN_KIND;
    if (kind !== UNKNOWN_KIND) {
      this.tally.kind(kind, isResult ? { results: 1 } : { feedback: 1 });
      this.tally.kindDvm(kind, dvm);
      changes.kinds.add(kind);
    }
    this.tally.rollup(at, kind, dvm, isResult ? { results: 1 } : { feedback: 1 });
    if (!requestId || !row) return undefined;

    changes.jobs.add(requestId);
    const stored = row[3] !== null ? pairFromRow(row) : undefined;
    const old: Pair = stored ?? {
      kind, first_at: at, last_at: at, status: null, status_at: null, status_rank: 0, results: 0, feedback: 0,
      first_result_at: null, first_feedback_at: null, succeeded: 0, errored: 0, requested_msats: 0, requested_at: null,
      amount_mismatch: 0, proven_msats: 0, response_sec: null, feedback_sec: null,
    };
    if (!stored) {
      if (!job) this.earlyResponses.add(requestId);
      this.tally.dvm(dvm, { jobs: 1 });
      this.tally.counter('answered', 1);
      this.tally.rollup(at, kind, dvm, { answered: 1 });
    }
    const pair: Pair = { ...old };
    if (old.kind === UNKNOWN_KIND && kind !== UNKNOWN_KIND) pair.kind = kind;
    pair.first_at = Math.min(old.first_at, at);
    pair.last_at = Math.max(old.last_at, at);
    if (isResult) {
      pair.results = old.results + 1;
      pair.first_result_at = Math.min(old.first_result_at ?? at, at);
    } else {
      pair.feedback = old.feedback + 1;
      pair.first_feedback_at = Math.min(old.first_feedback_at ?? at, at);
    }
    // Latest status wins; within one second the later stage of the job does (see JOB_STATUSES).
    if (info.status) {
      const rank = statusRank(info.status);
      if (old.status_at === null || at > old.status_at || (at === old.status_at && rank >= old.status_rank)) {
        pair.status = info.status;
        pair.status_at = at;
        pair.status_rank = rank;
      }
    }
    const sats = { requested: 0, earned: 0 };
    if ((info.status === 'result-delivered' || info.status === 'success') && !old.succeeded) {
      pair.succeeded = 1;
      this.countOnce(at, old.kind === UNKNOWN_KIND ? kind : old.kind, dvm, 'successes');
    }
    if (info.status === 'error' && !old.errored) {
      pair.errored = 1;
      this.countOnce(at, kind, dvm, 'errors');
    }
    // Requested = the amount of the latest payment-required feedback (a re-quote replaces the earlier one).
    if (info.status === 'payment-required' && info.amount.msats !== undefined && (old.requested_at === null || at >= old.requested_at)) {
      sats.requested = info.amount.msats - old.requested_msats;
      pair.requested_msats = info.amount.msats;
      pair.requested_at = at;
      pair.amount_mismatch = info.amount.mismatch ? 1 : 0;
      if (old.results > 0) sats.earned += sats.requested;
    }
    // Earned (DVMDash's estimate): what was requested on jobs where the same DVM delivered a result.
    if (isResult && old.results === 0 && old.requested_msats > 0) sats.earned += old.requested_msats;
    if (job) {
      // Response times against the request (clamped at 0: clocks of customers and DVMs disagree by seconds).
      pair.response_sec = pair.first_result_at === null ? null : Math.max(0, pair.first_result_at - job.created_at);
      pair.feedback_sec = pair.first_feedback_at === null ? null : Math.max(0, pair.first_feedback_at - job.created_at);
    }
    this.moveLatency('r', old.first_at, stored ? old.response_sec : null, pair.first_at, pair.response_sec);
    this.moveLatency('f', old.first_at, stored ? old.feedback_sec : null, pair.first_at, pair.feedback_sec);
    const key = [idBytes(requestId), idBytes(dvm)];
    if (!stored) this.sql.run(INSERT_PAIR_SQL, [...PAIR_COLUMNS.map((column) => pair[column]), ...key]);
    else if (INDEXED_PAIR_COLUMNS.every((column) => pair[column] === old[column])) this.sql.run(UPDATE_PAIR_STATE_SQL, [...STATE_COLUMNS.map((column) => pair[column]), ...key]);
    else this.sql.run(UPDATE_PAIR_SQL, [...PAIR_COLUMNS.map((column) => pair[column]), ...key]);
    if (sats.requested !== 0 || sats.earned !== 0) {
      this.tally.counter('sats_requested', sats.requested);
      this.tally.counter('sats_earned', sats.earned);
      this.tally.dvm(dvm, { sats_requested: sats.requested, sats_earned: sats.earned });
      this.tally.rollup(at, kind, dvm, { sats_requested: sats.requested, sats_earned: sats.earned });
    }
    if (this.pendingZapTargets.has(event.id)) this.linkPendingZaps(event, requestId, kind);
    return requestId;
  }

  /** A pair's response time moved (or appeared): the histograms follow (Tally.latency). */
  private moveLatency(metric: LatencyMetric, oldFirstAt: number, oldSeconds: number | null, newFirstAt: number, newSeconds: number | null): void {
    if (oldFirstAt === newFirstAt && oldSeconds === newSeconds) return;
    this.tally.latency(metric, oldFirstAt, oldSeconds, -1);
    this.tally.latency(metric, newFirstAt, newSeconds, 1);
  }

  private countOnce(at: number, kind: number, dvm: string, field: 'successes' | 'errors'): void {
    this.tally.counter(field, 1);
    this.tally.dvm(dvm, { [field]: 1 });
    this.tally.rollup(at, kind, dvm, { [field]: 1 });
  }

  /** Zap receipts that came before the feedback/result they pay. */
  private linkPendingZaps(event: NostrEvent, requestId: string, kind: number): void {
    this.pendingZapTargets.delete(event.id);
    const zaps = this.sql.rows('SELECT id, msats, created_at FROM nostr_zaps WHERE target_id = ? AND request_id IS NULL', [idBytes(event.id)]);
    for (const [zapId, msats, createdAt] of zaps) {
      this.sql.run('UPDATE nostr_zaps SET request_id = ?, dvm = ? WHERE id = ?', [idBytes(requestId), idBytes(event.pubkey), zapId]);
      this.sql.run('UPDATE nostr_events SET job_id = ? WHERE id = ?', [idBytes(requestId), zapId]);
      this.creditProof(requestId, event.pubkey, kind, msats as number, createdAt as number);
    }
  }

  private creditProof(requestId: string, dvm: string, kind: number, msats: number, at: number): void {
    this.sql.run('UPDATE nostr_job_dvms SET proven_msats = proven_msats + ? WHERE request_id = ? AND dvm = ?', [msats, idBytes(requestId), idBytes(dvm)]);
    this.tally.counter('sats_proven', msats);
    this.tally.dvm(dvm, { sats_proven: msats });
    this.tally.rollup(at, kind, dvm, { sats_proven: msats });
  }

  private applyDeletion(info: DeletionInfo, changes: ChangeSet): string | undefined {
    const { event } = info;
    const deleter = idBytes(event.pubkey);
    for (const target of info.targets) {
      const targetId = idBytes(target);
      this.earlyDeletions.add(target);
      this.sql.run('INSERT OR IGNORE INTO nostr_deletions (target_id, event_id, deleter, created_at) VALUES (?, ?, ?, ?)', [targetId, idBytes(event.id), deleter, event.created_at]);
      // NIP-09: a deletion only counts when it comes from the author of what it deletes.
      this.sql.run('UPDATE nostr_jobs SET cancelled_at = min(coalesce(cancelled_at, ?), ?) WHERE request_id = ? AND customer = ?',
        [event.created_at, event.created_at, targetId, deleter]);
      if (this.sql.changes() > 0) changes.jobs.add(target);
    }
    return info.targets[0];
  }

  private applyZap(info: ZapInfo, changes: ChangeSet): string | undefined {
    const { event } = info;
    const msats = info.msats ?? 0;
    let requestId: string | undefined;
    let dvm: string | undefined;
    if (info.targetId) {
      const target = this.sql.row('SELECT pubkey, kind, job_id FROM nostr_events WHERE id = ?', [idBytes(info.targetId)]);
      const targetKind = target?.[1] as number | undefined;
      if (target && target[2] !== null && targetKind !== undefined && (targetKind === 7000 || isResultKind(targetKind))) {
        requestId = idHex(target[2]);
        dvm = idHex(target[0]);
      } else if (info.recipient && this.sql.row('SELECT 1 FROM nostr_jobs WHERE request_id = ?', [idBytes(info.targetId)])) {
        requestId = info.targetId;
        dvm = info.recipient;
      }
    }
    this.sql.run('INSERT OR IGNORE INTO nostr_zaps (id, target_id, recipient, msats, created_at, request_id, dvm) VALUES (?, ?, ?, ?, ?, ?, ?)', [
      idBytes(event.id), info.targetId ? idBytes(info.targetId) : null, info.recipient ? idBytes(info.recipient) : null, msats, event.created_at,
      requestId ? idBytes(requestId) : null, dvm ? idBytes(dvm) : null,
    ]);
    if (requestId && dvm) {
      const kind = (this.sql.row('SELECT kind FROM nostr_job_dvms WHERE request_id = ? AND dvm = ?', [idBytes(requestId), idBytes(dvm)])?.[0] as number | undefined) ?? UNKNOWN_KIND;
      this.creditProof(requestId, dvm, kind, msats, event.created_at);
      changes.jobs.add(requestId);
      changes.dvms.add(dvm);
    } else if (info.targetId) {
      this.pendingZapTargets.add(info.targetId);
    }
    return requestId;
  }

  private applyHandler(info: HandlerInfo, changes: ChangeSet): undefined {
    const { event } = info;
    const pubkey = idBytes(event.pubkey);
    const existing = this.sql.row('SELECT created_at FROM nostr_profiles WHERE pubkey = ? AND d = ?', [pubkey, info.d]);
    // NIP-01 addressable events: the newest per (pubkey, kind, d) replaces the rest.
    if (existing && (existing[0] as number) >= event.created_at) return undefined;
    const fields = parseProfileContent(event.content);
    this.sql.run(`INSERT OR REPLACE INTO nostr_profiles (pubkey, d, created_at, event_id, name, about, picture, lud16, encryption_supported, cashu_accepted, nip90_params, kinds, relays)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      pubkey, info.d, event.created_at, idBytes(event.id), fields?.name ?? null, fields?.about ?? null, fields?.picture ?? null, fields?.lud16 ?? null,
      bit(fields?.encryptionSupported), bit(fields?.cashuAccepted), fields?.nip90Params ?? null, JSON.stringify(info.jobKinds), JSON.stringify(announcedRelays(event)),
    ]);
    if (info.jobKinds.length > 0) {
      this.tally.seeDvm(event.pubkey, event.created_at, false);
      changes.dvms.add(event.pubkey);
      for (const kind of info.jobKinds) changes.kinds.add(kind);
    }
    return undefined;
  }

  private applyMetadata(info: MetadataInfo, changes: ChangeSet): undefined {
    const { event } = info;
    const pubkey = idBytes(event.pubkey);
    const existing = this.sql.row('SELECT created_at FROM nostr_metadata WHERE pubkey = ?', [pubkey]);
    if (existing && (existing[0] as number) >= event.created_at) return undefined;
    const fields = parseProfileContent(event.content);
    this.sql.run('INSERT OR REPLACE INTO nostr_metadata (pubkey, created_at, event_id, name, about, picture, lud16) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [pubkey, event.created_at, idBytes(event.id), fields?.name ?? null, fields?.about ?? null, fields?.picture ?? null, fields?.lud16 ?? null]);
    changes.dvms.add(event.pubkey);
    return undefined;
  }
}

function pairFromRow(row: readonly SqlValue[]): Pair {
  const pair = {} as Record<keyof Pair, SqlValue>;
  PAIR_COLUMNS.forEach((column, index) => {
    pair[column] = row[index + 2];
  });
  return pair as unknown as Pair;
}

function bit(value: boolean | undefined): number | null {
  return value === undefined ? null : value ? 1 : 0;
}
