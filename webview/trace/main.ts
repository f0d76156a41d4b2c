import type { TraceDvmSummary, TraceNode } from '../../src/protocol/nostrProtocol';
import { applyTraceDelta } from '../../src/protocol/traceDelta';
import { traceDeltaOf, traceGraphOf, traceProtocol, type TracePanelGraph, type TracePanelRow } from '../../src/protocol/tracePanelProtocol';
import { element } from '../common/dom';
import { loadGraphView, preloadGraphView } from '../common/graphLoader';
import type { GraphView } from '../common/graphView';
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
const { messenger, state } = connectPanel(traceProtocol, {});
// vis-network (dist/webview/graph.js, 530 KB) is fetched while the page draws its first content and run after it
// is painted: the title, the timeline and the DVM table need no graph code, and the graph joins them. Not earlier:
// its fetch would share the way in with the trace's first message, which the first paint waits for.

/**
 * Rows of each table in the page's first paint: more than its scroll box (40% of the window's height) shows. The
 * layout of all 420 rows of a 20-job chain cost more than everything else in that paint.
 */
const FIRST_ROWS = 40;

let current: TracePanelGraph | undefined;
/** The version of the trace `current` is (the host's count): a delta applies only to the version it was made from. */
let version: number | undefined;
let nodes = new Map<string, TraceNode>();
let shownAsked: string | undefined;
let view: GraphView | undefined;
/** What the view was last given, to hand it only what changed. */
let drawn: GraphData | undefined;

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
  button('Send Test Job…', 'Open the playground with the selected job (or this one) filled in: its kind, inputs and target', sendTestJob),
  status,
);
const subtitle = element('p', { className: 'subtitle' });
const graphBox = element('div', { className: 'graph' });
const details = new DetailsPane({
  openEvent: (id) => messenger.post({ type: 'openEvent', id }),
  revealDvm: (pubkey) => messenger.post({ type: 'revealDvm', pubkey }),
  openDvmPage: (pubkey) => messenger.post({ type: 'openDvmPage', pubkey }),
  copy: (what, id) => messenger.post({ type: 'copy', what, id }),
  centre: (nodeId) => selectNode(nodeId, { centre: true }),
  fetchEvent: (id) => messenger.request('event', { id }),
  fetchAnswer: (id) => messenger.request('answer', { id }),
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
    case 'graph': {
      version = message.version;
      const graph = traceGraphOf(message);
      keepSubject(graph);
      show(graph);
      status.textContent = `Updated ${clock(message.readAt / 1000)}`;
      return;
    }
    case 'delta':
      if (!current || message.since !== version) {
        // Made for a version this page does not have: ask for the whole trace.
        messenger.post({ type: 'refresh' });
        return;
      }
      version = message.version;
      show(applyTraceDelta(current, traceDeltaOf(message)));
      status.textContent = `Updated ${clock(message.readAt / 1000)}`;
      return;
  }
});
messenger.onRefused((refusal) => {
  status.textContent = `Refused a message from the extension: ${refusal.reason}`;
});

/**
 * The job this page shows, persisted for the serializer: a panel opened before the engine found the job of the asked
 * event was named after the event in its HTML.
 */
function keepSubject(graph: TracePanelGraph): void {
  const named = state.subject as { requestId?: unknown; asked?: unknown } | null;
  if (named?.requestId !== graph.requestId || named?.asked !== graph.askedId) state.setSubject({ requestId: graph.requestId, asked: graph.askedId });
}

/**
 * Draws a trace: the first one straight into the text and tables (the page's first paint needs no graph code), and
 * into the graph once vis-network has loaded; later ones (live deltas) only where they differ.
 */
function show(graph: TracePanelGraph): void {
  const first = current === undefined;
  if (first) {
    performance.mark('trace:graph-received');
    preloadGraphView();
  }
  current = graph;
  nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const job = graph.jobs.find((each) => each.requestId === graph.requestId);
  title.textContent = job?.kind != null ? `Job trace · ${job.kind} ${job.kindName}` : 'Job trace';
  subtitle.textContent = `Job ${graph.requestId} · ${graph.timeline.length} events in ${graph.jobs.length} job${graph.jobs.length === 1 ? '' : 's'}` +
    `${graph.truncated ? ' · the chain was cut at its size limit' : ''}`;
  // A first trace fills the tables' visible part only; the hundreds of rows below the fold follow its paint.
  showTables(graph, first ? FIRST_ROWS : undefined);
  graphBox.setAttribute('aria-label', `Job trace graph: ${graph.nodes.length} nodes, ${graph.edges.length} edges. The timeline below lists every event; Enter on a row selects it.`);
  graphBox.dataset.nodes = String(graph.nodes.length);
  if (graph.askedId !== shownAsked) {
    shownAsked = graph.askedId;
    const asked = graph.nodes.find((node) => node.asked);
    if (asked) selectNode(asked.id, { centre: !first });
  } else if (details.nodeId && nodes.has(details.nodeId)) {
    showDetails(details.nodeId);
  }
  if (first) {
    performance.mark('trace:tables');
    // The graph is drawn after the text and tables are on screen: laying out 500 nodes would hold their paint back.
    afterPaint(() => {
      document.body.dataset.firstContentMs = performance.now().toFixed(1);
      if (current) showTables(current);
      performance.mark('trace:all-rows');
      void loadGraphView().then(drawGraph, (error: unknown) => {
        status.textContent = `Could not load the graph (the tables below list every event): ${error instanceof Error ? error.message : String(error)}`;
      });
    });
  } else if (view) {
    const data = toGraphData(graph, { place: false });
    const changed = changedSince(drawn, data);
    if (changed.nodes.length > 0 || changed.edges.length > 0) view.add(changed);
    drawn = data;
  }
}

/** The first drawing of the graph, laid out in full, from the newest trace the page holds by then. */
function drawGraph(Graph: typeof GraphView): void {
  if (view || !current) return;
  performance.mark('trace:graph-code');
  // Straight edges: the layout puts every answer on its DVM's row, and a curve costs more on every frame.
  // No ariaLabel here: show() keeps the box's label (its node and edge counts) up to date.
  view = Graph.create(graphBox, { groups: TRACE_GROUPS, network: { edges: { smooth: false } } });
  view.on('select', (selection) => {
    if (selection.nodes[0]) selectNode(selection.nodes[0], { centre: false });
    else deselect();
  });
  view.on('doubleClick', (target) => target.node && activate(target.node));
  drawn = toGraphData(current, { place: true });
  view.setData(drawn);
  performance.mark('trace:set-data');
  afterPaint(() => (document.body.dataset.graphDrawnMs = performance.now().toFixed(1)));
}

/** Runs once the frame that shows the page's latest changes has been painted. */
function afterPaint(run: () => void): void {
  requestAnimationFrame(() => requestAnimationFrame(run));
}

/** `limit`: draw only the first rows of each table (the page's first paint); the next call draws them all. */
function showTables(graph: TracePanelGraph, limit?: number): void {
  timeline.render(graph.timeline.slice(0, limit), names(graph));
  dvmTable.render(graph.dvms.slice(0, limit), graph.jobs);
  timeline.select(details.nodeId);
  dvmTable.select(details.nodeId);
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

/** The playground, filled from the job of the selected node (a sub-job of the chain), else from the panel's job. */
function sendTestJob(): void {
  if (!current) return;
  const selected = details.nodeId ? nodes.get(details.nodeId) : undefined;
  const job = selected?.requestId && !selected.missing ? selected.requestId : current.requestId;
  messenger.post({ type: 'sendTestJob', requestId: job });
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
