import type { GraphView } from './graphView';

/** Where graph.js (graphChunk.ts) leaves the GraphView class for the page that loaded it. */
export const GRAPH_VIEW_GLOBAL = '__swarmscopeGraphView';

export type GraphViewClass = typeof GraphView;

/**
 * The page's own script tag, read while that script runs (document.currentScript is null in later callbacks): its
 * URL locates graph.js beside it, and its nonce lets the new script pass the page's CSP (scripts by nonce only).
 */
const pageScript = typeof document === 'undefined' ? null : document.currentScript as HTMLScriptElement | null;

let loading: Promise<GraphViewClass> | undefined;

function graphScriptUrl(): string | undefined {
  return pageScript?.src ? new URL('graph.js', pageScript.src).toString() : undefined;
}

/**
 * Starts fetching graph.js without running it (a preload, by the page's nonce): a page calls this first thing, and
 * loadGraphView once its first content is painted, so the fetch overlaps the first paint and the half megabyte of
 * graph code does not run in the middle of it.
 */
export function preloadGraphView(): void {
  const url = graphScriptUrl();
  if (!url || loading) return;
  const link = document.createElement('link');
  link.rel = 'preload';
  link.as = 'script';
  link.nonce = pageScript!.nonce;
  link.href = url;
  document.head.append(link);
}

/**
 * Loads vis-network and GraphView (dist/webview/graph.js) as a second script, so that a page paints its tables
 * and text first instead of waiting for half a megabyte of graph code (fetched already when preloadGraphView ran).
 * Loaded once per page; rejects when the script cannot load.
 */
export function loadGraphView(): Promise<GraphViewClass> {
  return (loading ??= new Promise<GraphViewClass>((resolve, reject) => {
    const loaded = () => (globalThis as Record<string, unknown>)[GRAPH_VIEW_GLOBAL] as GraphViewClass | undefined;
    if (loaded()) return resolve(loaded()!);
    const url = graphScriptUrl();
    if (!url) return reject(new Error('the page script has no URL to find graph.js beside'));
    const script = document.createElement('script');
    script.nonce = pageScript!.nonce;
    script.async = true;
    script.src = url;
    script.addEventListener('load', () => {
      const view = loaded();
      if (view) resolve(view);
      else reject(new Error('graph.js loaded but did not provide the graph view'));
    });
    script.addEventListener('error', () => reject(new Error('could not load graph.js')));
    document.head.append(script);
  }));
}
