import type { TraceEdge, TraceNode } from '../../src/protocol/nostrProtocol';
import type { Point } from '../common/graphLayout';

/** Pixels (vis-network units) between columns and rows. */
const COLUMN = { customer: -240, request: 0, dvm: 240, firstAnswer: 470 };
const ANSWER_SPACING = 150;
const ROW = 120;
const JOB_GAP = 60;
/** Invoices and zaps hang below the event they belong to, inside its row. */
const BELOW = { invoice: 42, zap: 84 };

export interface LayoutInput {
  readonly jobs: readonly { readonly requestId: string }[];
  readonly nodes: readonly Pick<TraceNode, 'id' | 'type' | 'requestId' | 'createdAt'>[];
  readonly edges: readonly TraceEdge[];
}

/**
 * Where every node of a trace goes, without physics (a chain of 20 jobs × 5 DVMs has ~520 nodes: a force layout
 * takes seconds, this takes a millisecond, and reads better): each job of the chain is a band, parents above
 * children; in it the request sits left, its DVMs in a column, and each DVM's feedback and results follow it to the
 * right in time order, invoices and zaps just below what they belong to. Customers stand left of their first
 * request. Anything not reached that way (a stray zap) goes below the last band. No DOM here: unit-tested in Node.
 */
export function layoutTrace(input: LayoutInput): Map<string, Point> {
  const positions = new Map<string, Point>();
  const byId = new Map(input.nodes.map((node) => [node.id, node]));
  const incoming = new Map<string, TraceEdge[]>();
  const outgoing = new Map<string, TraceEdge[]>();
  for (const edge of input.edges) {
    (incoming.get(edge.to) ?? incoming.set(edge.to, []).get(edge.to)!).push(edge);
    (outgoing.get(edge.from) ?? outgoing.set(edge.from, []).get(edge.from)!).push(edge);
  }
  const jobOrder = [...input.jobs.map((job) => job.requestId)];
  // Requests named but not among the jobs (an unknown parent) get a band of their own, first.
  for (const node of input.nodes) if (node.type === 'request' && node.requestId && !jobOrder.includes(node.requestId)) jobOrder.unshift(node.requestId);

  let top = 0;
  for (const requestId of jobOrder) {
    const requestNode = `request:${requestId}`;
    const dvms = input.nodes.filter((node) => node.type === 'dvm' && node.requestId === requestId);
    const rows = Math.max(1, dvms.length);
    const middle = top + ((rows - 1) * ROW) / 2;
    if (byId.has(requestNode)) positions.set(requestNode, { x: COLUMN.request, y: middle });
    for (const edge of incoming.get(requestNode) ?? []) {
      const from = byId.get(edge.from);
      if (from?.type === 'customer' && !positions.has(from.id)) positions.set(from.id, { x: COLUMN.customer, y: middle });
    }
    let cancellations = 0;
    for (const edge of outgoing.get(requestNode) ?? []) {
      if (edge.type === 'cancelled-by' && !positions.has(edge.to)) positions.set(edge.to, { x: COLUMN.request - 110, y: middle + 60 + 40 * cancellations++ });
    }
    dvms.forEach((dvm, row) => {
      const y = top + row * ROW;
      positions.set(dvm.id, { x: COLUMN.dvm, y });
      const answers = (incoming.get(dvm.id) ?? [])
        .filter((edge) => edge.type === 'feedback-for' || edge.type === 'result-for')
        .map((edge) => byId.get(edge.from))
        .filter((node) => node !== undefined)
        .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || (a.type === 'result' ? 1 : 0) - (b.type === 'result' ? 1 : 0));
      answers.forEach((answer, index) => {
        const at = { x: COLUMN.firstAnswer + index * ANSWER_SPACING, y };
        positions.set(answer.id, at);
        hangBelow(answer.id, at);
      });
    });
    top += rows * ROW + JOB_GAP;
  }

  // Invoices below their feedback; zaps below the invoice (or event) they paid.
  function hangBelow(carrier: string, at: Point): void {
    for (const edge of incoming.get(carrier) ?? []) {
      if (edge.type === 'invoice-of' && !positions.has(edge.from)) {
        const invoice = { x: at.x, y: at.y + BELOW.invoice };
        positions.set(edge.from, invoice);
        hangZaps(edge.from, invoice);
      }
    }
    hangZaps(carrier, at);
  }
  function hangZaps(source: string, at: Point): void {
    let index = 0;
    for (const edge of outgoing.get(source) ?? []) {
      if (edge.type === 'paid-by' && !positions.has(edge.to)) positions.set(edge.to, { x: at.x + 40 * index++, y: at.y + BELOW.zap - (source.startsWith('invoice:') ? BELOW.invoice : 0) });
    }
  }
  for (const requestId of jobOrder) hangZaps(`request:${requestId}`, positions.get(`request:${requestId}`) ?? { x: 0, y: 0 });
  for (const node of input.nodes) if (node.type === 'dvm' && positions.has(node.id)) hangZaps(node.id, positions.get(node.id)!);

  let stray = 0;
  for (const node of input.nodes) {
    if (!positions.has(node.id)) positions.set(node.id, { x: COLUMN.request + ANSWER_SPACING * stray++, y: top });
  }
  return positions;
}
