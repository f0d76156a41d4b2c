import { Chart, type ChartConfiguration, type ChartType } from 'chart.js';
import { onThemeChange, readTheme, type ThemeColors } from './theme';

/**
 * chart.js in a VS Code webview. chart.js 4 injects no CSS (the CSP holds) but draws on a canvas, so the theme is
 * applied by hand: Chart.defaults take the editor's text colour, grid colour and font; each chart's own colours
 * (series, ticks) are set by its `colour` function, at creation and on every theme change, then `chart.update()`.
 * Pages register the controllers and elements they use (Chart.register) themselves, so bundles stay small.
 */
export function applyChartDefaults(colors: ThemeColors): void {
  Chart.defaults.color = colors.foreground;
  Chart.defaults.borderColor = colors.charts.lines;
  Chart.defaults.font.family = colors.fontFamily;
}

export interface ThemedChart<T extends ChartType> {
  readonly chart: Chart<T>;
  dispose(): void;
}

export function themedChart<T extends ChartType>(
  canvas: HTMLCanvasElement,
  config: ChartConfiguration<T>,
  colour: (chart: Chart<T>, colors: ThemeColors) => void,
): ThemedChart<T> {
  const colors = readTheme();
  applyChartDefaults(colors);
  const chart = new Chart(canvas, config);
  // Not update('none'): in that mode chart.js keeps a dataset's shared element options from before, so bars kept
  // their old colour on a theme change. A chart made with `animation: false` does not animate either way.
  colour(chart, colors);
  chart.update();
  const stop = onThemeChange((changed) => {
    applyChartDefaults(changed);
    colour(chart, changed);
    chart.update();
  });
  return {
    chart,
    dispose: () => {
      stop();
      chart.destroy();
    },
  };
}
