import type { AbstractRelay } from 'nostr-tools/abstract-relay';
import type { Filter } from 'nostr-tools/filter';
import type { NostrEvent } from '../nostr/eventTypes';
import type { RelayPublishResult } from './jobTypes';
import { connectGuardedRelay } from '../collectors/guardedRelayConnect';
import { openRelaySubscription, type RelaySubscription } from '../collectors/relaySubscription';
import { describeError } from '../util/errors';
import type { Logger } from '../util/logger';
import { singleLine } from '../util/untrustedText';

/** Knobs with product defaults; tests and benchmarks may shorten them. */
export interface JobRelayTuning {
  readonly connectTimeoutMs?: number;
  /** How long a relay has to answer our EVENT with `OK` before it counts as timed out. */
  readonly publishTimeoutMs?: number;
}

const DEFAULTS: Required<JobRelayTuning> = { connectTimeoutMs: 5_000, publishTimeoutMs: 5_000 };
/** A relay's words are kept this long at most (one line). */
const MAX_MESSAGE = 300;

export interface JobWatchOptions {
  /** What to hear on every relay while watching (the job's feedback and results). */
  readonly filters: Filter[];
  readonly ms: number;
  /** Raw, unverified: the engine's ingest verifies. */
  readonly deliver: (relay: string, event: unknown) => void;
}

export interface PublishJobOptions {
  readonly event: NostrEvent;
  readonly relays: readonly string[];
  /** Subscribes before publishing, so that not even the fastest DVM's answer can come before we listen. */
  readonly watch?: JobWatchOptions;
  readonly log: Logger;
  readonly tuning?: JobRelayTuning;
}

export interface JobRelaySession {
  /** One per relay, in the order asked. */
  readonly results: readonly RelayPublishResult[];
  /** Ends the watch now (idempotent). */
  stop(): void;
  /** Settles once every connection is closed: the watch's time ran out, or `stop`. */
  readonly ended: Promise<void>;
}

/**
 * Publishes one signed event to every relay at once and says what each answered (NIP-01 `OK`): accepted, rejected
 * with the relay's reason, timed out, or unreachable. With `watch`, each connection first subscribes to the job's
 * answers and stays open for `watch.ms`; without, it closes as soon as its relay answered.
 */
export async function publishJobEvent(options: PublishJobOptions): Promise<JobRelaySession> {
  const tuning = { ...DEFAULTS, ...options.tuning };
  const open: { relay: AbstractRelay; subscription?: RelaySubscription }[] = [];
  const results = await Promise.all([...new Set(options.relays)].map(async (url): Promise<RelayPublishResult> => {
    let relay: AbstractRelay;
    try {
      relay = await connectGuardedRelay(url, { timeoutMs: tuning.connectTimeoutMs, log: options.log, label: 'post' });
    } catch (error) {
      return { url, outcome: 'failed', message: `could not connect: ${describeError(error)}` };
    }
    let subscription: RelaySubscription | undefined;
    if (options.watch) {
      const { filters, ms, deliver } = options.watch;
      try {
        subscription = openRelaySubscription(relay, filters, {
          label: 'job-answers',
          maxWaitMs: ms,
          keepOpenOnTimeout: true,
          onEvent: (event) => deliver(url, event),
          onInvalid: () => options.log.log('debug', `relay ${url} sent an event outside the job's filter; dropped`),
        });
      } catch (error) {
        options.log.log('warn', `relay ${url}: could not watch the job's answers: ${describeError(error)}`);
      }
    }
    const result = await sendEvent(relay, url, options.event, tuning.publishTimeoutMs);
    if (subscription) open.push({ relay, subscription });
    else relay.close();
    return result;
  }));

  let stop: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => {
    if (open.length === 0) return resolve();
    const timer = setTimeout(() => stop(), options.watch?.ms ?? 0);
    stop = () => {
      clearTimeout(timer);
      for (const { relay, subscription } of open.splice(0)) {
        subscription?.close();
        relay.close();
      }
      resolve();
    };
  });
  return { results, stop: () => stop(), ended };
}

/** One EVENT and its `OK`, timed: only our timer decides a timeout, so it is told apart from a refusal. */
async function sendEvent(relay: AbstractRelay, url: string, event: NostrEvent, timeoutMs: number): Promise<RelayPublishResult> {
  // nostr-tools' own publish timer must not win the race; it still runs out soon after ours, holding nothing open.
  relay.publishTimeout = timeoutMs + 1_000;
  const sent = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  const answered = relay.publish({ ...event, tags: event.tags.map((tag) => [...tag]) }).then(
    (message) => ({ ok: true as const, message }),
    (error: unknown) => ({ ok: false as const, message: describeError(error) }),
  );
  const answer = await Promise.race([answered, timedOut]);
  clearTimeout(timer);
  const ms = performance.now() - sent;
  if (!answer) return { url, outcome: 'timeout', message: `no OK within ${timeoutMs} ms` };
  const words = relayWords(answer.message);
  if (answer.ok) return { url, outcome: 'ok', ms, ...(words ? { message: words } : {}) };
  // nostr-tools rejects a publish both for `OK false` and for a connection that ended first.
  if (!relay.connected) return { url, outcome: 'failed', message: `the connection ended before the relay answered${words ? ` (${words})` : ''}` };
  return { url, outcome: 'rejected', ms, message: words || 'rejected without a reason' };
}

function relayWords(text: string): string {
  const line = singleLine(text.slice(0, MAX_MESSAGE * 4));
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line;
}
