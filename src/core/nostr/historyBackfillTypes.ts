/**
 * The history backfill (issue 12, "History from day one") as the engine reports it: `nostr.historyBackfill` answers
 * with it and the notification of the same name carries it after every stored page. Times are unix seconds.
 * `lastError` may quote a relay's words: untrusted text, shown as text only.
 */

/** `waiting`: planned, starts when the engine collects; `budget`: stopped at the database's size budget. */
export type HistoryBackfillRelayState = 'waiting' | 'running' | 'retrying' | 'done' | 'cancelled' | 'budget';

export interface HistoryBackfillRelay {
  readonly relay: string;
  readonly state: HistoryBackfillRelayState;
  /** The oldest second asked for, and how far down the current job filter has been stored. */
  readonly since: number;
  readonly reachedUntil: number;
  /** Share of this relay's run stored, 0–1. */
  readonly fraction: number;
  /** Events the relay sent (repeats included), and new ones stored. */
  readonly events: number;
  readonly accepted: number;
  readonly errors: number;
  readonly lastError?: string;
}

export interface HistoryBackfillStatus {
  /** `off`: swarmscope.nostr.backfillDays is 0 or no relay is set. */
  readonly state: 'off' | 'waiting' | 'running' | 'done' | 'cancelled' | 'budget';
  readonly days: number;
  readonly since: number | undefined;
  /** Mean of the relays' fractions, 0–1. */
  readonly fraction: number;
  readonly events: number;
  readonly accepted: number;
  readonly relays: readonly HistoryBackfillRelay[];
  /** One line for the status bar tooltip and the CLI, in the engine's words. */
  readonly message: string;
}

/** Why a history backfill that is not done is not running (the stores' historyBackfillMigration.ts). */
export type HistoryBackfillStop = 'cancelled' | 'budget';

/** One relay's history backfill as stored: see historyBackfillMigration.ts for what each field means. */
export interface HistoryBackfillRow {
  readonly relay: string;
  readonly since: number;
  readonly startedUntil: number;
  readonly kindsPerFilter: number;
  readonly filterIndex: number;
  readonly until: number;
  /** Events the relay sent (repeats included) and events the ingest took as new. */
  readonly events: number;
  readonly accepted: number;
  readonly doneAt: number | undefined;
  readonly stopped: HistoryBackfillStop | undefined;
}
