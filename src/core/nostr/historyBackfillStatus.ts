import type { HistoryBackfillRelay, HistoryBackfillRelayState, HistoryBackfillRow, HistoryBackfillStatus } from './historyBackfillTypes';
import { jobFilters } from '../collectors/relayFilters';
import { isoTime } from '../util/isoTime';

/** What one relay's run looks like to the user: its stored progress, and the state of its runner when one exists. */
export function relayProgress(row: HistoryBackfillRow, running: { state: HistoryBackfillRelayState; errors: number; lastError?: string } | undefined): HistoryBackfillRelay {
  // A cancel shows at once, while the runner still finishes its page.
  const state: HistoryBackfillRelayState = row.doneAt !== undefined ? 'done' : row.stopped === 'cancelled' ? 'cancelled' : running?.state ?? row.stopped ?? 'waiting';
  return {
    relay: row.relay,
    state,
    since: row.since,
    reachedUntil: row.until,
    fraction: state === 'done' ? 1 : fractionOf(row),
    events: row.events,
    accepted: row.accepted,
    errors: running?.errors ?? 0,
    ...(running?.lastError !== undefined ? { lastError: running.lastError } : {}),
  };
}

/**
 * Share of a run stored: filters before the current one whole, the current one by how far down from the run's top
 * it reached. Time, not events: the relay does not say how many events are left.
 */
function fractionOf(row: HistoryBackfillRow): number {
  const filters = jobFilters(row.kindsPerFilter).length;
  const span = row.startedUntil - row.since;
  const within = span > 0 ? Math.min(1, Math.max(0, (row.startedUntil - row.until) / span)) : 1;
  return Math.min(1, (row.filterIndex + within) / filters);
}

/** The whole backfill: one state for the status bar (running wins, then retrying relays count as running). */
export function historyBackfillStatus(days: number, since: number | undefined, relays: readonly HistoryBackfillRelay[]): HistoryBackfillStatus {
  const events = relays.reduce((sum, relay) => sum + relay.events, 0);
  const accepted = relays.reduce((sum, relay) => sum + relay.accepted, 0);
  const fraction = relays.length > 0 ? relays.reduce((sum, relay) => sum + relay.fraction, 0) / relays.length : 0;
  const has = (state: HistoryBackfillRelayState) => relays.some((relay) => relay.state === state);
  const state: HistoryBackfillStatus['state'] = days <= 0 || relays.length === 0 ? 'off'
    : has('running') || has('retrying') ? 'running'
      : has('budget') ? 'budget'
        : has('cancelled') ? 'cancelled'
          : has('waiting') ? 'waiting' : 'done';
  const percent = `${Math.floor(fraction * 100)}%`;
  const from = since === undefined ? '' : ` from ${isoTime(since)}`;
  const retrying = relays.filter((relay) => relay.state === 'retrying').length;
  const message = {
    off: 'History backfill is off (swarmscope.nostr.backfillDays is 0, or no relay is set)',
    running: `Backfilling ${days} days of history${from}: ${percent}, ${accepted} new events stored${retrying > 0 ? `; ${retrying} relay(s) failed and are retried` : ''}`,
    budget: `History backfill stopped at ${percent}: the database reached its size budget (swarmscope.storage.sizeBudgetMB)`,
    cancelled: `History backfill cancelled at ${percent}; "Swarmscope: Backfill History" goes on from there`,
    waiting: `History backfill of ${days} days is waiting for the relays to be collected`,
    done: `History backfilled: ${days} days${from}, ${accepted} new events stored`,
  }[state];
  return { state, days, since, fraction, events, accepted, relays, message };
}
