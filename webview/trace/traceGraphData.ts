import type { TraceDvmSummary, TraceEdgeType, TraceNode } from '../../src/protocol/nostrProtocol';
import type { TracePanelGraph } from '../../src/protocol/tracePanelProtocol';
import type { GraphData, GraphEdge, GraphNode } from '../common/graphTypes';
import { canvasText, clock, duration, HOVER_LENGTH, satsText, shortId } from './traceFormat';
import { groupOf } from './traceGroups';
import { layoutTrace } from './traceLayout';

const EDGE_LABELS: Readonly<Record<TraceEdgeType, string>> = {
  requested: 'requested',
  'feedback-for': 'feedback for',
  'invoice-of': 'invoice',
  'paid-by': 'paid by zap',
  'result-for': 'result for',
  'sub-job-of': 'sub-job of',
  'cancelled-by': 'cancelled by',
};

/**
 * The trace as the graph view draws it: a group per role and status, labels and hover summaries folded and bounded
 * for the canvas, the asked event emphasised, and (with `place`) every node's position from layoutTrace. Live
 * updates go without positions: the view places what is new beside what it has, and moves nothing.
 */
export function toGraphData(graph: TracePanelGraph, options: { readonly place: boolean }): GraphData {
  const positions = options.place ? layoutTrace(graph) : undefined;
  const dvms = new Map(graph.dvms.map((dvm) => [dvm.nodeId, dvm]));
  const nodes: GraphNode[] = graph.nodes.map((node) => {
    const at = positions?.get(node.id);
    return {
      id: node.id,
      label: nodeLabel(node),
      group: groupOf(node),
      title: hoverText(node, dvms.get(node.id)),
      ...(node.asked ? { emphasis: true } : {}),
      ...(at ? { x: at.x, y: at.y } : {}),
    };
  });
  const edges: GraphEdge[] = graph.edges.map((edge) => ({
    id: edgeId(edge.from, edge.to, edge.type),
    from: edge.from,
    to: edge.to,
    label: EDGE_LABELS[edge.type],
    ...(edge.type === 'sub-job-of' ? { dashes: true } : {}),
  }));
  return { nodes, edges };
}

/**
 * What changed between two versions of the graph data: nodes and edges that are new or drawn differently. A live
 * update hands only these to the view, so the 500 nodes of a large chain are not re-processed for one new event.
 */
export function changedSince(before: GraphData | undefined, after: GraphData): GraphData {
  if (!before) return after;
  const nodes = new Map(before.nodes.map((node) => [node.id, node]));
  const edges = new Set(before.edges.map((edge) => edge.id));
  return {
    nodes: after.nodes.filter((node) => {
      const old = nodes.get(node.id);
      return !old || old.label !== node.label || old.group !== node.group || old.title !== node.title || old.emphasis !== node.emphasis;
    }),
    edges: after.edges.filter((edge) => !edges.has(edge.id)),
  };
}

export function edgeId(from: string, to: string, type: string): string {
  return `${from}>${to}>${type}`;
}

function nodeLabel(node: TraceNode): string {
  switch (node.type) {
    case 'feedback':
      return canvasText(node.status ?? 'feedback');
    case 'result':
      return 'result';
    default:
      return canvasText(node.label);
  }
}

/** What hovering a node tells: a few lines of text (vis-network shows a string title as text). */
export function hoverText(node: TraceNode, dvm?: TraceDvmSummary): string {
  const lines = [`${node.type}: ${canvasText(node.label, HOVER_LENGTH)}`];
  if (node.kind !== undefined) lines.push(`kind ${node.kind}`);
  if (node.status !== undefined && node.type !== 'feedback') lines.push(`status ${canvasText(node.status)}`);
  if (node.createdAt !== undefined) lines.push(`at ${clock(node.createdAt)}`);
  if (node.sats !== undefined) lines.push(`${satsText(node.sats)} sats`);
  if (node.bolt11?.description) lines.push(`invoice says: ${canvasText(node.bolt11.description, HOVER_LENGTH)}`);
  if (node.amountMismatch) lines.push('the amount tag disagrees with the bolt11 invoice');
  if (dvm) {
    lines.push(`response ${duration(dvm.responseSec)}, first feedback ${duration(dvm.feedbackSec)}`);
    if (dvm.satsRequested || dvm.satsProven) lines.push(`${satsText(dvm.satsRequested)} sats requested, ${satsText(dvm.satsProven)} proven`);
    if (dvm.errorMessage) lines.push(`error: ${canvasText(dvm.errorMessage, HOVER_LENGTH)}`);
  }
  if (node.missing) lines.push('not seen: named by other events only');
  if (node.asked) lines.push('the event you asked for');
  if (node.eventId) lines.push(`id ${shortId(node.eventId)}`);
  return lines.join('\n');
}
