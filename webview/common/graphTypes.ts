import type { ThemeColors } from './themeColors';

/** What GraphView draws (graphView.ts), as plain data: no DOM here, so pages can build it in pure, unit-tested modules. */

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  /** Picks its colour and shape (GraphViewOptions.groups). */
  readonly group: string;
  /** Hover text, shown as text. */
  readonly title?: string;
  /** Drawn larger (the trace's asked event): a size reads in every theme, where a colour might not. */
  readonly emphasis?: boolean;
  /** A place chosen by the page (setData only: see there). */
  readonly x?: number;
  readonly y?: number;
}

export interface GraphEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  readonly dashes?: boolean;
}

export interface GraphData {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export interface GroupStyle {
  readonly shape?: 'dot' | 'box' | 'ellipse' | 'diamond' | 'square' | 'triangle' | 'triangleDown' | 'star' | 'hexagon';
  /** The group's colour in this theme, usually one of `colors.charts`. */
  colour(colors: ThemeColors): string;
}
