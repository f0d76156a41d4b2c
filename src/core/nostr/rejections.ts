import type { Logger } from '../util/logger';
import { isHex64 } from './nostrEvent';

/** Why an event was dropped; each is counted (engine health view) and returned by `nostr.ingest`. */
export type RejectReason = 'malformed' | 'oversized' | 'excluded-kind' | 'not-dvm-kind' | 'bad-id' | 'bad-signature';

/** Details kept per reason and batch: enough to see what is wrong, bounded whatever a relay or a file sends. */
export const DETAILS_PER_REASON = 3;

/**
 * One batch's rejected events: a count per reason, and the first few details per reason (issue 8: "kind is not an
 * integer" must not shrink to "malformed"). Details are our own words plus a validated hex id, never text taken
 * from the event, so they are safe in a log line, a status tooltip or `ingest --json`.
 */
export class Rejections {
  readonly counts: Record<string, number> = {};
  readonly details: Record<string, string[]> = {};

  add(reason: RejectReason, detail: string, id?: unknown): void {
    this.counts[reason] = (this.counts[reason] ?? 0) + 1;
    const kept = (this.details[reason] ??= []);
    if (kept.length < DETAILS_PER_REASON) kept.push(isHex64(id) ? `event ${id}: ${detail}` : detail);
  }

  /** One debug line per reason, with the kept details. */
  log(log: Logger, relay: string | undefined): void {
    for (const [reason, count] of Object.entries(this.counts)) {
      const details = this.details[reason] ?? [];
      const more = count > details.length ? `; and ${count - details.length} more` : '';
      log.log('debug', `rejected ${count} ${reason} event(s)${relay ? ` from ${relay}` : ''}: ${details.join('; ')}${more}`);
    }
  }
}
