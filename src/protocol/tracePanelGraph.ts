import type { TraceGraph, TraceTimelineRow } from './nostrProtocol';

/**
 * The trace as the panel holds it: the graph with timeline rows that leave their signed event out (the `event`
 * request fetches it). Its own file so that the messages (tracePanelProtocol.ts) and the deltas between two
 * versions (traceDelta.ts) can both name it without importing each other.
 */

/** A timeline row without its signed event. */
export type TracePanelRow = Omit<TraceTimelineRow, 'event'>;

export interface TracePanelGraph extends Omit<TraceGraph, 'timeline'> {
  readonly timeline: readonly TracePanelRow[];
}
