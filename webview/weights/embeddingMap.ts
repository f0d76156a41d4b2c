import { Chart, LinearScale, PointElement, ScatterController, Tooltip, type ChartEvent } from 'chart.js';
import type { WeightsView } from '../../src/protocol/bittensorProtocol';
import { themedChart, type ThemedChart } from '../common/charts';
import { element } from '../common/dom';
import { clusterColour, identityNames, type ClusterView } from './clusterView';
import { shortHotkey } from './matrixGrid';

Chart.register(ScatterController, PointElement, LinearScale, Tooltip);

/**
 * The validators' 2-D map (classical MDS of their weight rows' cosines), one dot per validator coloured by cluster.
 * Hovering a dot, or stepping through the dots with the arrow keys on the focused canvas, names it below the map
 * (hotkey and identity as text). Nearby dots agree; the axes have no unit.
 */
export class EmbeddingMap {
  readonly element: HTMLElement;
  private readonly canvas = element('canvas');
  private static readonly HINT = 'Hover the map to name the nearest dot, or focus it and use the arrow keys.';
  private readonly readout = element('p', { className: 'map-readout', text: EmbeddingMap.HINT });
  private chart: ThemedChart<'scatter'> | undefined;
  private labels: string[] = [];
  private focused = -1;

  constructor() {
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'img');
    this.canvas.className = 'embedding-canvas';
    this.readout.setAttribute('aria-live', 'polite');
    this.canvas.addEventListener('keydown', (event) => this.step(event));
    this.canvas.addEventListener('mouseleave', () => {
      this.readout.textContent = EmbeddingMap.HINT;
    });
    this.element = element('div', { className: 'embedding' }, element('div', { className: 'embedding-box' }, this.canvas), this.readout);
  }

  show(matrix: WeightsView, view: ClusterView): void {
    const { uids, points, explained } = matrix.structure.embedding;
    const rows = new Map(matrix.rows.map((row) => [row.uid, row]));
    const names = identityNames(matrix);
    this.labels = uids.map((uid, i) => {
      const name = names.get(uid);
      return `UID ${uid} · ${rows.get(uid)?.hotkey ?? 'hotkey unknown'}${name ? ` · ${name}` : ''} · cluster ${view.clusterOfRow[i] + 1}`;
    });
    this.focused = -1;
    this.readout.textContent = EmbeddingMap.HINT;
    this.canvas.setAttribute('aria-label', `Map of ${uids.length} validators by their weights (classical MDS): axis 1 shows ` +
      `${percent(explained[0])} of the variance, axis 2 ${percent(explained[1])}. Nearby dots set similar weights. Use the arrow keys to read dots.`);
    this.chart?.dispose();
    this.chart = themedChart<'scatter'>(this.canvas, {
      type: 'scatter',
      data: { datasets: [{ data: points.map(([x, y]) => ({ x, y })), pointRadius: 4, pointHoverRadius: 6 }] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        // The nearest dot wherever the pointer is: small dots need no aiming.
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: `axis 1 (${percent(explained[0])})` } },
          y: { type: 'linear', title: { display: true, text: `axis 2 (${percent(explained[1])})` } },
        },
        plugins: {
          legend: { display: false },
          // Canvas text: chain strings are drawn as characters, never parsed.
          tooltip: { callbacks: { label: (item) => `UID ${uids[item.dataIndex]} · ${shortHotkey(rows.get(uids[item.dataIndex])?.hotkey ?? null)}` } },
        },
        onHover: (_event: ChartEvent, elements) => {
          if (elements.length > 0) this.read(elements[0].index);
        },
      },
    }, (chart, colors) => {
      chart.data.datasets[0].pointBackgroundColor = uids.map((_, i) => clusterColour(view, view.clusterOfRow[i], colors));
      chart.data.datasets[0].pointBorderColor = colors.background;
    });
  }

  private step(event: KeyboardEvent): void {
    if (this.labels.length === 0) return;
    const delta = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0;
    if (delta === 0) return;
    event.preventDefault();
    this.read((this.focused + delta + this.labels.length) % this.labels.length);
  }

  private read(index: number): void {
    this.focused = index;
    this.readout.textContent = this.labels[index] ?? '';
    this.chart?.chart.setActiveElements([{ datasetIndex: 0, index }]);
    this.chart?.chart.update();
  }
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
