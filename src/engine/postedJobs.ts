import type { Filter } from 'nostr-tools/filter';
import { isWebSocketUrl } from '../core/config/settings';
import { publishJobEvent, type JobRelaySession, type JobRelayTuning } from '../core/jobs/jobRelays';
import { checkShape } from '../core/nostr/eventShape';
import type { PostedJobStore } from '../core/nostr/nostrStore';
import { isRequestKind, KIND_DELETION, KIND_FEEDBACK, KIND_ZAP_RECEIPT } from '../core/nostr/nostrEvent';
import { describeError } from '../core/util/errors';
import type { Logger } from '../core/util/logger';
import type { AwaitJobParams, AwaitJobResult, PublishParams, PublishResult } from '../protocol/jobProtocol';
import type { IngestResult, JobStatusText } from '../protocol/nostrProtocol';

/** A job's answers are watched this long at most, whatever is asked (the panel re-asks while it stays open). */
const MAX_WATCH_SECONDS = 3_600;
const MAX_AWAIT_MS = 3_600_000;
const MAX_RELAYS = 20;
/** DVM statuses after which it will not answer the job again. */
const FINAL: ReadonlySet<JobStatusText> = new Set(['error', 'success', 'result-delivered', 'cancelled']);

export interface PostedJobsOptions {
  /** The engine's one verified ingest: what it refuses is not published, what it takes is stored and traced. */
  readonly ingest: (relay: string | undefined, events: readonly unknown[]) => Promise<IngestResult>;
  /** Each DVM's status on a job, as the trace shows it. */
  readonly statuses: (requestId: string) => Promise<readonly { readonly pubkey: string; readonly status: JobStatusText }[]>;
  readonly log: Logger;
  readonly tuning?: JobRelayTuning;
  /** "My jobs": every job request published here that at least one relay accepted is recorded. */
  readonly posted: PostedJobStore;
  /** A job request was recorded as posted (after a relay accepted it): "My jobs" lists it. */
  readonly onPosted: (id: string) => void;
}

interface Waiter {
  readonly id: string;
  /** Answers if the job is settled, or with what is known when `now`. */
  check(now?: boolean): Promise<void>;
}

/**
 * Jobs the user posts (`nostr.publish`), signed by the caller: the engine never holds a key. A job request passes
 * the same verified ingest as collected events before it is sent, so it is stored and traced like any other; each
 * relay's `OK` is ingested too (so the trace says which relays carry it). While it is watched, its feedback and
 * results (`#e`) come from the chosen relays through that ingest, and `nostr.changed` tells the views.
 */
export class PostedJobs {
  private readonly watches = new Map<string, JobRelaySession>();
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly options: PostedJobsOptions) {}

  async publish(params: PublishParams): Promise<PublishResult> {
    const shape = checkShape(params.event);
    if (!shape.ok) throw new Error(`nostr.publish: the event is malformed (${shape.detail})`);
    const event = shape.event;
    if (!isRequestKind(event.kind) && event.kind !== KIND_DELETION) throw new Error(`nostr.publish takes a job request (kind 5000–5999) or a deletion (kind 5), not kind ${event.kind}`);
    const relays = relayList(params.relays);
    const stored = await this.options.ingest(undefined, [event]);
    if (stored.accepted + stored.duplicates === 0) {
      const why = Object.values(stored.rejectDetails).flat()[0] ?? Object.keys(stored.rejected).join(', ');
      throw new Error(`nostr.publish: the event did not pass verification, so it was not sent (${why})`);
    }
    const watchSeconds = isRequestKind(event.kind) ? Math.min(MAX_WATCH_SECONDS, Math.max(0, Number(params.watchSeconds) || 0)) : 0;
    this.watches.get(event.id)?.stop();
    const session = await publishJobEvent({
      event,
      relays,
      log: this.options.log,
      tuning: this.options.tuning,
      ...(watchSeconds > 0 ? {
        watch: {
          filters: watchFilters(event),
          ms: watchSeconds * 1000,
          deliver: (relay, answer) => {
            this.options.ingest(relay, [answer])
              .then(() => this.wake(event.id))
              .catch((error) => this.options.log.log('warn', `job ${event.id.slice(0, 12)}…: an answer from ${relay} was not stored: ${describeError(error)}`));
          },
        },
      } : {}),
    });
    for (const result of session.results) if (result.outcome === 'ok') await this.options.ingest(result.url, [event]);
    const accepted = session.results.filter((result) => result.outcome === 'ok').length;
    // A job no relay took was never posted: no DVM can see it, and My jobs would list it waiting forever.
    if (isRequestKind(event.kind) && accepted > 0) {
      await this.options.posted.record(event, event.created_at);
      this.options.onPosted(event.id);
    }
    this.options.log.log('info', `published ${event.kind === KIND_DELETION ? 'deletion' : `job kind ${event.kind}`} ${event.id.slice(0, 12)}… to ${relays.length} relays: ${accepted} accepted` +
      session.results.filter((result) => result.outcome !== 'ok').map((result) => `; ${result.url}: ${result.outcome}${result.message ? ` (${result.message})` : ''}`).join(''));
    if (watchSeconds > 0) {
      this.watches.set(event.id, session);
      void session.ended.then(() => {
        if (this.watches.get(event.id) === session) this.watches.delete(event.id);
      });
    }
    return {
      id: event.id,
      kind: event.kind,
      stored: stored.accepted > 0 ? 'new' : 'duplicate',
      relays: session.results,
      ...(watchSeconds > 0 ? { watchingUntil: Date.now() + watchSeconds * 1000 } : {}),
    };
  }

  /** Stops watching a job's answers; false when it was not watched. */
  stopWatching(id: string): boolean {
    const session = this.watches.get(id);
    session?.stop();
    return session !== undefined;
  }

  /** Resolves when the DVMs named (any DVM, when none is) finished the job, or at the timeout. */
  async awaitJob(params: AwaitJobParams): Promise<AwaitJobResult> {
    const id = String(params.id).toLowerCase();
    const wanted = (params.dvms ?? []).map((dvm) => String(dvm).toLowerCase());
    const timeoutMs = Math.min(MAX_AWAIT_MS, Math.max(0, Number(params.timeoutMs) || 0));
    const outcome = async (): Promise<AwaitJobResult> => {
      const dvms = (await this.options.statuses(id)).map(({ pubkey, status }) => ({ pubkey, status }));
      const finished = dvms.filter((dvm) => FINAL.has(dvm.status)).map((dvm) => dvm.pubkey);
      const settled = wanted.length > 0 ? wanted.every((dvm) => finished.includes(dvm)) : finished.length > 0;
      return { settled, dvms };
    };
    const now = await outcome();
    if (now.settled || timeoutMs === 0) return now;
    return new Promise((resolve, reject) => {
      let done = false;
      const waiter: Waiter = {
        id,
        check: async (now = false) => {
          const current = await outcome().catch((error: unknown) => {
            finish(undefined, error);
            return undefined;
          });
          if (current && (current.settled || now)) finish(current);
        },
      };
      const timer = setTimeout(() => void waiter.check(true), timeoutMs);
      // Checks overlap when answers come quickly; the first settled answer wins, the others find it done.
      const finish = (result: AwaitJobResult | undefined, error?: unknown) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        if (result) resolve(result);
        else reject(error);
      };
      this.waiters.add(waiter);
    });
  }

  /** Everything watched is closed; waiters answer with what is known now. */
  dispose(): void {
    for (const session of this.watches.values()) session.stop();
    this.watches.clear();
    for (const waiter of [...this.waiters]) void waiter.check(true);
  }

  private wake(id: string): void {
    for (const waiter of [...this.waiters]) if (waiter.id === id) void waiter.check();
  }
}

/**
 * The job's feedback and results (`#e` the request), and zap receipts that pay it: of the request itself (`#e`), or
 * paying a DVM it is addressed to (`#p`: a zap of the DVM's feedback or result names that event, which does not exist
 * yet), from the job's time on. The ingest links each receipt to its job, or keeps it unlinked.
 */
function watchFilters(event: { id: string; kind: number; created_at: number; tags: readonly (readonly string[])[] }): Filter[] {
  const dvms = [...new Set(event.tags.filter((tag) => tag[0] === 'p' && /^[0-9a-f]{64}$/.test(tag[1] ?? '')).map((tag) => tag[1]))];
  return [
    { kinds: [KIND_FEEDBACK, event.kind + 1000], '#e': [event.id] },
    { kinds: [KIND_ZAP_RECEIPT], '#e': [event.id] },
    ...(dvms.length > 0 ? [{ kinds: [KIND_ZAP_RECEIPT], '#p': dvms, since: event.created_at }] : []),
  ];
}

function relayList(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) throw new Error('nostr.publish needs at least one relay');
  const relays = [...new Set(value.map(String))];
  if (relays.length > MAX_RELAYS) throw new Error(`nostr.publish takes at most ${MAX_RELAYS} relays`);
  for (const relay of relays) if (!isWebSocketUrl(relay)) throw new Error(`nostr.publish: ${JSON.stringify(relay.slice(0, 200))} is not a ws:// or wss:// relay URL`);
  return relays;
}
