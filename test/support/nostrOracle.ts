import { decode as decodeBolt11 } from 'light-bolt11-decoder';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';

/**
 * An independent model of what the DVM, kind and user pages and the activity series must show, computed from the
 * events alone in the order they were ingested, straight from DESIGN.md "Nostr: definitions" — no engine code. Tests
 * compare the engine's answers with it figure by figure.
 *
 * Where the engine's figures depend on arrival order (the tallies count a response under the kind known when it
 * arrived), this model follows the same order; the (job, DVM) pairs do not (a request arriving after its answers
 * moves them to its kind).
 */

const HEX64 = /^[0-9a-f]{64}$/;
/** NIP-90 statuses in the order a job moves through them; a result is the last stage. */
const STAGES = ['payment-required', 'processing', 'partial', 'error', 'success', 'result-delivered'];

export interface OracleJob {
  readonly id: string;
  readonly kind: number;
  readonly customer: string;
  readonly createdAt: number;
  readonly targets: readonly string[];
  cancelled: boolean;
}

export interface OraclePair {
  readonly requestId: string;
  readonly dvm: string;
  kind: number;
  firstAt: number;
  results: number;
  succeeded: boolean;
  errored: boolean;
  /** Latest status; within one second the later stage wins (DESIGN.md "Job status"). */
  status: string | null;
  statusAt: number | null;
  requestedMsats: number;
  requestedAt: number | null;
  provenMsats: number;
  firstResultAt: number | null;
  firstFeedbackAt: number | null;
  /** Ids of its feedback and results (what a zap may pay). */
  readonly events: Set<string>;
}

/** One rollup-style figure attributed to the created_at of the event that caused it. */
export interface OracleMark {
  readonly at: number;
  readonly kind: number;
  readonly dvm: string;
  readonly field: 'requests' | 'results' | 'feedback' | 'jobs' | 'successes' | 'errors' | 'satsRequested' | 'satsProven';
  readonly value: number;
}

export class NostrOracle {
  readonly jobs = new Map<string, OracleJob>();
  readonly pairs = new Map<string, OraclePair>();
  readonly marks: OracleMark[] = [];
  /** Result events per request kind, counted under the kind known on arrival (nostr_kinds.results). */
  readonly kindResults = new Map<number, number>();
  private readonly seen = new Set<string>();
  private readonly zaps: { id: string; target: string | undefined; recipient: string | undefined; msats: number; at: number; credited: boolean }[] = [];

  constructor(private readonly excluded: readonly number[] = [5666, 6666, 5969, 6969, 5128]) {}

  /** Events in ingest order (duplicates ignored, as the engine does). */
  add(events: readonly NostrEvent[]): this {
    for (const event of events) {
      if (this.seen.has(event.id) || this.excluded.includes(event.kind)) continue;
      this.seen.add(event.id);
      if (event.kind >= 5000 && event.kind <= 5999) this.request(event);
      else if ((event.kind >= 6000 && event.kind <= 6999) || event.kind === 7000) this.response(event);
      else if (event.kind === 9735) this.zap(event);
      else if (event.kind === 5) this.deletion(event);
    }
    return this;
  }

  pairList(): OraclePair[] {
    return [...this.pairs.values()];
  }

  /** DESIGN.md "Response time": first result − request, per pair, while the request is known (clamped at 0). */
  responseSec(pair: OraclePair): number | null {
    const job = this.jobs.get(pair.requestId);
    return job && pair.firstResultAt !== null ? Math.max(0, pair.firstResultAt - job.createdAt) : null;
  }

  /** What a job list shows: cancelled, else the status of the DVM whose status moved last, else waiting. */
  jobStatus(requestId: string): string {
    if (this.jobs.get(requestId)?.cancelled) return 'cancelled';
    const stage = (pair: OraclePair) => STAGES.indexOf(pair.status ?? '');
    const moved = this.pairList().filter((pair) => pair.requestId === requestId && pair.statusAt !== null)
      .sort((a, b) => (b.statusAt ?? 0) - (a.statusAt ?? 0) || stage(b) - stage(a) || a.firstAt - b.firstAt);
    return moved[0]?.status ?? 'waiting';
  }

  feedbackSec(pair: OraclePair): number | null {
    const job = this.jobs.get(pair.requestId);
    return job && pair.firstFeedbackAt !== null ? Math.max(0, pair.firstFeedbackAt - job.createdAt) : null;
  }

  private request(event: NostrEvent): void {
    const targets = [...new Set(event.tags.filter((tag) => tag[0] === 'p' && HEX64.test(tag[1] ?? '')).map((tag) => tag[1]))];
    this.jobs.set(event.id, { id: event.id, kind: event.kind, customer: event.pubkey, createdAt: event.created_at, targets, cancelled: false });
    this.marks.push({ at: event.created_at, kind: event.kind, dvm: '', field: 'requests', value: 1 });
    for (const pair of this.pairs.values()) if (pair.requestId === event.id) pair.kind = event.kind;
  }

  private response(event: NostrEvent): void {
    const isResult = event.kind !== 7000;
    const requestId = linkedRequest(event);
    const job = requestId ? this.jobs.get(requestId) : undefined;
    const kTag = Number(tag(event, 'k')?.[1]);
    const kind = job?.kind ?? (isResult ? event.kind - 1000 : kTag >= 5000 && kTag <= 5999 ? kTag : -1);
    if (isResult && kind !== -1) this.kindResults.set(kind, (this.kindResults.get(kind) ?? 0) + 1);
    this.marks.push({ at: event.created_at, kind, dvm: event.pubkey, field: isResult ? 'results' : 'feedback', value: 1 });
    if (!requestId) return;
    const key = `${requestId}|${event.pubkey}`;
    let pair = this.pairs.get(key);
    if (!pair) {
      pair = {
        requestId, dvm: event.pubkey, kind, firstAt: event.created_at, results: 0, succeeded: false, errored: false, status: null, statusAt: null, requestedMsats: 0,
        requestedAt: null, provenMsats: 0, firstResultAt: null, firstFeedbackAt: null, events: new Set(),
      };
      this.pairs.set(key, pair);
      this.marks.push({ at: event.created_at, kind, dvm: event.pubkey, field: 'jobs', value: 1 });
    } else if (pair.kind === -1) {
      pair.kind = kind;
    }
    pair.events.add(event.id);
    pair.firstAt = Math.min(pair.firstAt, event.created_at);
    const status = isResult ? 'result-delivered' : STAGES.slice(0, 5).includes(tag(event, 'status')?.[1] ?? '') ? tag(event, 'status')?.[1] : undefined;
    if (status && (pair.statusAt === null || event.created_at > pair.statusAt
      || (event.created_at === pair.statusAt && STAGES.indexOf(status) >= STAGES.indexOf(pair.status ?? '')))) {
      pair.status = status;
      pair.statusAt = event.created_at;
    }
    if (isResult) {
      pair.results++;
      pair.firstResultAt = Math.min(pair.firstResultAt ?? event.created_at, event.created_at);
    } else {
      pair.firstFeedbackAt = Math.min(pair.firstFeedbackAt ?? event.created_at, event.created_at);
    }
    if ((status === 'result-delivered' || status === 'success') && !pair.succeeded) {
      pair.succeeded = true;
      this.marks.push({ at: event.created_at, kind, dvm: event.pubkey, field: 'successes', value: 1 });
    }
    if (status === 'error' && !pair.errored) {
      pair.errored = true;
      this.marks.push({ at: event.created_at, kind, dvm: event.pubkey, field: 'errors', value: 1 });
    }
    const msats = amountMsats(tag(event, 'amount'));
    // DESIGN.md "Sats": requested = the latest payment-required amount; a re-quote replaces the earlier one.
    if (status === 'payment-required' && msats !== undefined && (pair.requestedAt === null || event.created_at >= pair.requestedAt)) {
      this.marks.push({ at: event.created_at, kind, dvm: event.pubkey, field: 'satsRequested', value: msats - pair.requestedMsats });
      pair.requestedMsats = msats;
      pair.requestedAt = event.created_at;
    }
    for (const zap of this.zaps) if (!zap.credited && zap.target === event.id) this.credit(zap, pair);
  }

  private zap(event: NostrEvent): void {
    const target = tag(event, 'e')?.[1];
    const recipient = tag(event, 'p')?.[1];
    const invoice = tag(event, 'bolt11')?.[1];
    const msats = (invoice ? bolt11Amount(invoice) : undefined) ?? zapRequestAmount(tag(event, 'description')?.[1]) ?? 0;
    const zap = { id: event.id, target: HEX64.test(target ?? '') ? target : undefined, recipient: HEX64.test(recipient ?? '') ? recipient : undefined, msats, at: event.created_at, credited: false };
    this.zaps.push(zap);
    // NIP-57: it pays the zapped feedback or result's job and author; a zapped request, the recipient (`p`).
    const paid = this.pairList().find((pair) => zap.target !== undefined && pair.events.has(zap.target));
    if (paid) this.credit(zap, paid);
    else if (zap.target && zap.recipient && this.jobs.has(zap.target)) {
      const pair = this.pairs.get(`${zap.target}|${zap.recipient}`);
      if (pair) this.credit(zap, pair);
      else this.marks.push({ at: zap.at, kind: -1, dvm: zap.recipient, field: 'satsProven', value: zap.msats });
      zap.credited = true;
    }
  }

  private credit(zap: { msats: number; at: number; credited: boolean }, pair: OraclePair): void {
    zap.credited = true;
    pair.provenMsats += zap.msats;
    this.marks.push({ at: zap.at, kind: pair.kind, dvm: pair.dvm, field: 'satsProven', value: zap.msats });
  }

  private deletion(event: NostrEvent): void {
    for (const target of event.tags.filter((t) => t[0] === 'e').map((t) => t[1])) {
      const job = this.jobs.get(target);
      if (job && job.customer === event.pubkey) job.cancelled = true;
    }
  }
}

export function tag(event: NostrEvent, name: string): readonly string[] | undefined {
  return event.tags.find((candidate) => candidate[0] === name);
}

/** First `e` tag if it is an id, else the id inside the `request` tag (DESIGN.md "Linking"). */
export function linkedRequest(event: NostrEvent): string | undefined {
  const first = tag(event, 'e')?.[1];
  if (first !== undefined && HEX64.test(first)) return first;
  try {
    const id = (JSON.parse(tag(event, 'request')?.[1] ?? '') as { id?: unknown }).id;
    return typeof id === 'string' && HEX64.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The bolt11 amount when the tag carries a decodable invoice with one, else the tag's millisats ("100_000" reads as 100000). */
export function amountMsats(amount: readonly string[] | undefined): number | undefined {
  if (!amount) return undefined;
  const invoice = amount[2]?.trim();
  const fromInvoice = invoice && /^ln/i.test(invoice) ? bolt11Amount(invoice) : undefined;
  if (fromInvoice !== undefined) return fromInvoice;
  const text = amount[1]?.trim() ?? '';
  return /^\d+(_\d+)*$/.test(text) ? Number(text.replaceAll('_', '')) : undefined;
}

function bolt11Amount(invoice: string): number | undefined {
  try {
    const section = decodeBolt11(invoice).sections.find((candidate) => candidate.name === 'amount') as { value?: string } | undefined;
    return section?.value === undefined ? undefined : Number(section.value);
  } catch {
    return undefined;
  }
}

function zapRequestAmount(description: string | undefined): number | undefined {
  try {
    const request = JSON.parse(description ?? '') as { tags?: string[][] };
    const value = Number(request.tags?.find((candidate) => candidate[0] === 'amount')?.[1]);
    return Number.isSafeInteger(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Nearest-rank percentile (rank = ceil(p · n)), null for no values. */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
}

export const sats = (msats: number) => Math.floor(msats / 1000);

/** What the pages show of a set of (job, DVM) pairs (DESIGN.md "A DVM's jobs", "Response time", "Sats"). */
export function pairFigures(oracle: NostrOracle, pairs: readonly OraclePair[]) {
  const responses = pairs.map((pair) => oracle.responseSec(pair)).filter((value): value is number => value !== null);
  const feedback = pairs.map((pair) => oracle.feedbackSec(pair)).filter((value): value is number => value !== null);
  const successes = pairs.filter((pair) => pair.succeeded).length;
  return {
    jobs: pairs.length,
    results: pairs.reduce((sum, pair) => sum + pair.results, 0),
    jobsWithResult: pairs.filter((pair) => pair.results > 0).length,
    successes,
    errors: pairs.filter((pair) => pair.errored).length,
    successRate: pairs.length > 0 ? successes / pairs.length : null,
    p50ResponseSec: nearestRank(responses, 0.5),
    p90ResponseSec: nearestRank(responses, 0.9),
    p50FeedbackSec: nearestRank(feedback, 0.5),
    p90FeedbackSec: nearestRank(feedback, 0.9),
    satsRequested: sats(pairs.reduce((sum, pair) => sum + pair.requestedMsats, 0)),
    satsEarned: sats(pairs.reduce((sum, pair) => sum + (pair.results > 0 ? pair.requestedMsats : 0), 0)),
    satsProven: sats(pairs.reduce((sum, pair) => sum + pair.provenMsats, 0)),
  };
}

/** Pairs grouped by a key (a DVM's kinds, a kind's DVMs). */
export function groupPairs<K>(pairs: readonly OraclePair[], key: (pair: OraclePair) => K): Map<K, OraclePair[]> {
  const groups = new Map<K, OraclePair[]>();
  for (const pair of pairs) groups.set(key(pair), [...(groups.get(key(pair)) ?? []), pair]);
  return groups;
}

/**
 * The activity series of buckets of `size` seconds (UTC-aligned) from `from` to `to`: each figure summed where its
 * event's created_at falls, users distinct per bucket, DVMs = distinct authors of results and feedback, the median
 * first-result time of pairs whose first answer (earliest created_at) falls in the bucket.
 */
export function oracleSeries(oracle: NostrOracle, size: number, from: number, to: number, filter: { kind?: number; dvm?: string } = {}) {
  const bucketOf = (at: number) => at - (at % size);
  const points = new Map<number, { requests: number; results: number; feedback: number; jobs: number; successes: number; errors: number; satsRequestedMsats: number; satsProvenMsats: number; users: Set<string>; dvms: Set<string>; latencies: number[] }>();
  for (let t = bucketOf(from); t <= to; t += size) {
    points.set(t, { requests: 0, results: 0, feedback: 0, jobs: 0, successes: 0, errors: 0, satsRequestedMsats: 0, satsProvenMsats: 0, users: new Set(), dvms: new Set(), latencies: [] });
  }
  const matches = (kind: number, dvm: string) => (filter.kind === undefined || kind === filter.kind) && (filter.dvm === undefined || dvm === filter.dvm);
  for (const mark of oracle.marks) {
    const point = points.get(bucketOf(mark.at));
    if (!point || !matches(mark.kind, mark.dvm)) continue;
    if (mark.field === 'satsRequested') point.satsRequestedMsats += mark.value;
    else if (mark.field === 'satsProven') point.satsProvenMsats += mark.value;
    else point[mark.field] += mark.value;
    if ((mark.field === 'results' || mark.field === 'feedback') && mark.dvm) point.dvms.add(mark.dvm);
  }
  for (const job of oracle.jobs.values()) {
    if (filter.kind === undefined || job.kind === filter.kind) points.get(bucketOf(job.createdAt))?.users.add(job.customer);
  }
  for (const pair of oracle.pairList()) {
    const response = oracle.responseSec(pair);
    if (response !== null) points.get(bucketOf(pair.firstAt))?.latencies.push(response);
  }
  return [...points].map(([t, point]) => ({
    t,
    requests: point.requests,
    results: point.results,
    feedback: point.feedback,
    users: filter.dvm === undefined ? point.users.size : null,
    dvms: point.dvms.size,
    jobs: point.jobs,
    successes: point.successes,
    errors: point.errors,
    satsRequested: sats(point.satsRequestedMsats),
    satsProven: sats(point.satsProvenMsats),
    errorRate: point.jobs > 0 ? point.errors / point.jobs : null,
    p50ResponseSec: filter.kind === undefined && filter.dvm === undefined ? nearestRank(point.latencies, 0.5) : null,
  }));
}
