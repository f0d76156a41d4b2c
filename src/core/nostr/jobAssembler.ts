import type {
  ClassifiedEvent, DeletionInfo, HandlerInfo, MetadataInfo, RequestInfo, ResponseInfo, ZapInfo,
} from './eventClassifier';
import { statusRank } from './eventClassifier';
import { isResultKind, type NostrEvent } from './nostrEvent';
import type { PreparedStatements } from './preparedStatements';
import { parseProfileContent } from './profileContent';
import type { Tally } from './tally';

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

interface PairRow {
  [column: string]: number | string | null;
  kind: number;
  results: number;
  status_at: number | null;
  status_rank: number;
  succeeded: number;
  errored: number;
  requested_msats: number;
  requested_at: number | null;
}

/**
 * NIP-90 job assembly (DESIGN.md "Nostr: definitions"): applies one validated, classified, first-seen event to
 * the job tables and the tallies. Order-independent: a result or feedback may come before its request, a
 * deletion before what it deletes, a zap before the event it pays; each side links the other when it arrives.
 * Runs inside the ingest batch's transaction.
 */
export class JobAssembler {
  constructor(
    private readonly sql: PreparedStatements,
    private readonly tally: Tally,
  ) {}

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
          [info.event.pubkey, info.event.created_at]);
        changes.dvms.add(info.event.pubkey);
        return undefined;
      case 'handler': return this.applyHandler(info, changes);
      case 'metadata': return this.applyMetadata(info, changes);
    }
  }

  private applyRequest(info: RequestInfo, changes: ChangeSet): string {
    const { event } = info;
    const at = event.created_at;
    this.sql.run('INSERT OR IGNORE INTO nostr_jobs (request_id, kind, customer, created_at, encrypted, scheme) VALUES (?, ?, ?, ?, ?, ?)',
      [event.id, event.kind, event.pubkey, at, info.encrypted ? 1 : 0, info.scheme ?? null]);
    for (const dvm of info.targets) {
      this.sql.run('INSERT OR IGNORE INTO nostr_job_targets (request_id, dvm, created_at) VALUES (?, ?, ?)', [event.id, dvm, at]);
      changes.dvms.add(dvm);
    }
    for (const parent of info.parents) {
      this.sql.run('INSERT OR IGNORE INTO nostr_job_links (child_id, parent_id, created_at) VALUES (?, ?, ?)', [event.id, parent, at]);
      changes.jobs.add(parent);
    }
    this.tally.counter('requests', 1);
    if (info.encrypted) this.tally.counter('encrypted', 1);
    this.tally.kind(event.kind, { requests: 1 });
    this.tally.rollup(at, event.kind, '', { requests: 1, encrypted: info.encrypted ? 1 : 0 });
    this.sql.run(`INSERT INTO nostr_users (pubkey, requests, first_seen) VALUES (?, 1, ?)
      ON CONFLICT (pubkey) DO UPDATE SET requests = requests + 1, first_seen = min(first_seen, excluded.first_seen)`, [event.pubkey, at]);
    this.sql.run('INSERT OR IGNORE INTO nostr_kind_users (kind, pubkey) VALUES (?, ?)', [event.kind, event.pubkey]);

    // Responses that came first: they now learn their kind (rollups already written keep kind -1).
    for (const dvm of this.sql.column<string>('SELECT dvm FROM nostr_job_dvms WHERE request_id = ?', [event.id])) {
      changes.dvms.add(dvm);
      this.sql.run('INSERT OR IGNORE INTO nostr_kind_dvms (kind, dvm) VALUES (?, ?)', [event.kind, dvm]);
    }
    this.sql.run(`UPDATE nostr_job_dvms SET kind = ?, response_sec = max(0, first_result_at - ?), feedback_sec = max(0, first_feedback_at - ?)
      WHERE request_id = ?`, [event.kind, at, at, event.id]);
    // A deletion that came first: only the request's own author can cancel it.
    const deletion = this.sql.get<{ at: number | null }>('SELECT min(created_at) AS at FROM nostr_deletions WHERE target_id = ? AND deleter = ?', [event.id, event.pubkey]);
    if (deletion?.at != null) this.sql.run('UPDATE nostr_jobs SET cancelled_at = ? WHERE request_id = ?', [deletion.at, event.id]);

    changes.kinds.add(event.kind);
    changes.jobs.add(event.id);
    return event.id;
  }

  private applyResponse(info: ResponseInfo, changes: ChangeSet): string | undefined {
    const { event } = info;
    const dvm = event.pubkey;
    const at = event.created_at;
    const isResult = info.role === 'result';
    this.ensureDvm(dvm, at);
    this.sql.run('UPDATE nostr_dvms SET last_answer_at = max(coalesce(last_answer_at, 0), ?) WHERE pubkey = ?', [at, dvm]);
    this.tally.counter(isResult ? 'results' : 'feedback', 1);
    this.tally.dvm(dvm, isResult ? { results: 1 } : { feedback: 1 });
    changes.dvms.add(dvm);

    const requestId = info.requestId;
    const job = requestId ? this.sql.get<{ kind: number; created_at: number }>('SELECT kind, created_at FROM nostr_jobs WHERE request_id = ?', [requestId]) : undefined;
    const kind = job?.kind ?? info.requestKind ?? UNKNOWN_KIND;
    if (kind !== UNKNOWN_KIND) {
      this.tally.kind(kind, isResult ? { results: 1 } : { feedback: 1 });
      this.sql.run('INSERT OR IGNORE INTO nostr_kind_dvms (kind, dvm) VALUES (?, ?)', [kind, dvm]);
      changes.kinds.add(kind);
    }
    this.tally.rollup(at, kind, dvm, isResult ? { results: 1 } : { feedback: 1 });
    if (!requestId) return undefined;

    changes.jobs.add(requestId);
    let pair = this.sql.get<PairRow>('SELECT kind, results, status_at, status_rank, succeeded, errored, requested_msats, requested_at FROM nostr_job_dvms WHERE request_id = ? AND dvm = ?', [requestId, dvm]);
    if (!pair) {
      this.sql.run('INSERT INTO nostr_job_dvms (request_id, dvm, kind, first_at, last_at) VALUES (?, ?, ?, ?, ?)', [requestId, dvm, kind, at, at]);
      pair = { kind, results: 0, status_at: null, status_rank: 0, succeeded: 0, errored: 0, requested_msats: 0, requested_at: null };
      this.tally.dvm(dvm, { jobs: 1 });
      this.tally.counter('answered', 1);
      this.tally.rollup(at, kind, dvm, { answered: 1 });
    } else if (pair.kind === UNKNOWN_KIND && kind !== UNKNOWN_KIND) {
      this.sql.run('UPDATE nostr_job_dvms SET kind = ? WHERE request_id = ? AND dvm = ?', [kind, requestId, dvm]);
    }

    const updates: string[] = ['first_at = min(first_at, ?)', 'last_at = max(last_at, ?)'];
    const params: (number | string)[] = [at, at];
    if (isResult) {
      updates.push('results = results + 1', 'first_result_at = min(coalesce(first_result_at, ?), ?)');
      params.push(at, at);
    } else {
      updates.push('feedback = feedback + 1', 'first_feedback_at = min(coalesce(first_feedback_at, ?), ?)');
      params.push(at, at);
    }
    // Latest status wins; within one second the later stage of the job does (see JOB_STATUSES).
    if (info.status) {
      const rank = statusRank(info.status);
      if (pair.status_at === null || at > pair.status_at || (at === pair.status_at && rank >= pair.status_rank)) {
        updates.push('status = ?', 'status_at = ?', 'status_rank = ?');
        params.push(info.status, at, rank);
      }
    }
    const sats = { requested: 0, earned: 0 };
    if ((info.status === 'result-delivered' || info.status === 'success') && !pair.succeeded) {
      updates.push('succeeded = 1');
      this.countOnce(at, pair.kind === UNKNOWN_KIND ? kind : pair.kind, dvm, 'successes');
    }
    if (info.status === 'error' && !pair.errored) {
      updates.push('errored = 1');
      this.countOnce(at, kind, dvm, 'errors');
    }
    // Requested = the amount of the latest payment-required feedback (a re-quote replaces the earlier one).
    if (info.status === 'payment-required' && info.amount.msats !== undefined && (pair.requested_at === null || at >= pair.requested_at)) {
      sats.requested = info.amount.msats - pair.requested_msats;
      updates.push('requested_msats = ?', 'requested_at = ?', 'amount_mismatch = ?');
      params.push(info.amount.msats, at, info.amount.mismatch ? 1 : 0);
      if (pair.results > 0) sats.earned += sats.requested;
    }
    // Earned (DVMDash's estimate): what was requested on jobs where the same DVM delivered a result.
    if (isResult && pair.results === 0 && pair.requested_msats > 0) sats.earned += pair.requested_msats;
    params.push(requestId, dvm);
    this.sql.run(`UPDATE nostr_job_dvms SET ${updates.join(', ')} WHERE request_id = ? AND dvm = ?`, params);
    if (job) {
      // Response times against the request (clamped at 0: clocks of customers and DVMs disagree by seconds).
      this.sql.run('UPDATE nostr_job_dvms SET response_sec = max(0, first_result_at - ?), feedback_sec = max(0, first_feedback_at - ?) WHERE request_id = ? AND dvm = ?',
        [job.created_at, job.created_at, requestId, dvm]);
    }
    if (sats.requested !== 0 || sats.earned !== 0) {
      this.tally.counter('sats_requested', sats.requested);
      this.tally.counter('sats_earned', sats.earned);
      this.tally.dvm(dvm, { sats_requested: sats.requested, sats_earned: sats.earned });
      this.tally.rollup(at, kind, dvm, { sats_requested: sats.requested, sats_earned: sats.earned });
    }
    this.linkPendingZaps(event, requestId, kind);
    return requestId;
  }

  private countOnce(at: number, kind: number, dvm: string, field: 'successes' | 'errors'): void {
    this.tally.counter(field, 1);
    this.tally.dvm(dvm, { [field]: 1 });
    this.tally.rollup(at, kind, dvm, { [field]: 1 });
  }

  /** Zap receipts that came before the feedback/result they pay. */
  private linkPendingZaps(event: NostrEvent, requestId: string, kind: number): void {
    const zaps = this.sql.all<{ id: string; msats: number; created_at: number }>('SELECT id, msats, created_at FROM nostr_zaps WHERE target_id = ? AND request_id IS NULL', [event.id]);
    for (const zap of zaps) {
      this.sql.run('UPDATE nostr_zaps SET request_id = ?, dvm = ? WHERE id = ?', [requestId, event.pubkey, zap.id]);
      this.sql.run('UPDATE nostr_events SET job_id = ? WHERE id = ?', [requestId, zap.id]);
      this.creditProof(requestId, event.pubkey, kind, zap.msats, zap.created_at);
    }
  }

  private creditProof(requestId: string, dvm: string, kind: number, msats: number, at: number): void {
    this.sql.run('UPDATE nostr_job_dvms SET proven_msats = proven_msats + ? WHERE request_id = ? AND dvm = ?', [msats, requestId, dvm]);
    this.tally.counter('sats_proven', msats);
    this.tally.dvm(dvm, { sats_proven: msats });
    this.tally.rollup(at, kind, dvm, { sats_proven: msats });
  }

  private applyDeletion(info: DeletionInfo, changes: ChangeSet): string | undefined {
    const { event } = info;
    for (const target of info.targets) {
      this.sql.run('INSERT OR IGNORE INTO nostr_deletions (target_id, event_id, deleter, created_at) VALUES (?, ?, ?, ?)', [target, event.id, event.pubkey, event.created_at]);
      // NIP-09: a deletion only counts when it comes from the author of what it deletes.
      this.sql.run('UPDATE nostr_jobs SET cancelled_at = min(coalesce(cancelled_at, ?), ?) WHERE request_id = ? AND customer = ?',
        [event.created_at, event.created_at, target, event.pubkey]);
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
      const target = this.sql.get<{ pubkey: string; kind: number; job_id: string | null }>('SELECT pubkey, kind, job_id FROM nostr_events WHERE id = ?', [info.targetId]);
      if (target?.job_id && (target.kind === 7000 || isResultKind(target.kind))) {
        requestId = target.job_id;
        dvm = target.pubkey;
      } else if (info.recipient && this.sql.get('SELECT 1 AS found FROM nostr_jobs WHERE request_id = ?', [info.targetId])) {
        requestId = info.targetId;
        dvm = info.recipient;
      }
    }
    this.sql.run('INSERT OR IGNORE INTO nostr_zaps (id, target_id, recipient, msats, created_at, request_id, dvm) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [event.id, info.targetId ?? null, info.recipient ?? null, msats, event.created_at, requestId ?? null, dvm ?? null]);
    if (requestId && dvm) {
      const kind = this.sql.get<{ kind: number }>('SELECT kind FROM nostr_job_dvms WHERE request_id = ? AND dvm = ?', [requestId, dvm])?.kind ?? UNKNOWN_KIND;
      this.creditProof(requestId, dvm, kind, msats, event.created_at);
      changes.jobs.add(requestId);
      changes.dvms.add(dvm);
    }
    return requestId;
  }

  private applyHandler(info: HandlerInfo, changes: ChangeSet): undefined {
    const { event } = info;
    const existing = this.sql.get<{ created_at: number }>('SELECT created_at FROM nostr_profiles WHERE pubkey = ? AND d = ?', [event.pubkey, info.d]);
    // NIP-01 addressable events: the newest per (pubkey, kind, d) replaces the rest.
    if (existing && existing.created_at >= event.created_at) return undefined;
    const fields = parseProfileContent(event.content);
    this.sql.run(`INSERT OR REPLACE INTO nostr_profiles (pubkey, d, created_at, event_id, name, about, picture, lud16, encryption_supported, cashu_accepted, nip90_params, kinds)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      event.pubkey, info.d, event.created_at, event.id, fields?.name ?? null, fields?.about ?? null, fields?.picture ?? null, fields?.lud16 ?? null,
      bit(fields?.encryptionSupported), bit(fields?.cashuAccepted), fields?.nip90Params ?? null, JSON.stringify(info.jobKinds),
    ]);
    if (info.jobKinds.length > 0) {
      this.ensureDvm(event.pubkey, event.created_at);
      changes.dvms.add(event.pubkey);
      for (const kind of info.jobKinds) changes.kinds.add(kind);
    }
    return undefined;
  }

  private applyMetadata(info: MetadataInfo, changes: ChangeSet): undefined {
    const { event } = info;
    const existing = this.sql.get<{ created_at: number }>('SELECT created_at FROM nostr_metadata WHERE pubkey = ?', [event.pubkey]);
    if (existing && existing.created_at >= event.created_at) return undefined;
    const fields = parseProfileContent(event.content);
    this.sql.run('INSERT OR REPLACE INTO nostr_metadata (pubkey, created_at, event_id, name, about, picture, lud16) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [event.pubkey, event.created_at, event.id, fields?.name ?? null, fields?.about ?? null, fields?.picture ?? null, fields?.lud16 ?? null]);
    changes.dvms.add(event.pubkey);
    return undefined;
  }

  private ensureDvm(pubkey: string, at: number): void {
    this.sql.run('INSERT INTO nostr_dvms (pubkey, first_seen) VALUES (?, ?) ON CONFLICT (pubkey) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen)', [pubkey, at]);
  }
}

function bit(value: boolean | undefined): number | null {
  return value === undefined ? null : value ? 1 : 0;
}
