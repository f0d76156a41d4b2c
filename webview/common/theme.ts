/**
 * The VS Code theme, as colours a canvas can use. VS Code writes its `--vscode-*` variables on `<html>`'s style
 * attribute and the theme kind as a class on `<body>`; CSS follows them by itself, but canvases (chart.js,
 * vis-network, heatmaps) must be told. So pages read colours here and redraw in `onThemeChange` (models: gitlens
 * apps/shared/theme.ts; vscode-js-profile-visualizer useCssVariables, which watches the same attribute).
 */

import type { ThemeColors, ThemeKind } from './themeColors';

export type { ThemeColors, ThemeKind } from './themeColors';

/** One theme variable's value now, or the fallback when the theme does not set it. */
export function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export function readTheme(): ThemeColors {
  const foreground = themeColor('--vscode-foreground', '#cccccc');
  return {
    kind: themeKind(),
    foreground,
    muted: themeColor('--vscode-descriptionForeground', foreground),
    background: themeColor('--vscode-editor-background', '#1e1e1e'),
    widgetBackground: themeColor('--vscode-editorWidget-background', '#252526'),
    border: themeColor('--vscode-widget-border', themeColor('--vscode-panel-border', '#454545')),
    focus: themeColor('--vscode-focusBorder', '#007fd4'),
    fontFamily: themeColor('--vscode-font-family', 'sans-serif'),
    fontSizePx: Number.parseFloat(themeColor('--vscode-font-size', '13px')) || 13,
    charts: {
      foreground: themeColor('--vscode-charts-foreground', foreground),
      lines: themeColor('--vscode-charts-lines', 'rgba(128, 128, 128, 0.5)'),
      blue: themeColor('--vscode-charts-blue', '#3794ff'),
      orange: themeColor('--vscode-charts-orange', '#d18616'),
      red: themeColor('--vscode-charts-red', '#f14c4c'),
      green: themeColor('--vscode-charts-green', '#89d185'),
      yellow: themeColor('--vscode-charts-yellow', '#cca700'),
      purple: themeColor('--vscode-charts-purple', '#b180d7'),
    },
  };
}

function themeKind(): ThemeKind {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  return classes.contains('vscode-light') ? 'light' : 'dark';
}

const callbacks = new Set<(colors: ThemeColors) => void>();
let observer: MutationObserver | undefined;
let last = '';

/**
 * Calls `callback` with the new colours whenever the theme changes them (not on every style write: VS Code
 * rewrites the whole attribute, often with the same values). Returns how to stop.
 */
export function onThemeChange(callback: (colors: ThemeColors) => void): () => void {
  callbacks.add(callback);
  if (!observer) {
    last = JSON.stringify(readTheme());
    observer = new MutationObserver(() => {
      const colors = readTheme();
      const key = JSON.stringify(colors);
      if (key === last) return;
      last = key;
      for (const each of [...callbacks]) each(colors);
    });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
    observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }
  return () => {
    callbacks.delete(callback);
    if (callbacks.size === 0) {
      observer?.disconnect();
      observer = undefined;
    }
  };
}
