import type { TraceDvmSummary, TraceEdge, TraceNode } from './nostrProtocol';
import type { TracePanelGraph, TracePanelRow } from './tracePanelGraph';

/** An item new or changed in a list, with its place in the new list. */
export interface Placed<T> {
  readonly index: number;
  readonly item: T;
}

/**
 * What a live update sends instead of the whole trace: the nodes, edges, timeline rows and DVM summaries that are
 * new or changed (with their place), and the small parts whole. The page applies it to the graph it has (version
 * `since`); a change that is not only additions and updates (an event evicted, an order that moved) is sent whole.
 */
export interface TraceDelta {
  readonly askedId: string;
  readonly requestId: string;
  readonly truncated: boolean;
  readonly jobs: TracePanelGraph['jobs'];
  readonly nodes: readonly Placed<TraceNode>[];
  readonly edges: readonly Placed<TraceEdge>[];
  readonly timeline: readonly Placed<TracePanelRow>[];
  readonly dvms: readonly Placed<TraceDvmSummary>[];
}

export const edgeKey = (edge: TraceEdge) => `${edge.from}>${edge.to}>${edge.type}`;
const byId = (item: { readonly id: string }) => item.id;
const byNodeId = (dvm: TraceDvmSummary) => dvm.nodeId;

/**
 * The delta from `before` (what the page has) to `after`; undefined when only the whole graph says it (something
 * went away, or kept items changed order). An empty delta (`isEmptyDelta`) means nothing changed.
 */
export function traceDelta(before: TracePanelGraph, after: TracePanelGraph): TraceDelta | undefined {
  const nodes = changes(before.nodes, after.nodes, byId);
  const edges = changes(before.edges, after.edges, edgeKey);
  const timeline = changes(before.timeline, after.timeline, byId);
  const dvms = changes(before.dvms, after.dvms, byNodeId);
  if (!nodes || !edges || !timeline || !dvms) return undefined;
  const delta: TraceDelta = { askedId: after.askedId, requestId: after.requestId, truncated: after.truncated, jobs: after.jobs, nodes, edges, timeline, dvms };
  const rebuilt = applyTraceDelta(before, delta);
  const same = <T>(a: readonly T[], b: readonly T[], key: (item: T) => string) => a.length === b.length && a.every((item, index) => key(item) === key(b[index]));
  // Kept items in the same order is what applying relies on: checked here, where the whole graph can still be sent.
  if (!same(rebuilt.timeline, after.timeline, byId) || !same(rebuilt.dvms, after.dvms, byNodeId)) return undefined;
  return delta;
}

export function isEmptyDelta(delta: TraceDelta, before: TracePanelGraph): boolean {
  return delta.nodes.length === 0 && delta.edges.length === 0 && delta.timeline.length === 0 && delta.dvms.length === 0
    && delta.askedId === before.askedId && delta.truncated === before.truncated && JSON.stringify(delta.jobs) === JSON.stringify(before.jobs);
}

/** The page's side: the graph it has, with the delta applied (kept items keep their order, new ones go to their place). */
export function applyTraceDelta(graph: TracePanelGraph, delta: TraceDelta): TracePanelGraph {
  return {
    askedId: delta.askedId,
    requestId: delta.requestId,
    truncated: delta.truncated,
    jobs: delta.jobs,
    nodes: merge(graph.nodes, delta.nodes, byId),
    edges: merge(graph.edges, delta.edges, edgeKey),
    timeline: merge(graph.timeline, delta.timeline, byId),
    dvms: merge(graph.dvms, delta.dvms, byNodeId),
  };
}

/** New and changed items of `after`, or undefined when an item of `before` is gone from it. */
function changes<T>(before: readonly T[], after: readonly T[], key: (item: T) => string): Placed<T>[] | undefined {
  const old = new Map(before.map((item) => [key(item), JSON.stringify(item)]));
  const found: Placed<T>[] = [];
  let kept = 0;
  after.forEach((item, index) => {
    const was = old.get(key(item));
    if (was !== undefined) kept++;
    if (was === undefined || was !== JSON.stringify(item)) found.push({ index, item });
  });
  return kept === old.size ? found : undefined;
}

function merge<T>(list: readonly T[], placed: readonly Placed<T>[], key: (item: T) => string): T[] {
  const keys = new Set(list.map(key));
  const updated = new Map(placed.filter(({ item }) => keys.has(key(item))).map(({ item }) => [key(item), item]));
  const result = list.map((item) => updated.get(key(item)) ?? item);
  for (const { index, item } of [...placed].filter(({ item }) => !keys.has(key(item))).sort((a, b) => a.index - b.index)) result.splice(index, 0, item);
  return result;
}
