import type { TraceEdge, TraceEdgeType, TraceEvent, TraceGraph, TraceJob, TraceNode } from './traceTypes';
import { decodeBolt11 } from './bolt11Details';
import { npub } from './dvmNames';
import { firstTag } from './nostrEvent';
import type { TraceGraphInput, TraceJobInput } from './traceInput';
import { customerNodeId, dvmNodeId, eventNodeId, invoiceNodeId, requestNodeId } from './traceNodeIds';
import { buildDvmSummaries, buildTimeline, inTimelineOrder } from './traceTimeline';

/**
 * The job trace as a graph (DESIGN.md "Trace graph"): the pure model behind `nostr.traceGraph`, the trace panel and
 * `swarmscope trace --json`. Edge directions are described with TraceEdgeType (nostrProtocol.ts).
 *
 * Nothing is dropped for being incomplete: a job whose request was never seen is an unknown (`missing`) request
 * node, a zap whose target is gone hangs off its job's request, and events may be given in any order.
 */
export function buildTraceGraph(input: TraceGraphInput): TraceGraph {
  const jobs = parentsFirst(input.jobs);
  const graph = new GraphBuilder(input);
  for (const job of jobs) graph.addJob(job);
  for (const job of jobs) graph.addLinks(job);
  return {
    askedId: input.askedId,
    requestId: input.requestId,
    jobs: jobs.map(traceJob),
    nodes: graph.nodes(),
    edges: graph.edges(),
    timeline: buildTimeline(input),
    dvms: buildDvmSummaries({ ...input, jobs }),
    truncated: input.truncated,
  };
}

class GraphBuilder {
  private readonly nodeMap = new Map<string, TraceNode>();
  private readonly edgeMap = new Map<string, TraceEdge>();
  /** A chain repeats its DVMs on every job; their labels (an npub is a bech32 encoding) are made once. */
  private readonly labels = new Map<string, string>();

  constructor(private readonly input: TraceGraphInput) {}

  nodes(): TraceNode[] {
    return [...this.nodeMap.values()];
  }

  edges(): TraceEdge[] {
    return [...this.edgeMap.values()];
  }

  /** The request, its customer, its DVMs and every event of the job but zaps (they need their targets drawn). */
  addJob(job: TraceJobInput): void {
    const request = this.addRequest(job.requestId, job);
    if (job.customer) this.edge(this.addPerson('customer', job.customer), request, 'requested');
    for (const dvm of job.dvms) this.addDvm(job, dvm.pubkey, dvm.status, dvm.name);
    for (const { item } of inTimelineOrder(job.events)) {
      const id = eventNodeId(item, job);
      if (!id || item.role === 'request' || item.role === 'zap') continue;
      if (item.role === 'deletion') {
        this.node(this.eventNode(id, 'cancellation', 'cancelled', item, job));
        this.edge(request, id, 'cancelled-by');
        continue;
      }
      const dvm = this.addDvm(job, item.pubkey);
      const isResult = item.role === 'result';
      this.node(this.eventNode(id, isResult ? 'result' : 'feedback', isResult ? 'result' : item.status ?? 'feedback', item, job));
      this.edge(id, dvm, isResult ? 'result-for' : 'feedback-for');
      if (item.amountSats !== undefined || item.bolt11 !== undefined) this.addInvoice(item, job, id);
    }
  }

  /** Sub-job edges and zaps, once every job's nodes exist (a zap or a parent may come later in the order). */
  addLinks(job: TraceJobInput): void {
    for (const parent of job.parents) {
      if (!this.nodeMap.has(requestNodeId(parent))) this.addRequest(parent, undefined);
      this.edge(requestNodeId(job.requestId), requestNodeId(parent), 'sub-job-of');
    }
    for (const { item } of job.events) {
      const id = eventNodeId(item, job);
      if (!id || item.role !== 'zap') continue;
      const label = item.amountSats !== undefined ? `zap ${item.amountSats} sats` : 'zap';
      this.node({ ...this.eventNode(id, 'zap', label, item, job), ...(item.amountSats !== undefined ? { sats: item.amountSats } : {}) });
      this.edge(this.zapSource(item, job), id, 'paid-by');
    }
  }

  /** What a zap receipt paid (NIP-57 `e` tag): the invoice of that event when it carried one, else the event. */
  private zapSource(zap: TraceEvent, job: TraceJobInput): string {
    const target = firstTag(zap.event, 'e')?.[1];
    if (target) {
      for (const candidate of [invoiceNodeId(target), `feedback:${target}`, `result:${target}`]) if (this.nodeMap.has(candidate)) return candidate;
      const recipient = firstTag(zap.event, 'p')?.[1];
      if (target === job.requestId && recipient && this.nodeMap.has(dvmNodeId(job.requestId, recipient))) return dvmNodeId(job.requestId, recipient);
    }
    return requestNodeId(job.requestId);
  }

  private addRequest(requestId: string, job: TraceJobInput | undefined): string {
    const id = requestNodeId(requestId);
    const missing = !job?.request;
    const kind = job?.kind ?? null;
    const kindText = kind === null ? '' : `${kind} ${job?.kindName}`;
    return this.node({
      id,
      type: 'request',
      label: missing ? `unknown request ${requestId.slice(0, 8)}…${kindText ? ` (${kindText})` : ''}` : kindText,
      eventId: requestId,
      requestId,
      ...(job?.customer ? { pubkey: job.customer } : {}),
      ...(kind !== null ? { kind } : {}),
      ...(job && job.createdAt !== null ? { createdAt: job.createdAt } : {}),
      ...(job?.cancelled ? { status: 'cancelled' } : {}),
      ...(requestId === this.input.askedId ? { asked: true } : {}),
      ...(missing ? { missing: true } : {}),
    });
  }

  /** A DVM's node on one job; an author of answers the assembler has no row for still gets one. */
  private addDvm(job: TraceJobInput, pubkey: string, status?: string, name?: string): string {
    const id = dvmNodeId(job.requestId, pubkey);
    if (this.nodeMap.has(id)) return id;
    this.node({ id, type: 'dvm', label: this.personLabel(pubkey, name), pubkey, requestId: job.requestId, ...(status ? { status } : {}) });
    this.edge(requestNodeId(job.requestId), id, 'requested');
    return id;
  }

  private addPerson(type: 'customer', pubkey: string): string {
    return this.node({ id: customerNodeId(pubkey), type, label: this.personLabel(pubkey), pubkey });
  }

  private addInvoice(item: TraceEvent, job: TraceJobInput, carrier: string): void {
    const id = invoiceNodeId(item.id);
    const bolt11 = item.bolt11 ? decodeBolt11(item.bolt11) : undefined;
    const sats = item.amountSats;
    this.node({
      id,
      type: 'invoice',
      label: `${sats !== undefined ? `${sats} sats` : 'invoice'}${item.amountMismatch ? ' (amount tag disagrees)' : ''}`,
      eventId: item.id,
      pubkey: item.pubkey,
      requestId: job.requestId,
      createdAt: item.createdAt,
      ...(sats !== undefined ? { sats } : {}),
      ...(bolt11 ? { bolt11 } : {}),
      ...(item.amountMismatch ? { amountMismatch: true } : {}),
    });
    this.edge(id, carrier, 'invoice-of');
  }

  private eventNode(id: string, type: TraceNode['type'], label: string, item: TraceEvent, job: TraceJobInput): TraceNode {
    return {
      id,
      type,
      label,
      eventId: item.id,
      pubkey: item.pubkey,
      requestId: job.requestId,
      kind: item.kind,
      createdAt: item.createdAt,
      ...(item.status !== undefined ? { status: item.status } : {}),
      ...(item.id === this.input.askedId ? { asked: true } : {}),
    };
  }

  private personLabel(pubkey: string, name?: string): string {
    const known = name ?? this.input.names.get(pubkey);
    if (known !== undefined && known.trim() !== '') return known;
    let label = this.labels.get(pubkey);
    if (label === undefined) {
      const encoded = npub(pubkey);
      label = `${encoded.slice(0, 12)}…${encoded.slice(-4)}`;
      this.labels.set(pubkey, label);
    }
    return label;
  }

  private node(node: TraceNode): string {
    if (!this.nodeMap.has(node.id)) this.nodeMap.set(node.id, node);
    return node.id;
  }

  private edge(from: string, to: string, type: TraceEdgeType): void {
    const key = `${from}>${to}>${type}`;
    if (!this.edgeMap.has(key)) this.edgeMap.set(key, { from, to, type });
  }
}

function traceJob(job: TraceJobInput): TraceJob {
  return {
    requestId: job.requestId,
    kind: job.kind,
    kindName: job.kindName,
    customer: job.customer,
    createdAt: job.createdAt,
    cancelled: job.cancelled,
    encrypted: job.encrypted,
    parents: job.parents,
    missing: job.request === null,
  };
}

/** Parents before children, otherwise in the order given; a loop of `i` tags (a forged chain) is cut where it closes. */
function parentsFirst(jobs: readonly TraceJobInput[]): TraceJobInput[] {
  const byId = new Map(jobs.map((job) => [job.requestId, job]));
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const ordered: TraceJobInput[] = [];
  const visit = (job: TraceJobInput) => {
    if (placed.has(job.requestId) || visiting.has(job.requestId)) return;
    visiting.add(job.requestId);
    for (const parent of job.parents) {
      const parentJob = byId.get(parent);
      if (parentJob) visit(parentJob);
    }
    visiting.delete(job.requestId);
    placed.add(job.requestId);
    ordered.push(job);
  };
  for (const job of jobs) visit(job);
  return ordered;
}
