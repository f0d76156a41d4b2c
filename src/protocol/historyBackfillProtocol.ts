// The history backfill's progress: the core owns the data types (issue 14); the protocol re-exports them.
export type { HistoryBackfillRelay, HistoryBackfillRelayState, HistoryBackfillStatus } from '../core/nostr/historyBackfillTypes';
