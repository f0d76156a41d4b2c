import type { ClassifiedEvent } from '../../nostr/eventClassifier';
import {
  PAIR_COLUMNS, type JobHead, type JobRow, type JobRows, type MetadataRow, type Pair, type PairTimes, type PendingZap, type ProfileRow,
  type TallyRows, type ZapRow,
} from '../../nostr/jobRows';
import { pgHex, pgId, pgRows, type PgReader } from './pgReader';
import { PgRowWrites } from './pgRowWrites';

interface CachedJob {
  readonly kind: number;
  readonly createdAt: number;
  readonly customer: string;
  cancelledAt: number | null;
}

interface CachedPair {
  pair: Pair;
  /** In the database before this batch (written back as an update). */
  readonly stored: boolean;
  dirty: boolean;
}

interface CachedZap {
  readonly row: ZapRow;
  readonly stored: boolean;
}

const pairKey = (requestId: string, dvm: string) => `${requestId}|${dvm}`;
/** Built once: the pair columns are fixed (the other reads of `load` are plain literals). */
const PAIRS_OF_JOBS = `SELECT request_id, dvm, ${PAIR_COLUMNS.join(', ')} FROM nostr_job_dvms WHERE request_id = ANY($1)`;

/**
 * The NIP-90 rules' rows for one PostgreSQL batch, as a unit of work: `load` reads, in a few `= ANY($1)` queries,
 * every row the batch's events can touch (jobs, pairs, deletions, pending zaps, zapped events, profiles, users,
 * kind sets); the rules (JobAssembler, Tally) then run synchronously against this cache exactly as they run
 * against sql.js; `writes` holds every changed row for PgRowWrites to send back in batched statements. Exact only
 * while no other writer changes those rows between load and write: the ingest holds the store's advisory lock
 * across both (pgNostrIngest.ts).
 */
export class PgJobRows implements JobRows, TallyRows {
  private readonly jobs = new Map<string, CachedJob>();
  private readonly pairs = new Map<string, CachedPair>();
  private readonly pairsByRequest = new Map<string, Set<string>>();
  /** Deletions per target: (deleter, created_at). */
  private readonly deletions = new Map<string, { deleter: string; at: number }[]>();
  private readonly pendingZaps = new Map<string, CachedZap[]>();
  /** Stored or batch events a zap receipt may name: author, kind, job. */
  private readonly events = new Map<string, { pubkey: string; kind: number; jobId: string | null }>();
  private readonly profiles = new Map<string, number>();
  private readonly metadata = new Map<string, number>();
  private readonly users = new Map<string, number>();
  private readonly kindUsers = new Map<string, number>();
  private readonly kindDvms = new Set<string>();
  readonly writes = new PgRowWrites();

  /** Reads what the batch's events can touch. `infos` are the classified events that will go through the rules. */
  async load(db: PgReader, infos: readonly ClassifiedEvent[]): Promise<void> {
    const requestIds = new Set<string>();
    const zapTargets = new Set<string>();
    const responseIds = new Set<string>();
    const authors = new Set<string>();
    const dvms = new Set<string>();
    const profileAuthors = new Set<string>();
    for (const info of infos) {
      const { event } = info;
      switch (info.role) {
        case 'request':
          requestIds.add(event.id);
          authors.add(event.pubkey);
          break;
        case 'result':
        case 'feedback':
          if (info.requestId) requestIds.add(info.requestId);
          responseIds.add(event.id);
          dvms.add(event.pubkey);
          break;
        case 'deletion':
          for (const target of info.targets) requestIds.add(target);
          break;
        case 'zap':
          if (info.targetId) {
            zapTargets.add(info.targetId);
            requestIds.add(info.targetId);
          }
          break;
        case 'handler':
        case 'metadata':
          profileAuthors.add(event.pubkey);
          break;
        case 'heartbeat':
          break;
      }
    }
    if (zapTargets.size > 0) {
      for (const [id, pubkey, kind, jobId] of await pgRows<[Buffer, Buffer, number, Buffer | null]>(db,
        'SELECT id, pubkey, kind, job_id FROM nostr_events WHERE id = ANY($1)', [[...zapTargets].map(pgId)])) {
        const job = jobId ? pgHex(jobId) : null;
        this.events.set(pgHex(id), { pubkey: pgHex(pubkey), kind, jobId: job });
        if (job) requestIds.add(job);
      }
    }
    if (requestIds.size > 0) {
      const requests = [...requestIds].map(pgId);
      for (const [id, kind, createdAt, customer, cancelledAt] of await pgRows<[Buffer, number, number, Buffer, number | null]>(db,
        'SELECT request_id, kind, created_at, customer, cancelled_at FROM nostr_jobs WHERE request_id = ANY($1)', [requests])) {
        this.jobs.set(pgHex(id), { kind, createdAt, customer: pgHex(customer), cancelledAt });
      }
      for (const row of await pgRows<[Buffer, Buffer, ...unknown[]]>(db, PAIRS_OF_JOBS, [requests])) {
        const pair = {} as Record<string, unknown>;
        PAIR_COLUMNS.forEach((column, index) => {
          pair[column] = row[index + 2];
        });
        this.cachePair(pgHex(row[0]), pgHex(row[1]), { pair: pair as unknown as Pair, stored: true, dirty: false });
        dvms.add(pgHex(row[1]));
      }
      for (const [target, deleter, at] of await pgRows<[Buffer, Buffer, number]>(db,
        'SELECT target_id, deleter, created_at FROM nostr_deletions WHERE target_id = ANY($1)', [requests])) {
        this.deletionsOf(pgHex(target)).push({ deleter: pgHex(deleter), at });
      }
    }
    if (responseIds.size > 0) {
      for (const [id, target, recipient, msats, createdAt] of await pgRows<[Buffer, Buffer, Buffer | null, number, number]>(db,
        'SELECT id, target_id, recipient, msats, created_at FROM nostr_zaps WHERE target_id = ANY($1) AND request_id IS NULL', [[...responseIds].map(pgId)])) {
        const targetId = pgHex(target);
        const zap: ZapRow = { id: pgHex(id), targetId, recipient: recipient ? pgHex(recipient) : null, msats, createdAt, requestId: null, dvm: null };
        this.pendingOf(targetId).push({ row: zap, stored: true });
      }
    }
    if (profileAuthors.size > 0) {
      const keys = [...profileAuthors].map(pgId);
      for (const [pubkey, d, createdAt] of await pgRows<[Buffer, string, number]>(db, 'SELECT pubkey, d, created_at FROM nostr_profiles WHERE pubkey = ANY($1)', [keys])) {
        this.profiles.set(`${pgHex(pubkey)}|${d}`, createdAt);
      }
      for (const [pubkey, createdAt] of await pgRows<[Buffer, number]>(db, 'SELECT pubkey, created_at FROM nostr_metadata WHERE pubkey = ANY($1)', [keys])) {
        this.metadata.set(pgHex(pubkey), createdAt);
      }
    }
    if (authors.size > 0) {
      const keys = [...authors].map(pgId);
      for (const [pubkey, requests] of await pgRows<[Buffer, number]>(db, 'SELECT pubkey, requests FROM nostr_users WHERE pubkey = ANY($1)', [keys])) {
        this.users.set(pgHex(pubkey), requests);
      }
      for (const [kind, pubkey, requests] of await pgRows<[number, Buffer, number]>(db, 'SELECT kind, pubkey, requests FROM nostr_kind_users WHERE pubkey = ANY($1)', [keys])) {
        this.kindUsers.set(`${kind}|${pgHex(pubkey)}`, requests);
      }
    }
    if (dvms.size > 0) {
      for (const [kind, dvm] of await pgRows<[number, Buffer]>(db, 'SELECT kind, dvm FROM nostr_kind_dvms WHERE dvm = ANY($1)', [[...dvms].map(pgId)])) {
        this.kindDvms.add(`${kind}|${pgHex(dvm)}`);
      }
    }
  }

  /** An event of this batch went through the rules: a later receipt in the batch may zap it. */
  noteEvent(id: string, pubkey: string, kind: number, jobId: string | undefined): void {
    this.events.set(id, { pubkey, kind, jobId: jobId ?? null });
  }

  /** Every pair the rules changed, as it must be stored (new ones and rewritten ones alike). */
  changedPairs(): { requestId: string; dvm: string; pair: Pair }[] {
    const changed: { requestId: string; dvm: string; pair: Pair }[] = [];
    for (const [key, entry] of this.pairs) {
      if (!entry.dirty) continue;
      const [requestId, dvm] = key.split('|');
      changed.push({ requestId, dvm, pair: entry.pair });
    }
    return changed;
  }

  // JobRows --------------------------------------------------------------------------------------------------------

  reload(): void {
    // Nothing outlives a batch here: the next batch loads afresh.
  }

  earlierFacts(requestId: string, customer: string): { answered: boolean; cancelledAt: number | null } {
    let cancelledAt: number | null = null;
    for (const deletion of this.deletions.get(requestId) ?? []) {
      if (deletion.deleter === customer && (cancelledAt === null || deletion.at < cancelledAt)) cancelledAt = deletion.at;
    }
    return { answered: (this.pairsByRequest.get(requestId)?.size ?? 0) > 0, cancelledAt };
  }

  addJob(job: JobRow): void {
    if (this.jobs.has(job.requestId)) return;
    this.jobs.set(job.requestId, { kind: job.kind, createdAt: job.createdAt, customer: job.customer, cancelledAt: job.cancelledAt });
    this.writes.jobs.push(job);
  }

  addTarget(requestId: string, dvm: string, at: number): void {
    this.writes.targets.push([requestId, dvm, at]);
  }

  addLink(childId: string, parentId: string, at: number): void {
    this.writes.links.push([childId, parentId, at]);
  }

  pairsOf(requestId: string): PairTimes[] {
    return [...this.pairsByRequest.get(requestId) ?? []].map((dvm) => {
      const { pair } = this.pairs.get(pairKey(requestId, dvm))!;
      return {
        dvm, firstAt: pair.first_at, firstResultAt: pair.first_result_at, firstFeedbackAt: pair.first_feedback_at,
        responseSec: pair.response_sec, feedbackSec: pair.feedback_sec,
      };
    });
  }

  movePair(requestId: string, dvm: string, kind: number, responseSec: number | null, feedbackSec: number | null): void {
    const entry = this.pairs.get(pairKey(requestId, dvm));
    if (!entry) return;
    entry.pair = { ...entry.pair, kind, response_sec: responseSec, feedback_sec: feedbackSec };
    entry.dirty = true;
  }

  jobAndPair(requestId: string, dvm: string): { job: JobHead | undefined; pair: Pair | undefined } {
    const job = this.jobs.get(requestId);
    const pair = this.pairs.get(pairKey(requestId, dvm))?.pair;
    return { job: job ? { kind: job.kind, created_at: job.createdAt } : undefined, pair: pair ? { ...pair } : undefined };
  }

  addPair(requestId: string, dvm: string, pair: Pair): void {
    this.cachePair(requestId, dvm, { pair: { ...pair }, stored: false, dirty: true });
  }

  updatePair(requestId: string, dvm: string, pair: Pair): void {
    const entry = this.pairs.get(pairKey(requestId, dvm));
    if (!entry) return;
    entry.pair = { ...pair };
    entry.dirty = true;
  }

  pairKind(requestId: string, dvm: string): number | undefined {
    return this.pairs.get(pairKey(requestId, dvm))?.pair.kind;
  }

  addProof(requestId: string, dvm: string, msats: number): void {
    const entry = this.pairs.get(pairKey(requestId, dvm));
    if (!entry) return;
    entry.pair = { ...entry.pair, proven_msats: entry.pair.proven_msats + msats };
    entry.dirty = true;
  }

  jobExists(requestId: string): boolean {
    return this.jobs.has(requestId);
  }

  zapTarget(eventId: string): { pubkey: string; kind: number; jobId: string | null } | undefined {
    return this.events.get(eventId);
  }

  addZap(zap: ZapRow): void {
    this.writes.newZaps.push(zap);
    if (!zap.requestId && zap.targetId) this.pendingOf(zap.targetId).push({ row: zap, stored: false });
  }

  takePendingZaps(eventId: string): PendingZap[] {
    const pending = this.pendingZaps.get(eventId);
    if (!pending) return [];
    this.pendingZaps.delete(eventId);
    return pending.map(({ row }) => ({ id: row.id, msats: row.msats, createdAt: row.createdAt }));
  }

  linkZap(zapId: string, requestId: string, dvm: string): void {
    // A receipt of this batch is not written yet: its row goes out linked. A stored one is updated.
    const fresh = this.writes.newZaps.findIndex((zap) => zap.id === zapId);
    if (fresh >= 0) this.writes.newZaps[fresh] = { ...this.writes.newZaps[fresh], requestId, dvm };
    else this.writes.zapLinks.push([zapId, requestId, dvm]);
    this.writes.eventJobs.set(zapId, requestId);
    const event = this.events.get(zapId);
    if (event) event.jobId = requestId;
  }

  addDeletion(targetId: string, eventId: string, deleter: string, at: number): void {
    this.deletionsOf(targetId).push({ deleter, at });
    this.writes.deletions.push([targetId, eventId, deleter, at]);
  }

  cancelJob(requestId: string, deleter: string, at: number): boolean {
    const job = this.jobs.get(requestId);
    if (!job || job.customer !== deleter) return false;
    job.cancelledAt = Math.min(job.cancelledAt ?? at, at);
    this.writes.cancellations.set(requestId, job.cancelledAt);
    return true;
  }

  heartbeat(pubkey: string, at: number): void {
    this.writes.heartbeats.set(pubkey, Math.max(this.writes.heartbeats.get(pubkey) ?? at, at));
  }

  profileCreatedAt(pubkey: string, d: string): number | undefined {
    return this.profiles.get(`${pubkey}|${d}`);
  }

  putProfile(profile: ProfileRow): void {
    const key = `${profile.pubkey}|${profile.d}`;
    this.profiles.set(key, profile.createdAt);
    this.writes.profiles.set(key, profile);
  }

  metadataCreatedAt(pubkey: string): number | undefined {
    return this.metadata.get(pubkey);
  }

  putMetadata(metadata: MetadataRow): void {
    this.metadata.set(metadata.pubkey, metadata.createdAt);
    this.writes.metadata.set(metadata.pubkey, metadata);
  }

  // TallyRows ------------------------------------------------------------------------------------------------------

  addUser(pubkey: string, requests: number, firstSeen: number, lastAt: number): number {
    const after = (this.users.get(pubkey) ?? 0) + requests;
    this.users.set(pubkey, after);
    this.writes.users.push([pubkey, requests, firstSeen, lastAt]);
    return after;
  }

  addKindUser(kind: number, pubkey: string, requests: number, lastAt: number): number {
    const key = `${kind}|${pubkey}`;
    const after = (this.kindUsers.get(key) ?? 0) + requests;
    this.kindUsers.set(key, after);
    this.writes.kindUsers.push([kind, pubkey, requests, lastAt]);
    return after;
  }

  addKindDvm(kind: number, dvm: string): boolean {
    const key = `${kind}|${dvm}`;
    if (this.kindDvms.has(key)) return false;
    this.kindDvms.add(key);
    this.writes.kindDvms.push([kind, dvm]);
    return true;
  }

  addCounter(name: string, delta: number): void {
    this.writes.counters.push([name, delta]);
  }

  addRollup(period: string, bucket: number, kind: number, dvm: string, values: readonly number[]): void {
    this.writes.rollups.push([period, bucket, kind, dvm, values]);
  }

  upsertDvm(pubkey: string, firstSeen: number, lastAnswerAt: number | null, totals: readonly number[]): void {
    this.writes.dvmUpserts.push([pubkey, firstSeen, lastAnswerAt, totals]);
  }

  addToDvm(pubkey: string, totals: readonly number[]): void {
    this.writes.dvmAdds.push([pubkey, totals]);
  }

  addKind(kind: number, requests: number, results: number, feedback: number, users: number, dvms: number): void {
    this.writes.kinds.push([kind, requests, results, feedback, users, dvms]);
  }

  addLatencyRollup(period: string, bucket: number, metric: string, slot: number, delta: number): void {
    this.writes.latencyRollups.push([period, bucket, metric, slot, delta]);
  }

  addLatencyTotal(metric: string, value: number, delta: number): void {
    this.writes.latencyTotals.push([metric, value, delta]);
  }

  private cachePair(requestId: string, dvm: string, entry: CachedPair): void {
    this.pairs.set(pairKey(requestId, dvm), entry);
    let dvms = this.pairsByRequest.get(requestId);
    if (!dvms) this.pairsByRequest.set(requestId, (dvms = new Set()));
    dvms.add(dvm);
  }

  private deletionsOf(targetId: string): { deleter: string; at: number }[] {
    let list = this.deletions.get(targetId);
    if (!list) this.deletions.set(targetId, (list = []));
    return list;
  }

  private pendingOf(targetId: string): CachedZap[] {
    let list = this.pendingZaps.get(targetId);
    if (!list) this.pendingZaps.set(targetId, (list = []));
    return list;
  }
}
