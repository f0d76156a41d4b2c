import type { AbstractRelay } from 'nostr-tools/abstract-relay';
import type { Filter } from 'nostr-tools/filter';
import type { NostrEvent } from '../nostr/eventTypes';
import type { TraceFetchReport } from '../nostr/traceTypes';
import { classify } from '../nostr/eventClassifier';
import { parseEventReference } from '../nostr/eventId';
import { checkShape } from '../nostr/eventShape';
import { KIND_HANDLER_INFO, KIND_METADATA } from '../nostr/nostrEvent';
import { describeError } from '../util/errors';
import type { Logger } from '../util/logger';
import { connectGuardedRelay } from './guardedRelayConnect';
import { openRelaySubscription } from './relaySubscription';

export interface EventFetchOptions {
  /** hex, note1… or nevent1…: an nevent's relay hints are asked too, first. */
  readonly reference: string;
  readonly relays: readonly string[];
  /** Raw events of one relay, unverified: the engine's ingest verifies, dedupes and stores them like collected ones. */
  readonly deliver: (relay: string, events: readonly unknown[]) => { readonly accepted: number } | Promise<{ readonly accepted: number }>;
  readonly log: Logger;
  /** Longest wait for one relay's EOSE to one question; a relay that runs past it is not asked again. */
  readonly maxWaitMs?: number;
  readonly connectTimeoutMs?: number;
  /** The whole fetch ends by then, whatever is left to ask: someone is waiting for the trace to open. */
  readonly totalMs?: number;
}

/** Rounds of "what else does this name": one per level of a chain, each a REQ per relay. */
const MAX_ROUNDS = 32;
/** Ids asked about in all, so that a relay sending made-up references cannot keep us asking. */
const MAX_IDS = 2_000;
const EVENTS_PER_FILTER = 1_000;
/** Authors whose profiles (NIP-89 handler, kind 0) are fetched with the chain, so the trace can name them. */
const MAX_AUTHORS = 200;
const DEFAULTS = { maxWaitMs: 5_000, connectTimeoutMs: 5_000, totalMs: 20_000 };

interface Frontier {
  /** Ids to fetch, with everything that names them by `e` tag (feedback, results, zaps, deletions). */
  readonly ids: Set<string>;
  /** Requests whose sub-jobs are wanted: requests naming them in an `i` tag (NIP-90 chaining). */
  readonly jobs: Set<string>;
}

/**
 * One-shot fetch of an event missing from the database, with its job and whole chain: the event by id, what names
 * it by `e` tag, then whatever those name in turn (the request, parent jobs, zapped events) and the sub-jobs of
 * every request found (`#i`), until nothing new turns up; last, the profiles of the people in it. Every relay is
 * asked the same questions at once; each relay's answers go to `deliver` separately, so the store records which
 * relay carried what.
 */
export async function fetchEventWithRelated(options: EventFetchOptions): Promise<TraceFetchReport> {
  const reference = parseEventReference(options.reference);
  if (!reference) return { relays: [], received: 0, accepted: 0 };
  const settings = { ...DEFAULTS, ...options };
  const deadline = Date.now() + settings.totalMs;
  const urls = [...new Set([...reference.relays, ...options.relays])];
  const report = new Map(urls.map((url) => [url, { url, events: 0, error: undefined as string | undefined }]));
  const relays = (await Promise.all(urls.map(async (url) => {
    try {
      return { url, relay: await connectGuardedRelay(url, { timeoutMs: settings.connectTimeoutMs, log: options.log }) };
    } catch (error) {
      report.get(url)!.error = `could not connect: ${describeError(error)}`;
      return undefined;
    }
  }))).filter((entry) => entry !== undefined);

  let received = 0;
  let accepted = 0;
  const asked = { ids: new Set<string>(), jobs: new Set<string>() };
  const seen = new Set<string>();
  const authors = new Set<string>();
  /**
   * Asks every relay still answering at once and hands each one's answers to the ingest; returns the events new to
   * this fetch. A relay that failed a question (no EOSE in time, CLOSED) is not asked the next ones.
   */
  const round = async (filters: Filter[]) => {
    const waitMs = Math.max(0, Math.min(settings.maxWaitMs, deadline - Date.now()));
    const answers = await Promise.all(relays.filter(({ url }) => !report.get(url)!.error)
      .map(async ({ url, relay }) => ({ url, ...(await ask(relay, filters, waitMs)) })));
    const fresh: NostrEvent[] = [];
    for (const { url, events, error } of answers) {
      const entry = report.get(url)!;
      if (error && !entry.error) entry.error = `${error}; not asked further`;
      entry.events += events.length;
      received += events.length;
      if (events.length > 0) accepted += (await options.deliver(url, events)).accepted;
      for (const raw of events) {
        const shape = checkShape(raw);
        if (!shape.ok || seen.has(shape.event.id)) continue;
        seen.add(shape.event.id);
        fresh.push(shape.event);
      }
    }
    return fresh;
  };
  let frontier: Frontier = { ids: new Set([reference.id]), jobs: new Set() };
  try {
    const answering = () => Date.now() < deadline && relays.some(({ url }) => !report.get(url)!.error);
    for (let depth = 0; depth < MAX_ROUNDS && (frontier.ids.size > 0 || frontier.jobs.size > 0) && answering(); depth++) {
      for (const id of frontier.ids) asked.ids.add(id);
      for (const id of frontier.jobs) asked.jobs.add(id);
      const next: Frontier = { ids: new Set(), jobs: new Set() };
      for (const event of await round(filtersFor(frontier))) {
        referencesOf(event, next);
        if (authors.size < MAX_AUTHORS) authors.add(event.pubkey);
      }
      frontier = {
        ids: new Set([...next.ids].filter((id) => !asked.ids.has(id)).slice(0, Math.max(0, MAX_IDS - asked.ids.size))),
        jobs: new Set([...next.jobs].filter((id) => !asked.jobs.has(id)).slice(0, Math.max(0, MAX_IDS - asked.jobs.size))),
      };
    }
    if (authors.size > 0 && answering()) await round([{ kinds: [KIND_HANDLER_INFO, KIND_METADATA], authors: [...authors], limit: EVENTS_PER_FILTER }]);
  } finally {
    for (const { relay } of relays) relay.close();
  }
  const result: TraceFetchReport = {
    relays: [...report.values()].map(({ url, events, error }) => ({ url, events, ...(error ? { error } : {}) })),
    received,
    accepted,
  };
  options.log.log('info', `fetched ${reference.id.slice(0, 12)}… from ${urls.length} relays: ${received} events received, ${accepted} new` +
    result.relays.filter((entry) => entry.error).map((entry) => `; ${entry.url}: ${entry.error}`).join(''));
  return result;
}

function filtersFor(frontier: Frontier): Filter[] {
  const filters: Filter[] = [];
  if (frontier.ids.size > 0) {
    const ids = [...frontier.ids];
    filters.push({ ids }, { '#e': ids, limit: EVENTS_PER_FILTER });
  }
  // Separate filters: relays match nothing when one filter holds more than two different tag keys (TESTING.md).
  if (frontier.jobs.size > 0) filters.push({ '#i': [...frontier.jobs], limit: EVENTS_PER_FILTER });
  return filters;
}

/** What an event names that belongs in the same trace (the same links the job assembler follows). */
function referencesOf(event: NostrEvent, next: Frontier): void {
  const info = classify(event);
  switch (info?.role) {
    case 'request':
      next.ids.add(event.id);
      next.jobs.add(event.id);
      for (const parent of info.parents) next.ids.add(parent);
      break;
    case 'result':
    case 'feedback':
      if (info.requestId) next.ids.add(info.requestId);
      break;
    case 'zap':
      if (info.targetId) next.ids.add(info.targetId);
      break;
    case 'deletion':
      for (const target of info.targets) next.ids.add(target);
      break;
    default:
      break;
  }
}

/** One REQ; what came before a timeout or a CLOSED is kept (a one-shot look-up takes what it can get, and says so). */
async function ask(relay: AbstractRelay, filters: Filter[], maxWaitMs: number): Promise<{ events: unknown[]; error?: string }> {
  const events: unknown[] = [];
  try {
    const subscription = openRelaySubscription(relay, filters, { label: 'trace-fetch', maxWaitMs, onEvent: (event) => events.push(event) });
    const end = await subscription.storedEnd;
    subscription.close();
    if (end.kind === 'timeout') return { events, error: `no EOSE within ${maxWaitMs} ms` };
    if (end.kind === 'closed') return { events, error: `refused: ${end.reason}` };
    return { events };
  } catch (error) {
    return { events, error: describeError(error) };
  }
}
