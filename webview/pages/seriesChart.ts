import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import type { ActivityPoint, ActivitySeries } from '../../src/protocol/nostrPagesProtocol';
import { themedChart, type ThemedChart } from '../common/charts';
import { element } from '../common/dom';
import type { ThemeColors } from '../common/themeColors';

Chart.register(LineController, LineElement, PointElement, CategoryScale, LinearScale, Tooltip, Legend);

export interface SeriesLine {
  readonly label: string;
  readonly value: (point: ActivityPoint) => number | null;
  readonly colour: keyof ThemeColors['charts'];
}

/** The sentence under a chart: what period its points cover, and why it may start later than asked. */
export function coverageText(series: ActivitySeries): string {
  const { covers } = series;
  const from = new Date(covers.from * 1000).toLocaleString();
  const to = new Date(covers.to * 1000).toLocaleString();
  const why = covers.limitedBy === 'retention'
    ? ' (older buckets of this size are no longer kept: a larger bucket reaches further back)'
    : covers.limitedBy === 'collection-start' ? ' (nothing older was collected or backfilled yet; a history backfill still running shows in the status bar)' : '';
  return `Covers ${from} – ${to}${why}, in ${series.bucket} buckets.`;
}

/** A line chart of an activity series that is redrawn in place on every update (live pages keep their canvas). */
export class SeriesChart {
  readonly element: HTMLElement;
  private readonly canvas = element('canvas');
  private readonly caption = element('p', { className: 'period' });
  private chart: ThemedChart<'line'> | undefined;

  /** `coverage`: say under the chart what period it covers (off for charts stacked under one that says it). */
  constructor(title: string, private readonly lines: readonly SeriesLine[], private readonly coverage = true) {
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', title);
    this.element = element('section', { className: 'series' }, element('h2', { text: title }), element('div', { className: 'chart-box' }, this.canvas), this.caption);
  }

  render(series: ActivitySeries): void {
    this.caption.textContent = this.coverage ? coverageText(series) : '';
    const labels = series.points.map((point) => new Date(point.t * 1000).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }));
    const data = this.lines.map((line) => series.points.map((point) => line.value(point)));
    if (this.chart) {
      this.chart.chart.data.labels = labels;
      for (const [index, dataset] of this.chart.chart.data.datasets.entries()) {
        dataset.data = data[index];
        (dataset as { pointRadius?: number }).pointRadius = labels.length <= 60 ? 2.5 : 0;
      }
      this.chart.chart.update();
      return;
    }
    this.chart = themedChart(this.canvas, {
      type: 'line',
      // Points are drawn while few: a series of one bucket (a new install, a long bucket) is otherwise invisible.
      data: { labels, datasets: this.lines.map((line, index) => ({ label: line.label, data: data[index], pointRadius: labels.length <= 60 ? 2.5 : 0, borderWidth: 1.5, spanGaps: true })) },
      options: { animation: false, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false }, scales: { x: { ticks: { maxTicksLimit: 8 } }, y: { beginAtZero: true } } },
    }, (themed, colors) => {
      for (const [index, dataset] of themed.data.datasets.entries()) {
        dataset.borderColor = colors.charts[this.lines[index].colour];
        dataset.backgroundColor = colors.charts[this.lines[index].colour];
      }
    });
  }

  dispose(): void {
    this.chart?.dispose();
    this.chart = undefined;
  }
}
