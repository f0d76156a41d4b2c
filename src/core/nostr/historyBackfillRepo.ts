/** Why a history backfill that is not done is not running (historyBackfillMigration.ts). */
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
