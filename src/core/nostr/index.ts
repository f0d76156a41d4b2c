/** The Nostr DVM core: the storage seam the engine uses (NostrStore); its sql.js engine room is in store/sqlite/nostr. */
export type {
  HistoryBackfillStore, NostrEventRepo, NostrMetricsRepo, NostrPageRepo, NostrStore, PostedJobStore, RelayCursorStore, SeriesOptions,
} from './nostrStore';
export { ChangeCoalescer } from './changeCoalescer';
export type { IngestOutcome, IngestResult, RejectReason } from './nostrIngest';
export { MAX_EVENT_JSON_LENGTH } from './eventShape';
export { DEFAULT_LIVENESS, SILENT_AFTER_SEC, UP_WINDOW_SEC, type LivenessThresholds } from './liveness';
