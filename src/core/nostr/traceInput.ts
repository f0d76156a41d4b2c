import type { NostrEvent } from './eventTypes';
import type { TraceDvm, TraceEvent, TraceJob } from './traceTypes';

/**
 * What the trace model is built from: the stored state of every job of a chain, as sqliteTraceQuery.ts and pgTrace.ts
 * load it. Plain data, no database: the model (traceGraph.ts, traceTimeline.ts) is a pure function of it.
 */
export interface TraceJobInput extends Omit<TraceJob, 'missing'> {
  /** null while the request has not been seen (responses or sub-jobs name it); the graph's job is `missing` then. */
  readonly request: NostrEvent | null;
  /** Its events in any order; `seq` is the arrival order in the store (it breaks ties within one second). */
  readonly events: readonly StoredTraceEvent[];
  /** Per-DVM state the job assembler keeps (status, response times, sats), DVMs addressed but silent included. */
  readonly dvms: readonly TraceDvm[];
}

export interface StoredTraceEvent {
  readonly item: TraceEvent;
  readonly seq: number;
}

export interface TraceGraphInput {
  readonly askedId: string;
  /** The job of the asked event. */
  readonly requestId: string;
  readonly jobs: readonly TraceJobInput[];
  /** Display names (NIP-89 profile, else kind 0) of the authors that have one. */
  readonly names: ReadonlyMap<string, string>;
  readonly truncated: boolean;
}
