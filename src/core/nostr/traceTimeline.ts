import type { TraceDvmSummary, TraceEvent, TraceTimelineRow } from './traceTypes';
import { isJobStatus, statusRank } from './eventClassifier';
import { firstTag } from './nostrEvent';
import type { StoredTraceEvent, TraceGraphInput, TraceJobInput } from './traceInput';
import { dvmNodeId, eventNodeId } from './traceNodeIds';

/** Request, then the job statuses in NIP-90 order, then payments and deletions. */
export function traceStage(item: TraceEvent): number {
  if (item.role === 'request') return 0;
  if (item.role === 'zap') return 20;
  if (item.role === 'deletion') return 21;
  if (item.role === 'result') return statusRank('result-delivered');
  if (item.role === 'feedback' && isJobStatus(item.status)) return statusRank(item.status);
  return 10;
}

/**
 * Timeline order: created_at, then the job's stage, then arrival. A fast DVM sends payment-required, processing
 * and its result within one second; timestamps alone would shuffle them (TESTING.md).
 */
export function inTimelineOrder<T extends StoredTraceEvent>(events: readonly T[]): T[] {
  const keyed = events.map((stored) => ({ stored, stage: traceStage(stored.item) }));
  keyed.sort((a, b) => a.stored.item.createdAt - b.stored.item.createdAt || a.stage - b.stage || a.stored.seq - b.stored.seq);
  return keyed.map(({ stored }) => stored);
}

/** Every event of the chain, in timeline order. */
export function buildTimeline(input: TraceGraphInput): TraceTimelineRow[] {
  const all = input.jobs.flatMap((job) => job.events.map((stored) => ({ ...stored, job })));
  return inTimelineOrder(all).map(({ item, job }) => {
    const name = input.names.get(item.pubkey);
    const nodeId = eventNodeId(item, job);
    return {
      ...item,
      requestId: job.requestId,
      ...(nodeId ? { nodeId } : {}),
      sinceRequestSec: job.createdAt === null ? null : item.createdAt - job.createdAt,
      ...(name !== undefined ? { authorName: name } : {}),
      asked: item.id === input.askedId,
    };
  });
}

/** Each DVM on each job: the assembler's figures, plus what only the events tell (DESIGN.md "Trace graph"). */
export function buildDvmSummaries(input: TraceGraphInput): TraceDvmSummary[] {
  return input.jobs.flatMap((job) => job.dvms.map((dvm) => {
    const own = job.events.map((stored) => stored.item).filter((item) => item.pubkey === dvm.pubkey);
    const results = own.filter((item) => item.role === 'result');
    const askedToPay = own.some((item) => item.role === 'feedback' && item.status === 'payment-required') ||
      own.some((item) => (item.role === 'feedback' || item.role === 'result') && (item.amountSats !== undefined || item.bolt11 !== undefined));
    const errorMessage = latestErrorMessage(job, dvm.pubkey);
    return {
      ...dvm,
      requestId: job.requestId,
      nodeId: dvmNodeId(job.requestId, dvm.pubkey),
      paymentWithoutResult: askedToPay && results.length === 0,
      resultWithoutPayment: results.length > 0 && !askedToPay,
      ...(errorMessage !== undefined ? { errorMessage } : {}),
    };
  }));
}

/** NIP-90 puts the human-readable reason in the status tag's third value; some DVMs write it in `content`. */
function latestErrorMessage(job: TraceJobInput, pubkey: string): string | undefined {
  const errors = inTimelineOrder(job.events.filter(({ item }) => item.pubkey === pubkey && item.role === 'feedback' && item.status === 'error'));
  if (errors.length === 0) return undefined;
  const latest = errors[errors.length - 1].item.event;
  const message = firstTag(latest, 'status')?.[2]?.trim() || latest.content.trim();
  return message || 'error (no message)';
}
