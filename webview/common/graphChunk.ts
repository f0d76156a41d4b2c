import { GraphView } from './graphView';
import { GRAPH_VIEW_GLOBAL } from './graphLoader';

/**
 * The entry of dist/webview/graph.js: vis-network and the GraphView wrapper as a bundle of their own (~530 KB of
 * the trace page's 560), which a page loads after its first content (graphLoader.ts). It only hands the class over.
 */
(globalThis as Record<string, unknown>)[GRAPH_VIEW_GLOBAL] = GraphView;
