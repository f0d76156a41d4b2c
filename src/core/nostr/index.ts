/** The Nostr DVM core: the storage seam the engine uses (NostrStore), and the sql.js engine room tests and benchmarks drive. */
export type {
  HistoryBackfillStore, NostrEventRepo, NostrMetricsRepo, NostrPageRepo, NostrStore, PostedJobStore, RelayCursorStore, SeriesOptions,
} from './nostrStore';
export { NostrCore, type NostrCoreOptions } from './nostrCore';
export { nostrMigrations } from './nostrMigrations';
export { ChangeCoalescer } from './changeCoalescer';
export type { IngestOutcome, IngestResult, RejectReason } from './nostrIngest';
export { MAX_EVENT_JSON_LENGTH } from './eventShape';
export { DEFAULT_LIVENESS, livenessOf, SILENT_AFTER_SEC, UP_WINDOW_SEC, type LivenessThresholds } from './liveness';
