import type {
  ClassifiedEvent, DeletionInfo, HandlerInfo, MetadataInfo, RequestInfo, ResponseInfo, ZapInfo,
} from './eventClassifier';
import { announcedRelays } from './announcedRelays';
import { statusRank } from './eventClassifier';
import type { JobRows, Pair } from './jobRows';
import { isResultKind, type NostrEvent } from './nostrEvent';
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

/**
 * NIP-90 job assembly (DESIGN.md "Nostr: definitions"): applies one validated, classified, first-seen event to
 * the job tables and the tallies. Order-independent: a result or feedback may come before its request, a
 * deletion before what it deletes, a zap before the event it pays; each side links the other when it arrives.
 * Holds no database: it reads and writes the job rows through a JobRows port (jobRows.ts), which the sql.js store
 * answers statement by statement and the PostgreSQL store from the batch's preloaded rows. Per event it reads and
 * writes each row it needs once; what many events share (DVMs, users, kinds, rollups) goes through the Tally and is
 * written once per batch.
 */
export class JobAssembler {
  constructor(
    private readonly rows: JobRows,
    private readonly tally: Tally,
  ) {}

  /** After a failed batch: what the rows' adapter remembers between batches is read again. */
  reloadPending(): void {
    this.rows.reload('all');
  }

  /** After retention removed zap receipts. */
  reloadZaps(): void {
    this.rows.reload('zaps');
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
        this.rows.heartbeat(info.event.pubkey, info.event.created_at);
        changes.dvms.add(info.event.pubkey);
        return undefined;
      case 'handler': return this.applyHandler(info, changes);
      case 'metadata': return this.applyMetadata(info, changes);
    }
  }

  private applyRequest(info: RequestInfo, changes: ChangeSet): string {
    const { event } = info;
    const at = event.created_at;
    // Did responses or the author's deletion come first? NIP-09: only the request's own author can cancel it.
    const before = this.rows.earlierFacts(event.id, event.pubkey);
    this.rows.addJob({
      requestId: event.id, kind: event.kind, customer: event.pubkey, createdAt: at, encrypted: info.encrypted, scheme: info.scheme ?? null,
      cancelledAt: before.cancelledAt,
    });
    for (const dvm of info.targets) {
      this.rows.addTarget(event.id, dvm, at);
      changes.dvms.add(dvm);
    }
    for (const parent of info.parents) {
      this.rows.addLink(event.id, parent, at);
      changes.jobs.add(parent);
    }
    this.tally.counter('requests', 1);
    if (info.encrypted) this.tally.counter('encrypted', 1);
    this.tally.kind(event.kind, { requests: 1 });
    this.tally.rollup(at, event.kind, '', { requests: 1, encrypted: info.encrypted ? 1 : 0 });
    this.tally.request(event.pubkey, event.kind, at);
    if (before.answered) this.linkEarlierResponses(event, changes);
    changes.kinds.add(event.kind);
    changes.jobs.add(event.id);
    return event.id;
  }

  /** Responses that came first: they now learn their kind and response times (rollups already written keep kind -1). */
  private linkEarlierResponses(event: NostrEvent, changes: ChangeSet): void {
    const at = event.created_at;
    for (const pair of this.rows.pairsOf(event.id)) {
      const response = pair.firstResultAt === null ? null : Math.max(0, pair.firstResultAt - at);
      const feedback = pair.firstFeedbackAt === null ? null : Math.max(0, pair.firstFeedbackAt - at);
      this.moveLatency('r', pair.firstAt, pair.responseSec, pair.firstAt, response);
      this.moveLatency('f', pair.firstAt, pair.feedbackSec, pair.firstAt, feedback);
      this.rows.movePair(event.id, pair.dvm, event.kind, response, feedback);
      this.tally.kindDvm(event.kind, pair.dvm);
      changes.dvms.add(pair.dvm);
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
    const { job, pair: stored } = requestId ? this.rows.jobAndPair(requestId, dvm) : { job: undefined, pair: undefined };
    const kind = job?.kind ?? info.requestKind ?? UNKNOWN_KIND;
    if (kind !== UNKNOWN_KIND) {
      this.tally.kind(kind, isResult ? { results: 1 } : { feedback: 1 });
      this.tally.kindDvm(kind, dvm);
      changes.kinds.add(kind);
    }
    this.tally.rollup(at, kind, dvm, isResult ? { results: 1 } : { feedback: 1 });
    if (!requestId) return undefined;

    changes.jobs.add(requestId);
    const old: Pair = stored ?? {
      kind, first_at: at, last_at: at, status: null, status_at: null, status_rank: 0, results: 0, feedback: 0,
      first_result_at: null, first_feedback_at: null, succeeded: 0, errored: 0, requested_msats: 0, requested_at: null,
      amount_mismatch: 0, proven_msats: 0, response_sec: null, feedback_sec: null,
    };
    if (!stored) {
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
    if (!stored) this.rows.addPair(requestId, dvm, pair, job !== undefined);
    else this.rows.updatePair(requestId, dvm, pair, old);
    if (sats.requested !== 0 || sats.earned !== 0) {
      this.tally.counter('sats_requested', sats.requested);
      this.tally.counter('sats_earned', sats.earned);
      this.tally.dvm(dvm, { sats_requested: sats.requested, sats_earned: sats.earned });
      this.tally.rollup(at, kind, dvm, { sats_requested: sats.requested, sats_earned: sats.earned });
    }
    this.linkPendingZaps(event, requestId, kind);
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
    for (const zap of this.rows.takePendingZaps(event.id)) {
      this.rows.linkZap(zap.id, requestId, event.pubkey);
      this.creditProof(requestId, event.pubkey, kind, zap.msats, zap.createdAt);
    }
  }

  private creditProof(requestId: string, dvm: string, kind: number, msats: number, at: number): void {
    this.rows.addProof(requestId, dvm, msats);
    this.tally.counter('sats_proven', msats);
    this.tally.dvm(dvm, { sats_proven: msats });
    this.tally.rollup(at, kind, dvm, { sats_proven: msats });
  }

  private applyDeletion(info: DeletionInfo, changes: ChangeSet): string | undefined {
    const { event } = info;
    for (const target of info.targets) {
      this.rows.addDeletion(target, event.id, event.pubkey, event.created_at);
      // NIP-09: a deletion only counts when it comes from the author of what it deletes.
      if (this.rows.cancelJob(target, event.pubkey, event.created_at)) changes.jobs.add(target);
    }
    return info.targets[0];
  }

  private applyZap(info: ZapInfo, changes: ChangeSet): string | undefined {
    const { event } = info;
    const msats = info.msats ?? 0;
    let requestId: string | undefined;
    let dvm: string | undefined;
    if (info.targetId) {
      const target = this.rows.zapTarget(info.targetId);
      if (target && target.jobId !== null && (target.kind === 7000 || isResultKind(target.kind))) {
        requestId = target.jobId;
        dvm = target.pubkey;
      } else if (info.recipient && this.rows.jobExists(info.targetId)) {
        requestId = info.targetId;
        dvm = info.recipient;
      }
    }
    this.rows.addZap({
      id: event.id, targetId: info.targetId ?? null, recipient: info.recipient ?? null, msats, createdAt: event.created_at,
      requestId: requestId ?? null, dvm: dvm ?? null,
    });
    if (requestId && dvm) {
      const kind = this.rows.pairKind(requestId, dvm) ?? UNKNOWN_KIND;
      this.creditProof(requestId, dvm, kind, msats, event.created_at);
      changes.jobs.add(requestId);
      changes.dvms.add(dvm);
    }
    return requestId;
  }

  private applyHandler(info: HandlerInfo, changes: ChangeSet): undefined {
    const { event } = info;
    // NIP-01 addressable events: the newest per (pubkey, kind, d) replaces the rest.
    const existing = this.rows.profileCreatedAt(event.pubkey, info.d);
    if (existing !== undefined && existing >= event.created_at) return undefined;
    const fields = parseProfileContent(event.content);
    this.rows.putProfile({
      pubkey: event.pubkey, d: info.d, createdAt: event.created_at, eventId: event.id, name: fields?.name ?? null, about: fields?.about ?? null,
      picture: fields?.picture ?? null, lud16: fields?.lud16 ?? null, encryptionSupported: bit(fields?.encryptionSupported), cashuAccepted: bit(fields?.cashuAccepted),
      nip90Params: fields?.nip90Params ?? null, kinds: JSON.stringify(info.jobKinds), relays: JSON.stringify(announcedRelays(event)),
    });
    if (info.jobKinds.length > 0) {
      this.tally.seeDvm(event.pubkey, event.created_at, false);
      changes.dvms.add(event.pubkey);
      for (const kind of info.jobKinds) changes.kinds.add(kind);
    }
    return undefined;
  }

  private applyMetadata(info: MetadataInfo, changes: ChangeSet): undefined {
    const { event } = info;
    const existing = this.rows.metadataCreatedAt(event.pubkey);
    if (existing !== undefined && existing >= event.created_at) return undefined;
    const fields = parseProfileContent(event.content);
    this.rows.putMetadata({
      pubkey: event.pubkey, createdAt: event.created_at, eventId: event.id, name: fields?.name ?? null, about: fields?.about ?? null,
      picture: fields?.picture ?? null, lud16: fields?.lud16 ?? null,
    });
    changes.dvms.add(event.pubkey);
    return undefined;
  }
}

function bit(value: boolean | undefined): number | null {
  return value === undefined ? null : value ? 1 : 0;
}
