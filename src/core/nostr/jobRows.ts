/**
 * What the NIP-90 rules (jobAssembler.ts, tally.ts) read and write, named for what it means, so that the rules hold
 * no database handle and run unchanged over either store (issue 14: "the linking and status rules stay pure and
 * shared"). Synchronous: the sql.js adapter answers from its in-memory database (sqlJobRows.ts); the PostgreSQL
 * adapter loads every row a batch can touch before the rules run and writes the changed rows back after
 * (postgres/pgJobRows.ts). Ids and pubkeys are lower-case hex, times unix seconds.
 */
export interface JobRows {
  /**
   * Forgets what the adapter remembers between batches and reads it again: 'all' after a failed batch (whose
   * transaction was rolled back), 'zaps' after retention removed zap receipts.
   */
  reload(scope: 'all' | 'zaps'): void;
  /** Whether some DVM answered the request before it came, and when its author deleted it first (NIP-09), if so. */
  earlierFacts(requestId: string, customer: string): { readonly answered: boolean; readonly cancelledAt: number | null };
  /** Stores the request (nostr_jobs); a request already stored stays as it is. */
  addJob(job: JobRow): void;
  addTarget(requestId: string, dvm: string, at: number): void;
  addLink(childId: string, parentId: string, at: number): void;
  /** Every (job, DVM) pair of the request: answers that came before it. */
  pairsOf(requestId: string): PairTimes[];
  /** The request came after the pair's answers: the pair takes its kind and its response times. */
  movePair(requestId: string, dvm: string, kind: number, responseSec: number | null, feedbackSec: number | null): void;

  /** The request's (kind, created_at) if stored, and the pair if stored; undefined when neither is. */
  jobAndPair(requestId: string, dvm: string): { readonly job: JobHead | undefined; readonly pair: Pair | undefined };
  /** A new pair; `requestStored` says whether its request is stored yet (an early answer otherwise). */
  addPair(requestId: string, dvm: string, pair: Pair, requestStored: boolean): void;
  /** A pair rewritten whole; `old` is what jobAndPair read (an adapter may skip columns that did not change). */
  updatePair(requestId: string, dvm: string, pair: Pair, old: Pair): void;
  pairKind(requestId: string, dvm: string): number | undefined;
  addProof(requestId: string, dvm: string, msats: number): void;

  jobExists(requestId: string): boolean;
  /** The stored event a zap receipt names: its author, kind and the job it belongs to. */
  zapTarget(eventId: string): { readonly pubkey: string; readonly kind: number; readonly jobId: string | null } | undefined;
  addZap(zap: ZapRow): void;
  /** Zap receipts that named `eventId` before it came, with no job yet; they are no longer pending after this. */
  takePendingZaps(eventId: string): PendingZap[];
  /** The receipt now pays `requestId`'s answer by `dvm` (its zap row and its raw event's job). */
  linkZap(zapId: string, requestId: string, dvm: string): void;

  addDeletion(targetId: string, eventId: string, deleter: string, at: number): void;
  /** Cancels the request if `deleter` is its author (keeps the earliest time); true when the request is stored and theirs. */
  cancelJob(requestId: string, deleter: string, at: number): boolean;

  heartbeat(pubkey: string, at: number): void;
  /** created_at of the stored NIP-89 announcement (pubkey, d), if any. */
  profileCreatedAt(pubkey: string, d: string): number | undefined;
  putProfile(profile: ProfileRow): void;
  metadataCreatedAt(pubkey: string): number | undefined;
  putMetadata(metadata: MetadataRow): void;
}

/** Where the Tally writes a batch's sums (tally.ts): additive upserts, plus the first-seen tests of distinct sets. */
export interface TallyRows {
  /** Adds the user's requests; returns the user's request count after (equal to `requests`: a new user). */
  addUser(pubkey: string, requests: number, firstSeen: number, lastAt: number): number;
  addKindUser(kind: number, pubkey: string, requests: number, lastAt: number): number;
  /** True when (kind, DVM) was not stored before. */
  addKindDvm(kind: number, dvm: string): boolean;
  addCounter(name: string, delta: number): void;
  addRollup(period: string, bucket: number, kind: number, dvm: string, values: readonly number[]): void;
  /** A pubkey that acted as a DVM: created if missing, its first_seen / last_answer_at moved, totals added. */
  upsertDvm(pubkey: string, firstSeen: number, lastAnswerAt: number | null, totals: readonly number[]): void;
  /** Totals of a pubkey credited only if it is a DVM already (a zap's recipient). */
  addToDvm(pubkey: string, totals: readonly number[]): void;
  addKind(kind: number, requests: number, results: number, feedback: number, users: number, dvms: number): void;
  addLatencyRollup(period: string, bucket: number, metric: string, slot: number, delta: number): void;
  addLatencyTotal(metric: string, value: number, delta: number): void;
}

/** nostr_jobs. */
export interface JobRow {
  readonly requestId: string;
  readonly kind: number;
  readonly customer: string;
  readonly createdAt: number;
  readonly encrypted: boolean;
  readonly scheme: string | null;
  readonly cancelledAt: number | null;
}

export interface JobHead {
  readonly kind: number;
  readonly created_at: number;
}

/** nostr_job_dvms, one (job, DVM) pair, as the assembler reads and rewrites it (column names as stored). */
export interface Pair {
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

export const PAIR_COLUMNS: readonly (keyof Pair)[] = [
  'kind', 'first_at', 'last_at', 'status', 'status_at', 'status_rank', 'results', 'feedback', 'first_result_at', 'first_feedback_at',
  'succeeded', 'errored', 'requested_msats', 'requested_at', 'amount_mismatch', 'proven_msats', 'response_sec', 'feedback_sec',
];

/** What linking a request to its earlier answers reads of each pair. */
export interface PairTimes {
  readonly dvm: string;
  readonly firstAt: number;
  readonly firstResultAt: number | null;
  readonly firstFeedbackAt: number | null;
  readonly responseSec: number | null;
  readonly feedbackSec: number | null;
}

/** nostr_zaps. */
export interface ZapRow {
  readonly id: string;
  readonly targetId: string | null;
  readonly recipient: string | null;
  readonly msats: number;
  readonly createdAt: number;
  readonly requestId: string | null;
  readonly dvm: string | null;
}

export interface PendingZap {
  readonly id: string;
  readonly msats: number;
  readonly createdAt: number;
}

/** nostr_profiles (NIP-89 announcement, newest per (pubkey, d)). */
export interface ProfileRow {
  readonly pubkey: string;
  readonly d: string;
  readonly createdAt: number;
  readonly eventId: string;
  readonly name: string | null;
  readonly about: string | null;
  readonly picture: string | null;
  readonly lud16: string | null;
  readonly encryptionSupported: number | null;
  readonly cashuAccepted: number | null;
  readonly nip90Params: string | null;
  /** JSON array of announced job kinds. */
  readonly kinds: string;
  /** JSON array of relays the announcement names. */
  readonly relays: string;
}

/** nostr_metadata (kind 0, newest per pubkey). */
export interface MetadataRow {
  readonly pubkey: string;
  readonly createdAt: number;
  readonly eventId: string;
  readonly name: string | null;
  readonly about: string | null;
  readonly picture: string | null;
  readonly lud16: string | null;
}
