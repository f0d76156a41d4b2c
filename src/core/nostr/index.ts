/** The Nostr DVM core: what the engine module, the CLI, tests and benchmarks use. */
export { NostrCore, type NostrCoreOptions } from './nostrCore';
export { nostrMigrations } from './nostrMigrations';
export { ChangeCoalescer } from './changeCoalescer';
export type { IngestOutcome, IngestResult, RejectReason } from './nostrIngest';
export { MAX_EVENT_JSON_LENGTH } from './eventShape';
export { DEFAULT_LIVENESS, livenessOf, SILENT_AFTER_SEC, UP_WINDOW_SEC, type LivenessThresholds } from './liveness';
