/** The theme's colours as canvases use them (theme.ts reads them from VS Code's CSS variables). No DOM here, so pure modules can name the type. */
export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export interface ThemeColors {
  readonly kind: ThemeKind;
  readonly foreground: string;
  /** Secondary text: captions, axis notes, edge labels. */
  readonly muted: string;
  readonly background: string;
  /** Backgrounds of raised things (cards, tooltips, node labels). */
  readonly widgetBackground: string;
  readonly border: string;
  readonly focus: string;
  readonly fontFamily: string;
  readonly fontSizePx: number;
  /** VS Code's chart palette (`--vscode-charts-*`). */
  readonly charts: {
    readonly foreground: string;
    readonly lines: string;
    readonly blue: string;
    readonly orange: string;
    readonly red: string;
    readonly green: string;
    readonly yellow: string;
    readonly purple: string;
  };
}
