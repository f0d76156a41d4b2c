import { DataSet } from 'vis-data/peer';
import { Network, type Edge, type Node, type Options } from 'vis-network/peer';
import { placeNewNodes, type Point } from './graphLayout';
import type { GraphData, GraphEdge, GraphNode, GroupStyle } from './graphTypes';
import { onThemeChange, readTheme, type ThemeColors } from './theme';

export type { GraphData, GraphEdge, GraphNode, GroupStyle } from './graphTypes';

/**
 * vis-network for Swarmscope's graph panels (the job trace first). The peer build, with vis-data's DataSet passed
 * in, injects no `<style>`: its CSS is dist/webview/vis-network.css, linked by the panel (definition `styles`), so
 * the page's CSP (no inline style) holds. Labels and hover titles are strings, which vis-network draws and shows as
 * text (never HTML: `font.multi` stays off), so untrusted names are safe here.
 */

export interface GraphViewOptions {
  readonly groups?: Readonly<Record<string, GroupStyle>>;
  /** The canvas' accessible name; the page also gives a text alternative (the trace's timeline table). */
  readonly ariaLabel?: string;
  /** vis-network options applied over ours (layout, interaction…); colours come from the theme. */
  readonly network?: Options;
}

export interface GraphEvents {
  /** The selection changed (a click, or keyboard): the selected node and edge ids. */
  select: (selection: { readonly nodes: readonly string[]; readonly edges: readonly string[] }) => void;
  doubleClick: (target: { readonly node?: string; readonly edge?: string }) => void;
  /** The pointer entered a node (`node` set) or left it. */
  hover: (target: { readonly node?: string }) => void;
}

/** Physics lays a new graph out, then stops: after that nothing moves unless the user drags it. */
const STABILIZATION_ITERATIONS = 400;

export class GraphView {
  private readonly nodes = new DataSet<Node>();
  private readonly edges = new DataSet<Edge>();
  private readonly network: Network;
  private readonly stopTheme: () => void;
  private laidOut = false;

  static create(container: HTMLElement, options: GraphViewOptions = {}): GraphView {
    return new GraphView(container, options);
  }

  private constructor(container: HTMLElement, private readonly options: GraphViewOptions) {
    container.tabIndex = 0;
    container.setAttribute('role', 'img');
    if (options.ariaLabel) container.setAttribute('aria-label', options.ariaLabel);
    const base: Options = {
      autoResize: true,
      physics: { enabled: false, solver: 'forceAtlas2Based', stabilization: { enabled: false } },
      interaction: { hover: true, tooltipDelay: 150, keyboard: { enabled: true, bindToWindow: false }, multiselect: false },
      edges: { arrows: { to: { enabled: true, scaleFactor: 0.6 } }, smooth: { enabled: true, type: 'continuous', roundness: 0.3 } },
      nodes: { shape: 'dot', size: 14, borderWidth: 1 },
    };
    // One setOptions after another: vis-network merges them deeply, a spread would not.
    this.network = new Network(container, { nodes: this.nodes, edges: this.edges }, base);
    this.network.setOptions(themeOptions(readTheme(), options.groups));
    if (options.network) this.network.setOptions(options.network);
    this.network.on('stabilizationIterationsDone', () => {
      this.network.setOptions({ physics: { enabled: false } });
      this.network.fit({ animation: false });
    });
    this.stopTheme = onThemeChange((colors) => this.network.setOptions(themeOptions(colors, this.options.groups)));
  }

  /**
   * Replaces the whole graph and lays it out once, then fits it to the view. When the page placed every node itself
   * (x and y), those places are used as they are: no physics at all, so a large graph is drawn at once.
   */
  setData(data: GraphData): void {
    this.nodes.clear();
    this.edges.clear();
    const placed = data.nodes.length > 0 && data.nodes.every((node) => node.x !== undefined && node.y !== undefined);
    this.nodes.add(data.nodes.map((node) => (placed ? { ...toVisNode(node), x: node.x, y: node.y } : toVisNode(node))));
    this.edges.add(data.edges.map(toVisEdge));
    this.laidOut = true;
    if (placed) {
      this.network.setOptions({ physics: { enabled: false } });
      this.network.fit({ animation: false });
      return;
    }
    this.network.setOptions({ physics: { enabled: true } });
    this.network.stabilize(STABILIZATION_ITERATIONS);
  }

  /**
   * Adds nodes and edges, or updates those with known ids, without moving anything already drawn and without
   * touching the user's zoom and pan: new nodes are placed beside a neighbour (graphLayout.ts).
   */
  add(data: GraphData): void {
    if (!this.laidOut) {
      this.setData(data);
      return;
    }
    const known = new Set(this.nodes.getIds().map(String));
    const fresh = data.nodes.filter((node) => !known.has(node.id));
    const positions = new Map<string, Point>(Object.entries(this.network.getPositions()));
    const placed = placeNewNodes(fresh.map((node) => node.id), data.edges, positions, this.network.getViewPosition());
    this.nodes.update(data.nodes.filter((node) => known.has(node.id)).map(toVisNode));
    this.nodes.add(fresh.map((node) => ({ ...toVisNode(node), ...placed.get(node.id) })));
    this.edges.update(data.edges.map(toVisEdge));
  }

  /** Zooms about the centre of the view (factor > 1: in). */
  zoom(factor: number): void {
    this.network.moveTo({ scale: this.network.getScale() * factor, animation: { duration: 150, easingFunction: 'easeInOutQuad' } });
  }

  fit(): void {
    this.network.fit({ animation: { duration: 300, easingFunction: 'easeInOutQuad' } });
  }

  /** Selects these nodes (and nothing else) and brings the first into view at the current zoom. */
  select(nodeIds: readonly string[]): void {
    const present = nodeIds.filter((id) => this.nodes.get(id) !== null);
    this.network.selectNodes(present);
    if (present.length > 0) this.network.focus(present[0], { animation: { duration: 300, easingFunction: 'easeInOutQuad' } });
  }

  on<E extends keyof GraphEvents>(event: E, handler: GraphEvents[E]): () => void {
    const bindings: [string, (params: { nodes?: unknown[]; edges?: unknown[]; node?: unknown }) => void][] = [];
    if (event === 'select') {
      const select = handler as GraphEvents['select'];
      bindings.push(['select', (params) => select({ nodes: (params.nodes ?? []).map(String), edges: (params.edges ?? []).map(String) })]);
    } else if (event === 'doubleClick') {
      const doubleClick = handler as GraphEvents['doubleClick'];
      bindings.push(['doubleClick', (params) => {
        const node = params.nodes?.[0];
        const edge = params.edges?.[0];
        if (node !== undefined) doubleClick({ node: String(node) });
        else if (edge !== undefined) doubleClick({ edge: String(edge) });
      }]);
    } else {
      const hover = handler as GraphEvents['hover'];
      bindings.push(['hoverNode', (params) => hover({ node: String(params.node) })], ['blurNode', () => hover({})]);
    }
    for (const [name, callback] of bindings) this.network.on(name as 'select', callback);
    return () => {
      for (const [name, callback] of bindings) this.network.off(name as 'select', callback);
    };
  }

  dispose(): void {
    this.stopTheme();
    this.network.destroy();
  }
}

/** Without x and y: an update never moves a node the user may have dragged. */
function toVisNode(node: GraphNode): Node {
  return { id: node.id, label: node.label, group: node.group, title: node.title, size: node.emphasis ? 26 : 14, borderWidth: node.emphasis ? 3 : 1 };
}

function toVisEdge(edge: GraphEdge): Edge {
  return { id: edge.id, from: edge.from, to: edge.to, label: edge.label, dashes: edge.dashes ?? false };
}

/** Everything colour and font in the network, from the theme: applied at creation and on every theme change. */
function themeOptions(colors: ThemeColors, groups: GraphViewOptions['groups'] = {}): Options {
  const labelFont = { color: colors.foreground, face: colors.fontFamily, size: colors.fontSizePx, strokeWidth: 3, strokeColor: colors.background };
  return {
    nodes: {
      font: labelFont,
      color: {
        border: colors.border,
        background: colors.widgetBackground,
        highlight: { border: colors.focus, background: colors.widgetBackground },
        hover: { border: colors.focus, background: colors.widgetBackground },
      },
    },
    edges: {
      color: { color: colors.muted, highlight: colors.focus, hover: colors.foreground, inherit: false },
      font: { ...labelFont, color: colors.muted, size: Math.max(9, colors.fontSizePx - 2), align: 'middle' },
    },
    groups: Object.fromEntries(Object.entries(groups).map(([name, style]) => {
      const colour = style.colour(colors);
      return [name, {
        shape: style.shape,
        color: { background: colour, border: colour, highlight: { background: colour, border: colors.focus }, hover: { background: colour, border: colors.focus } },
      }];
    })),
  };
}
