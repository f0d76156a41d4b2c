import type { TraceEvent } from './traceTypes';
import type { TraceJobInput } from './traceInput';

/**
 * Node ids of the trace graph. They are stable across calls (made of event ids and pubkeys, never of positions),
 * so a live panel can add what is new without redrawing what it has.
 */
export const customerNodeId = (pubkey: string) => `customer:${pubkey}`;
export const requestNodeId = (requestId: string) => `request:${requestId}`;
/** One DVM node per job and DVM: its answers to that job hang off it. */
export const dvmNodeId = (requestId: string, pubkey: string) => `dvm:${requestId}:${pubkey}`;
export const invoiceNodeId = (eventId: string) => `invoice:${eventId}`;

/**
 * The node an event of `job` is drawn as, or undefined when it is not drawn: a deletion counts as a cancellation
 * only when the request's author sent it (NIP-09), or while the request is unknown and nobody can tell.
 */
export function eventNodeId(item: TraceEvent, job: TraceJobInput): string | undefined {
  switch (item.role) {
    case 'request': return item.id === job.requestId ? requestNodeId(item.id) : undefined;
    case 'feedback': return `feedback:${item.id}`;
    case 'result': return `result:${item.id}`;
    case 'zap': return `zap:${item.id}`;
    case 'deletion': return isCancellation(item, job) ? `cancellation:${item.id}` : undefined;
    default: return undefined;
  }
}

export function isCancellation(item: TraceEvent, job: TraceJobInput): boolean {
  return item.role === 'deletion' && (job.request === null || item.pubkey === job.request.pubkey);
}
