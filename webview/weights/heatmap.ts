import { element } from '../common/dom';
import type { Grid } from './matrixGrid';
import { stepOf, type Palette } from './palette';

/** What a heatmap shows: the grid, how a value maps to colour, and how rows, columns and cells read as text. */
export interface HeatmapSource {
  readonly grid: Grid;
  intensity(value: number): number;
  rowLabel(row: number): string;
  colLabel(col: number): string;
  describe(row: number, col: number, value: number): string;
}

export interface HeatmapOptions {
  /** Largest cell side, CSS px. */
  readonly maxCell: number;
  /** Height the grid tries to fit in, CSS px. */
  readonly maxHeight: number;
  /** Square cells (the cosine matrix) or free-height rows (the weights matrix). */
  readonly square: boolean;
}

const LABEL_SPACING = 13;
const COLUMN_LABEL_SPACING = 44;
const TOP_GUTTER = 16;
/** Chromium refuses canvases past ~32k px a side; stay well inside. */
const MAX_CANVAS_PX = 16_384;

/**
 * A heatmap on one <canvas>: the grid is painted one pixel per cell into an offscreen canvas, then scaled up
 * without smoothing, so 64 × 1,024 cells cost one drawImage (no DOM per cell). Hover or the arrow keys read a cell
 * into a text tooltip (textContent only); keyboard reads also go to a polite live region.
 */
export class Heatmap {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private source: HeatmapSource | undefined;
  private palette: Palette | undefined;
  private image: HTMLCanvasElement | undefined;
  /** Requested column width in CSS px; 0 fits the grid into the width available. */
  private columnWidth = 0;
  private layout = { cellW: 1, cellH: 1, left: 0, top: TOP_GUTTER, width: 0, height: 0 };
  private hover: { row: number; col: number } | undefined;
  private focus: { row: number; col: number } | undefined;
  private frame = 0;
  private needsLayout = true;

  constructor(
    private readonly options: HeatmapOptions,
    private readonly tooltip: HTMLElement,
    private readonly live: HTMLElement,
  ) {
    this.canvas = element('canvas', { className: 'heatmap-canvas' });
    this.canvas.setAttribute('role', 'img');
    this.canvas.tabIndex = 0;
    this.element = element('div', { className: 'heatmap-scroll' }, this.canvas);
    this.canvas.addEventListener('mousemove', (event) => this.onPointer(event));
    this.canvas.addEventListener('mouseleave', () => {
      this.hover = undefined;
      this.hideTooltip();
      this.schedule();
    });
    this.canvas.addEventListener('keydown', (event) => this.onKey(event));
    this.canvas.addEventListener('blur', () => {
      if (!this.hover) this.hideTooltip();
    });
    new ResizeObserver(() => this.schedule(true)).observe(this.element);
  }

  show(source: HeatmapSource, palette: Palette, ariaLabel: string): void {
    this.source = source;
    this.palette = palette;
    this.canvas.setAttribute('aria-label', ariaLabel);
    this.hover = undefined;
    this.focus = undefined;
    this.hideTooltip();
    this.paintImage();
    this.schedule(true);
  }

  setPalette(palette: Palette): void {
    this.palette = palette;
    this.paintImage();
    this.schedule();
  }

  setColumnWidth(px: number): void {
    this.columnWidth = px;
    this.schedule(true);
  }

  /** One pixel per cell, coloured through the palette. */
  private paintImage(): void {
    const { source, palette } = this;
    if (!source || !palette) return;
    const { rows, cols, values } = source.grid;
    const image = this.image ?? document.createElement('canvas');
    image.width = Math.max(1, cols);
    image.height = Math.max(1, rows);
    const context = image.getContext('2d');
    if (!context) return;
    const pixels = context.createImageData(image.width, image.height);
    const data = pixels.data;
    for (let cell = 0; cell < rows * cols; cell++) {
      const from = stepOf(source.intensity(values[cell])) * 3;
      const to = cell * 4;
      data[to] = palette.steps[from];
      data[to + 1] = palette.steps[from + 1];
      data[to + 2] = palette.steps[from + 2];
      data[to + 3] = 255;
    }
    context.putImageData(pixels, 0, 0);
    this.image = image;
  }

  private measure(context: CanvasRenderingContext2D): void {
    const source = this.source!;
    const { rows, cols } = source.grid;
    context.font = canvasFont();
    let widest = 0;
    const every = this.rowLabelEvery(this.layout.cellH);
    for (let row = 0; row < rows; row += every) widest = Math.max(widest, context.measureText(source.rowLabel(row)).width);
    const left = Math.ceil(widest) + 8;
    const available = Math.max(60, this.element.clientWidth - left - 4);
    const dpr = window.devicePixelRatio || 1;
    const widthLimit = Math.max(1, Math.floor(MAX_CANVAS_PX / dpr / Math.max(1, cols)));
    let cellW = this.columnWidth > 0 ? this.columnWidth : Math.floor(available / Math.max(1, cols));
    cellW = clamp(cellW, 1, Math.min(widthLimit, this.columnWidth > 0 ? this.columnWidth : this.options.maxCell));
    const heightLimit = Math.max(1, Math.floor(MAX_CANVAS_PX / dpr / Math.max(1, rows)));
    let cellH = clamp(Math.floor(this.options.maxHeight / Math.max(1, rows)), 1, Math.min(this.options.maxCell, heightLimit));
    if (this.options.square) cellW = cellH = Math.min(cellW, cellH);
    this.layout = { cellW, cellH, left, top: TOP_GUTTER, width: left + cols * cellW + 2, height: TOP_GUTTER + rows * cellH + 2 };
  }

  private rowLabelEvery(cellH: number): number {
    return Math.max(1, Math.ceil(LABEL_SPACING / Math.max(1, cellH)));
  }

  private schedule(relayout = false): void {
    if (relayout) this.needsLayout = true;
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const { source, palette, image } = this;
    const context = this.canvas.getContext('2d');
    if (!source || !palette || !image || !context) return;
    const dpr = window.devicePixelRatio || 1;
    if (this.needsLayout) {
      // Two passes: the row-label gutter depends on which labels fit, which depends on the cell height.
      this.measure(context);
      this.measure(context);
      this.canvas.width = Math.round(this.layout.width * dpr);
      this.canvas.height = Math.round(this.layout.height * dpr);
      this.canvas.style.width = `${this.layout.width}px`;
      this.canvas.style.height = `${this.layout.height}px`;
      this.needsLayout = false;
    }
    const { cellW, cellH, left, top, width, height } = this.layout;
    const { rows, cols } = source.grid;
    context.setTransform(dpr, 0, 0, dpr, 0, 0);
    context.clearRect(0, 0, width, height);
    context.imageSmoothingEnabled = false;
    context.drawImage(image, left, top, cols * cellW, rows * cellH);

    context.font = canvasFont();
    context.fillStyle = palette.text;
    context.textBaseline = 'middle';
    context.textAlign = 'right';
    const rowEvery = this.rowLabelEvery(cellH);
    for (let row = 0; row < rows; row += rowEvery) context.fillText(source.rowLabel(row), left - 4, top + row * cellH + cellH / 2);
    context.textAlign = 'center';
    context.textBaseline = 'alphabetic';
    const colEvery = niceStep(COLUMN_LABEL_SPACING / cellW);
    let labelledUpTo = -Infinity;
    for (let col = 0; col < cols; col += colEvery) {
      const text = source.colLabel(col);
      const half = context.measureText(text).width / 2;
      // Centred on its column, but kept inside the canvas and clear of the previous label.
      const x = Math.min(Math.max(left + col * cellW + cellW / 2, left + half), width - half);
      if (x - half < labelledUpTo + 4) continue;
      context.fillText(text, x, top - 4);
      labelledUpTo = x + half;
    }

    const marked = this.hover ?? this.focus;
    if (marked) {
      const size = (cell: number) => Math.max(cell, 3);
      const x = left + marked.col * cellW - (size(cellW) - cellW) / 2;
      const y = top + marked.row * cellH - (size(cellH) - cellH) / 2;
      context.strokeStyle = palette.highlight;
      context.lineWidth = 1.5;
      context.strokeRect(x - 0.75, y - 0.75, size(cellW) + 1.5, size(cellH) + 1.5);
    }
  }

  private cellAt(offsetX: number, offsetY: number): { row: number; col: number } | undefined {
    const { cellW, cellH, left, top } = this.layout;
    const grid = this.source?.grid;
    if (!grid) return undefined;
    const col = Math.floor((offsetX - left) / cellW);
    const row = Math.floor((offsetY - top) / cellH);
    if (row < 0 || col < 0 || row >= grid.rows || col >= grid.cols) return undefined;
    return { row, col };
  }

  private onPointer(event: MouseEvent): void {
    const cell = this.cellAt(event.offsetX, event.offsetY);
    this.hover = cell;
    if (cell) this.showTooltip(this.describe(cell), event.clientX, event.clientY);
    else this.hideTooltip();
    this.schedule();
  }

  private onKey(event: KeyboardEvent): void {
    const grid = this.source?.grid;
    if (!grid || grid.rows === 0 || grid.cols === 0) return;
    const move = ({
      ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1],
      PageUp: [-10, 0], PageDown: [10, 0], Home: [0, -grid.cols], End: [0, grid.cols],
    } as Record<string, [number, number] | undefined>)[event.key];
    if (!move) return;
    event.preventDefault();
    // The first key press reads the top-left cell; later ones move from the last cell read.
    const next = this.focus
      ? { row: clamp(this.focus.row + move[0], 0, grid.rows - 1), col: clamp(this.focus.col + move[1], 0, grid.cols - 1) }
      : { row: 0, col: 0 };
    this.focus = next;
    this.hover = undefined;
    const text = this.describe(next);
    this.live.textContent = text;
    const { cellW, cellH, left, top } = this.layout;
    const cellX = left + next.col * cellW;
    this.element.scrollLeft = clamp(this.element.scrollLeft, cellX + cellW - this.element.clientWidth + 8, Math.max(0, cellX - left));
    const box = this.canvas.getBoundingClientRect();
    this.showTooltip(text, box.left + cellX + cellW, box.top + top + next.row * cellH + cellH);
    this.schedule();
  }

  private describe(cell: { row: number; col: number }): string {
    const source = this.source!;
    return source.describe(cell.row, cell.col, source.grid.values[cell.row * source.grid.cols + cell.col]);
  }

  private showTooltip(text: string, clientX: number, clientY: number): void {
    this.tooltip.textContent = text;
    this.tooltip.hidden = false;
    const margin = 8;
    const { width, height } = this.tooltip.getBoundingClientRect();
    const x = clientX + 14 + width > window.innerWidth - margin ? clientX - 14 - width : clientX + 14;
    const y = clientY + 14 + height > window.innerHeight - margin ? clientY - 14 - height : clientY + 14;
    this.tooltip.style.left = `${Math.max(margin, x)}px`;
    this.tooltip.style.top = `${Math.max(margin, y)}px`;
  }

  private hideTooltip(): void {
    this.tooltip.hidden = true;
  }
}

/** Canvas fonts take no CSS variables: resolve the editor UI font the page uses. */
function canvasFont(): string {
  return `11px ${getComputedStyle(document.body).fontFamily || 'sans-serif'}`;
}

/** The smallest 1, 2 or 5 × 10^k at or above `minimum`: column labels every 50 columns, not every 44. */
function niceStep(minimum: number): number {
  if (minimum <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(minimum));
  for (const factor of [1, 2, 5, 10]) if (factor * magnitude >= minimum) return factor * magnitude;
  return 10 * magnitude;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
