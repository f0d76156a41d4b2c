import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip } from 'chart.js';
import { themedChart, type ThemedChart } from '../common/charts';
import { keyColour } from './keyColours';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip, ScatterController);

export interface LineSeries {
  readonly label: string;
  /** What the colour follows (a coldkey, an IP, a series name). */
  readonly colourKey: string;
  readonly points: readonly { readonly x: number; readonly y: number | null }[];
}

/** Lines over blocks, one colour per key, recoloured with the theme (the lightness follows light/dark). */
export function lineChart(canvas: HTMLCanvasElement, series: readonly LineSeries[], yLabel: string): ThemedChart<'line'> {
  return themedChart<'line'>(canvas, {
    type: 'line',
    data: { datasets: series.map((each) => ({ label: each.label, data: each.points.map((p) => ({ x: p.x, y: p.y })), pointRadius: 0, borderWidth: 1.5, spanGaps: false })) },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      interaction: { mode: 'nearest', intersect: false },
      scales: { x: { type: 'linear', title: { display: true, text: 'block' } }, y: { type: 'linear', title: { display: true, text: yLabel } } },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } } },
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
