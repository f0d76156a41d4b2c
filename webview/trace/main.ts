import type { TraceDvmSummary, TraceNode } from '../../src/protocol/nostrProtocol';
import { traceProtocol, type TracePanelGraph, type TracePanelRow } from '../../src/protocol/tracePanelProtocol';
import { element } from '../common/dom';
import { GraphView } from '../common/graphView';
import { connectPanel } from '../common/hostApi';
import { DetailsPane } from './detailsPane';
import { DvmTable } from './dvmTable';
import { legend } from './legend';
import { TimelineTable } from './timelineTable';
import { clock, shortId } from './traceFormat';
import { changedSince, toGraphData } from './traceGraphData';
import type { GraphData } from '../common/graphTypes';
import { TRACE_GROUPS } from './traceGroups';

// Marks for `npm run bench trace`, which reads them to say where a first paint's time goes.
performance.mark('trace:script');
const { messenger } = connectPanel(traceProtocol, {});

let current: TracePanelGraph | undefined;
let nodes = new Map<string, TraceNode>();
let shownAsked: string | undefined;
let view: GraphView | undefined;
/** What the view was last given, to hand it only what changed. */
let drawn: GraphData | undefined;
/** The tables are filled once the first graph is on screen (see show); until then a graph only updates `current`. */
let tablesShown = false;

const root = document.getElementById('root')!;
const title = element('h1', { text: 'Job trace' });
const status = element('span', { className: 'status', text: 'Loading…' });
status.setAttribute('role', 'status');
const toolbar = element('header', { className: 'toolbar' });
const button = (text: string, label: string, run: () => void, className = 'secondary') => {
  const made = element('button', { text, className, title: label });
  made.setAttribute('aria-label', label);
  made.addEventListener('click', run);
  return made;
};
toolbar.append(
  title,
  button('Fit', 'Fit the whole graph in view', () => view?.fit()),
  button('+', 'Zoom in', () => view?.zoom(1.25)),
  button('−', 'Zoom out', () => view?.zoom(0.8)),
  button('Refresh', 'Read the trace again', () => messenger.post({ type: 'refresh' })),
  button('Export JSON…', 'Save the trace (signed events and graph) as JSON', () => messenger.post({ type: 'export' }), ''),
  status,
);
const subtitle = element('p', { className: 'subtitle' });
const graphBox = element('div', { className: 'graph' });
const details = new DetailsPane({
  openEvent: (id) => messenger.post({ type: 'openEvent', id }),
  revealDvm: (pubkey) => messenger.post({ type: 'revealDvm', pubkey }),
  copy: (what, id) => messenger.post({ type: 'copy', what, id }),
  centre: (nodeId) => selectNode(nodeId, { centre: true }),
  fetchEvent: (id) => messenger.request('event', { id }),
});
const timeline = new TimelineTable((row) => row.nodeId && selectNode(row.nodeId, { centre: true }));
const dvmTable = new DvmTable((dvm) => selectNode(dvm.nodeId, { centre: true }));
root.append(
  toolbar,
  subtitle,
  element('div', { className: 'trace-main' }, element('div', { className: 'graph-column' }, graphBox, legend(TRACE_GROUPS)), details.element),
  element('section', {}, element('h2', { text: 'Timeline' }), element('div', { className: 'table-scroll' }, timeline.element)),
  element('section', {}, element('h2', { text: 'DVMs' }), element('div', { className: 'table-scroll' }, dvmTable.element)),
);

messenger.onMessage((message) => {
  switch (message.type) {
    case 'loading':
      status.textContent = 'Reading the trace…';
      return;
    case 'missing':
      status.textContent = `No job found for ${shortId(message.subject.asked)}: it is no longer stored.`;
      return;
    case 'error':
      status.textContent = `Could not read the trace: ${message.message}`;
      return;
    case 'notice':
      status.textContent = message.message;
      return;
    case 'graph':
      if (!current) performance.mark('trace:graph-received');
      show(message.graph);
      status.textContent = `Updated ${clock(message.readAt / 1000)}`;
      return;
  }
});
messenger.onRefused((refusal) => {
  status.textContent = `Refused a message from the extension: ${refusal.reason}`;
});

function show(graph: TracePanelGraph): void {
  const first = current === undefined;
  current = graph;
  nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const job = graph.jobs.find((each) => each.requestId === graph.requestId);
  title.textContent = job?.kind != null ? `Job trace · ${job.kind} ${job.kindName}` : 'Job trace';
  subtitle.textContent = `Job ${graph.requestId} · ${graph.timeline.length} events in ${graph.jobs.length} job${graph.jobs.length === 1 ? '' : 's'}` +
    `${graph.truncated ? ' · the chain was cut at its size limit' : ''}`;
  if (!view) {
    // Straight edges: the layout puts every answer on its DVM's row, and a curve costs more on every frame.
    view = GraphView.create(graphBox, { groups: TRACE_GROUPS, ariaLabel: 'Job trace graph', network: { edges: { smooth: false } } });
    view.on('select', (selection) => {
      if (selection.nodes[0]) selectNode(selection.nodes[0], { centre: false });
      else deselect();
    });
    view.on('doubleClick', (target) => target.node && activate(target.node));
  }
  const data = toGraphData(graph, { place: first });
  if (first) {
    performance.mark('trace:graph-data');
    view.setData(data);
    performance.mark('trace:set-data');
    requestAnimationFrame(() => requestAnimationFrame(() => {
      document.body.dataset.firstPaintMs = performance.now().toFixed(1);
      // Hundreds of timeline rows cost a frame of their own: they come after the graph is drawn, from the newest
      // graph the page holds by then, with the selection the graph already shows.
      tablesShown = true;
      if (current) showTables(current);
      timeline.select(details.nodeId);
      dvmTable.select(details.nodeId);
      performance.mark('trace:tables');
      // The page finished its layout (legend, details, tables) after the graph was fitted: fit it to its final box.
      view?.fit();
    }));
  } else {
    const changed = changedSince(drawn, data);
    if (changed.nodes.length > 0 || changed.edges.length > 0) view.add(changed);
  }
  drawn = data;
  graphBox.setAttribute('aria-label', `Job trace graph: ${graph.nodes.length} nodes, ${graph.edges.length} edges. The timeline below lists every event; Enter on a row selects it.`);
  graphBox.dataset.nodes = String(graph.nodes.length);
  if (tablesShown) showTables(graph);
  if (graph.askedId !== shownAsked) {
    shownAsked = graph.askedId;
    const asked = graph.nodes.find((node) => node.asked);
    if (asked) selectNode(asked.id, { centre: !first });
  } else if (details.nodeId && nodes.has(details.nodeId)) {
    showDetails(details.nodeId);
  }
}

function showTables(graph: TracePanelGraph): void {
  timeline.render(graph.timeline, names(graph));
  dvmTable.render(graph.dvms, graph.jobs);
}

/** Profile names by pubkey, from the DVM summaries and timeline rows that carry one. */
function names(graph: TracePanelGraph): Map<string, string> {
  const known = new Map<string, string>();
  for (const dvm of graph.dvms) if (dvm.name) known.set(dvm.pubkey, dvm.name);
  for (const row of graph.timeline) if (row.authorName) known.set(row.pubkey, row.authorName);
  return known;
}

function selectNode(nodeId: string, options: { centre: boolean }): void {
  if (!nodes.has(nodeId)) return;
  if (options.centre) view?.select([nodeId]);
  timeline.select(nodeId);
  dvmTable.select(nodeId);
  showDetails(nodeId);
}

function deselect(): void {
  timeline.select(undefined);
  dvmTable.select(undefined);
  details.clear();
}

function showDetails(nodeId: string): void {
  const node = nodes.get(nodeId);
  if (!node || !current) return;
  const dvm: TraceDvmSummary | undefined = current.dvms.find((each) => each.nodeId === nodeId);
  const row: TracePanelRow | undefined = node.eventId ? current.timeline.find((each) => each.id === node.eventId) : undefined;
  const invoice = node.eventId ? nodes.get(`invoice:${node.eventId}`) : undefined;
  details.show(node, { dvm, row, invoice, otherJob: node.type === 'request' && node.requestId !== current.requestId });
}

/**
 * A double-click (or its keyboard twin in the details pane): a DVM is revealed in the DVMs view, a request of
 * another job of the chain re-centres the graph on it, any other event opens its signed JSON.
 */
function activate(nodeId: string): void {
  const node = nodes.get(nodeId);
  if (!node || !current) return;
  if (node.type === 'dvm') {
    if (node.pubkey) messenger.post({ type: 'revealDvm', pubkey: node.pubkey });
  } else if (node.type === 'request' && node.requestId !== current.requestId) {
    selectNode(nodeId, { centre: true });
  } else if (node.type !== 'customer' && node.eventId && !node.missing) {
    messenger.post({ type: 'openEvent', id: node.eventId });
  }
}

messenger.ready();
performance.mark('trace:ready-sent');
