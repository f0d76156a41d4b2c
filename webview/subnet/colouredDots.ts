import type { Chart, Plugin } from 'chart.js';

/**
 * Draws a scatter's dots, one colour each, straight onto the chart's canvas after chart.js has drawn its axes. Given
 * a colour per point, chart.js resolves every point's options one by one on each update (most of a frame's 30–46 ms
 * for 1,012 dots, measured by `npm run bench metagraph`); the dataset itself is drawn with no radius, so its options
 * are shared, and it is only there to give the scales their range.
 */
export class ColouredDots {
  private points: ReadonlyArray<{ readonly x: number; readonly y: number }> = [];
  private colours: readonly string[] = [];

  constructor(private readonly radius: number) {}

  show(points: ReadonlyArray<{ readonly x: number; readonly y: number }>, colours: readonly string[]): void {
    this.points = points;
    this.colours = colours;
  }

  plugin(): Plugin<'scatter'> {
    return {
      id: 'colouredDots',
      afterDatasetsDraw: (chart: Chart<'scatter'>) => this.draw(chart),
    };
  }

  private draw(chart: Chart<'scatter'>): void {
    const { ctx, chartArea, scales } = chart;
    const x = scales.x;
    const y = scales.y;
    if (!x || !y) return;
    ctx.save();
    ctx.beginPath();
    ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top);
    ctx.clip();
    // Points of one colour go in one path: a fill per colour, not per dot.
    const byColour = new Map<string, number[]>();
    this.points.forEach((point, i) => {
      const colour = this.colours[i] ?? 'gray';
      let list = byColour.get(colour);
      if (!list) byColour.set(colour, (list = []));
      list.push(i);
    });
    for (const [colour, indexes] of byColour) {
      ctx.fillStyle = colour;
      ctx.beginPath();
      for (const i of indexes) {
        const px = x.getPixelForValue(this.points[i].x);
        const py = y.getPixelForValue(this.points[i].y);
        ctx.moveTo(px + this.radius, py);
        ctx.arc(px, py, this.radius, 0, 2 * Math.PI);
      }
      ctx.fill();
    }
    ctx.restore();
  }
}
