import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip } from 'chart.js';
import { themedChart, type ThemedChart } from '../common/charts';
import { tickText, type XAxis } from './axisChoice';
import { keyColour } from './keyColours';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip, ScatterController);

export interface LineSeries {
  readonly label: string;
  /** What the colour follows (a coldkey, a hotkey, an IP, a series name). */
  readonly colourKey: string;
  /** x: a block, or a time in ms (xOf in axisChoice.ts), as `xAxis` says. */
  readonly points: readonly { readonly x: number; readonly y: number | null }[];
}

/** Lines over blocks or time, one colour per key, recoloured with the theme (the lightness follows light/dark). */
export function lineChart(canvas: HTMLCanvasElement, series: readonly LineSeries[], yLabel: string, xAxis: XAxis = 'block'): ThemedChart<'line'> {
  let low = Infinity;
  let high = -Infinity;
  for (const each of series) {
    for (const point of each.points) {
      low = Math.min(low, point.x);
      high = Math.max(high, point.x);
    }
  }
  const span = high > low ? high - low : 0;
  return themedChart<'line'>(canvas, {
    type: 'line',
    data: { datasets: series.map((each) => ({ label: each.label, data: each.points.map((p) => ({ x: p.x, y: p.y })), pointRadius: 0, borderWidth: 1.5, spanGaps: false })) },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { type: 'linear', title: { display: true, text: xAxis }, ticks: { callback: (value) => tickText(Number(value), xAxis, span), maxRotation: 0 } },
        y: { type: 'linear', title: { display: true, text: yLabel } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 10 } },
        tooltip: { callbacks: { title: (items) => (items.length > 0 ? tickText(items[0].parsed.x ?? 0, xAxis, 0) : '') } },
      },
    },
  }, (chart, colors) => {
    const light = colors.kind === 'light' || colors.kind === 'high-contrast-light';
    chart.data.datasets.forEach((dataset, index) => {
      const colour = keyColour(series[index]?.colourKey ?? '', light);
      dataset.borderColor = colour;
      dataset.backgroundColor = colour;
    });
  });
}
