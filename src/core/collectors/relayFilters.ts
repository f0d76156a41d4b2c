import type { Filter } from 'nostr-tools/filter';
import { CONTEXTVM_ANNOUNCEMENT_KINDS, CONTEXTVM_MESSAGE_KINDS } from '../nostr/contextVmEvents';

/**
 * What the relay collector asks each relay for, and how the asks are shaped so that real relays accept them.
 *
 * Relays cap subscriptions per connection (often 20; the 21st may silently evict the oldest) and some cap kinds
 * per filter (@nostr-relay: 20; strfry and most public DVM relays take long lists). NIP-01 has no kind ranges, so:
 * - ONE live subscription ("jobs") per relay holds every job-related filter;
 * - the NIP-90 range 5000–7000 (requests, results, feedback) is first asked as one filter of 2,001 kinds, as
 *   DVMDash does; a relay that rejects it with CLOSED gets the same range split into filters of at most
 *   `FALLBACK_KINDS_PER_FILTER` kinds, still inside that one subscription;
 * - a second, smaller subscription ("people") follows what the first one reveals: kind 0 of DVM pubkeys, kind 5
 *   deletions authored by job customers (NIP-09), and zap receipts (NIP-57, 9735) paying a DVM (`#p`). Asking for
 *   every kind 5 or 9735 on a public relay would pull in the whole network's deletions and zaps.
 */

export const JOB_KIND_MIN = 5000;
export const JOB_KIND_MAX = 7000; // 7000 is NIP-90 feedback; 6000–6999 results.
export const NIP89_HANDLER_KIND = 31990;
export const DVM_HEARTBEAT_KIND = 11998;
export const METADATA_KIND = 0;
export const DELETION_KIND = 5;
export const ZAP_RECEIPT_KIND = 9735;

export const FALLBACK_KINDS_PER_FILTER = 20;
/** Authors or `#p` values per filter: @nostr-relay caps tag values at 256 and authors at 1,000. */
export const AUTHORS_PER_FILTER = 250;

/** The job-range filters (without time bounds), `kindsPerFilter` kinds at most in each. */
export function jobFilters(kindsPerFilter: number): Filter[] {
  const kinds: number[] = [];
  for (let kind = JOB_KIND_MIN; kind <= JOB_KIND_MAX; kind++) kinds.push(kind);
  const filters = chunk(kinds, Math.max(1, kindsPerFilter)).map((part) => ({ kinds: part }));
  // Announcements (NIP-89) and heartbeats are few; they ride in the same subscription.
  filters.push({ kinds: [NIP89_HANDLER_KIND, DVM_HEARTBEAT_KIND] });
  // ContextVM / DVMCP server announcements and their (ephemeral, live-only) messages: few, and listed apart from DVMs.
  filters.push({ kinds: [...CONTEXTVM_ANNOUNCEMENT_KINDS, ...CONTEXTVM_MESSAGE_KINDS] });
  return filters;
}

/**
 * ContextVM / DVMCP server announcements are replaceable: a server announced once, months ago, is still announced, and
 * the relay keeps that event whatever its age. A relay's first backfill asks for them back to 0, not to its day.
 */
export function serverAnnouncementFilters(): Filter[] {
  return [{ kinds: [...CONTEXTVM_ANNOUNCEMENT_KINDS] }];
}

export interface PeopleSets {
  readonly dvms: readonly string[];
  readonly users: readonly string[];
}

/**
 * Kind 0 of DVM pubkeys. Replaceable, so the newest one of each DVM is wanted whatever its age: a backfill of these
 * reaches back to 0, not to the relay cursor.
 */
export function profileFilters(dvms: readonly string[]): Filter[] {
  return chunk(dvms, AUTHORS_PER_FILTER).map((authors) => ({ kinds: [METADATA_KIND], authors }));
}

/** Zap receipts paying DVMs (`#p`) and deletions by job customers: time-ordered streams, bounded by the cursor. */
export function deletionAndZapFilters(people: PeopleSets): Filter[] {
  return [
    ...chunk(people.dvms, AUTHORS_PER_FILTER).map((authors) => ({ kinds: [ZAP_RECEIPT_KIND], '#p': authors })),
    ...chunk(people.users, AUTHORS_PER_FILTER).map((authors) => ({ kinds: [DELETION_KIND], authors })),
  ];
}

/** The live "people" subscription: profiles, deletions and zaps of everyone followed, from `since` on. */
export function peopleFilters(people: PeopleSets, since: number): Filter[] {
  return [...profileFilters(people.dvms), ...deletionAndZapFilters(people)].map((filter) => withTimeBounds(filter, { since }));
}

export function withTimeBounds(filter: Filter, bounds: { since?: number; until?: number; limit?: number }): Filter {
  const bounded: Filter = { ...filter };
  if (bounds.since !== undefined) bounded.since = bounds.since;
  if (bounds.until !== undefined) bounded.until = bounds.until;
  if (bounds.limit !== undefined) bounded.limit = bounds.limit;
  return bounded;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}
