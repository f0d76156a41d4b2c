import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js';
import { dashboardProtocol, type DashboardCoverage, type DashboardScope } from '../../src/protocol/dashboardProtocol';
import { SERIES_BUCKETS, SERIES_WINDOWS, type SeriesBucket, type SeriesWindow } from '../../src/protocol/nostrPagesProtocol';
import type { KindSummary, NostrMetrics, NostrMetricsScope } from '../../src/protocol/nostrProtocol';
import { themedChart, type ThemedChart } from '../common/charts';
import { element } from '../common/dom';
import { connectPanel } from '../common/hostApi';
import { ActivitySection } from './activitySection';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

const scopes: DashboardScope[] = ['all', '1h', '24h', '7d', '30d'];
const { messenger, state } = connectPanel(dashboardProtocol, { scope: 'all' as DashboardScope, series: { window: '24h' as SeriesWindow, bucket: '1h' as SeriesBucket } });
let scope: DashboardScope = scopes.includes(state.ui.scope) ? state.ui.scope : 'all';
let latest: { metrics: NostrMetrics; kinds: readonly KindSummary[]; coverage: DashboardCoverage | undefined } | undefined;
let chart: ThemedChart<'bar'> | undefined;
/** The kinds behind the bars, in bar order, for a click on a bar. */
let bars: readonly KindSummary[] = [];

const root = document.getElementById('root')!;
const header = element('header', { className: 'toolbar' });
const scopeButtons = scopes.map((each) => {
  const button = element('button', { text: each === 'all' ? 'All time' : each });
  button.setAttribute('aria-pressed', String(each === scope));
  button.addEventListener('click', () => {
    scope = each;
    state.update({ scope });
    for (const [i, other] of scopeButtons.entries()) other.setAttribute('aria-pressed', String(scopes[i] === scope));
    render();
  });
  return button;
});
const refresh = element('button', { text: 'Refresh', className: 'secondary' });
refresh.addEventListener('click', () => messenger.post({ type: 'refresh' }));
const status = element('span', { className: 'status', text: 'Loading…' });
status.setAttribute('role', 'status');
header.append(element('h1', { text: 'DVM Dashboard' }), ...scopeButtons, refresh, status);

// Says what period the figures cover (issue 9, item 10): "all time" is since this database started collecting.
const period = element('p', { className: 'period' });
period.setAttribute('aria-live', 'polite');
const cards = element('section', { className: 'cards' });
cards.setAttribute('aria-label', 'Metrics');
const chartBox = element('section', { className: 'chart' });
const canvas = element('canvas');
canvas.setAttribute('aria-label', 'Requests per kind');
canvas.setAttribute('role', 'img');
chartBox.append(element('h2', { text: 'Requests per kind' }), canvas);
const savedSeries = state.ui.series;
const activity = new ActivitySection((message) => messenger.post(message), {
  window: SERIES_WINDOWS.includes(savedSeries?.window) ? savedSeries.window : '24h',
  bucket: SERIES_BUCKETS.includes(savedSeries?.bucket) ? savedSeries.bucket : '1h',
}, (series) => state.update({ series }));
root.append(header, period, cards, chartBox, activity.element);

messenger.onMessage((message) => {
  if (message.type === 'error') {
    status.textContent = `Could not read metrics: ${message.message}`;
    return;
  }
  latest = { metrics: message.metrics, kinds: message.kinds, coverage: message.coverage };
  status.textContent = `Updated ${new Date(message.metrics.generatedAt * 1000).toLocaleTimeString()}`;
  renderCards();
  // The charts after the cards are on screen: building them took most of the page's own time to first paint.
  pendingCharts = { activity: message.activity ?? pendingCharts?.activity, kinds: message.kinds };
  requestAnimationFrame(() => setTimeout(drawPendingCharts, 0));
});

let pendingCharts: { activity?: Parameters<ActivitySection['render']>[0]; kinds: readonly KindSummary[] } | undefined;

function drawPendingCharts(): void {
  const charts = pendingCharts;
  pendingCharts = undefined;
  if (!charts) return;
  if (charts.activity) activity.render(charts.activity, charts.kinds);
  drawChart(charts.kinds);
}

function scopeOf(metrics: NostrMetrics): NostrMetricsScope {
  return scope === 'all' ? metrics : metrics.windows[scope];
}

const WINDOW_TEXT: Record<Exclude<DashboardScope, 'all'>, string> = { '1h': 'the last hour', '24h': 'the last 24 hours', '7d': 'the last 7 days', '30d': 'the last 30 days' };
const WINDOW_SECONDS: Record<Exclude<DashboardScope, 'all'>, number> = { '1h': 3_600, '24h': 86_400, '7d': 7 * 86_400, '30d': 30 * 86_400 };

/** The sentence above the cards: what the figures count, from when, and what is never fetched. */
function periodText(coverage: DashboardCoverage | undefined, generatedAt: number): string {
  const since = coverage?.collectingSince;
  const date = since === undefined ? undefined : new Date(since * 1000).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  const backfill = coverage?.backfillDays ?? 0;
  const history = backfill > 0 ? `, and for the last ${backfill} days into the hourly and daily figures (the history backfill, in the background)` : ' only';
  const older = coverage
    ? ` Relays are asked for the last ${coverage.rawWindowHours} h in full${history}; older events are not fetched (Swarmscope: Import Events… brings them in from a file).`
    : '';
  if (scope === 'all') return `All time: since Swarmscope started collecting${date ? ` on ${date}` : ''}, with what the relays still kept from before.${older}`;
  const start = generatedAt - WINDOW_SECONDS[scope];
  // The backfill reaches its days before collecting started, once it has run (the status bar shows how far it is).
  const reach = since === undefined ? undefined : since - backfill * 86_400;
  const reachDate = reach === undefined ? undefined : new Date(reach * 1000).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  const partial = reach === undefined || reach <= start ? ''
    : backfill > 0 ? ` — from ${reachDate} at most: ${backfill} days of history backfilled before Swarmscope started collecting on ${date}`
      : ` — only since ${date}, when Swarmscope started collecting`;
  return `${WINDOW_TEXT[scope][0].toUpperCase()}${WINDOW_TEXT[scope].slice(1)}${partial}.`;
}

function render(): void {
  if (!latest) return;
  renderCards();
  drawChart(latest.kinds);
}

function renderCards(): void {
  if (!latest) return;
  period.textContent = periodText(latest.coverage, latest.metrics.generatedAt);
  const metrics = scopeOf(latest.metrics);
  const rate = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);
  const secs = (value: number | null) => (value === null ? '–' : `${value.toFixed(1)} s`);
  const rows: [string, string, string?][] = [
    ['Requests', metrics.requests.toLocaleString()],
    ['Results', metrics.results.toLocaleString()],
    ['Feedback', metrics.feedback.toLocaleString()],
    ['Request kinds', String(metrics.requestKinds)],
    ['Result kinds', String(metrics.resultKinds)],
    ['DVMs', String(metrics.dvms)],
    ['NIP-89 profiles', String(metrics.profiles)],
    ['Unique users', String(metrics.users)],
    ['Most popular DVM', metrics.mostPopularDvm?.name || metrics.mostPopularDvm?.npub.slice(0, 16) || '–', metrics.mostPopularDvm ? `${metrics.mostPopularDvm.results} results` : undefined],
    ['Most popular kind', metrics.mostPopularKind ? `${metrics.mostPopularKind.kind} ${metrics.mostPopularKind.name}` : '–', metrics.mostPopularKind ? `${metrics.mostPopularKind.count} requests` : undefined],
    ['Kind with most users', metrics.mostPopularKindByUsers ? `${metrics.mostPopularKindByUsers.kind} ${metrics.mostPopularKindByUsers.name}` : '–'],
    ['Most competitive kind', metrics.competitiveKind ? `${metrics.competitiveKind.kind} ${metrics.competitiveKind.name}` : '–', metrics.competitiveKind ? `${metrics.competitiveKind.count} DVMs` : undefined],
    ['Sats requested', metrics.satsRequested.toLocaleString()],
    ['Sats earned (est.)', metrics.satsEarned.toLocaleString()],
    ['Sats proven (zaps)', metrics.satsProven.toLocaleString()],
    ['Encrypted requests', rate(metrics.encryptedShare), `${metrics.encryptedRequests} requests`],
    ['Success rate', rate(metrics.successRate)],
    ['Error rate', rate(metrics.errorRate)],
    ['Response time', `${secs(metrics.medianResponseSec)} median`, `p90 ${secs(metrics.p90ResponseSec)}`],
    ['First feedback', `${secs(metrics.medianFeedbackSec)} median`, `p90 ${secs(metrics.p90FeedbackSec)}`],
  ];
  cards.replaceChildren(...rows.map(([label, value, note]) =>
    element('div', { className: 'card' }, element('div', { className: 'label', text: label }), element('div', { className: 'value', text: value, title: value }),
      ...(note ? [element('div', { className: 'note', text: note })] : []))));
}

function drawChart(kinds: readonly KindSummary[]): void {
  bars = [...kinds].sort((a, b) => b.requests - a.requests).slice(0, 20);
  const labels = bars.map((kind) => `${kind.kind}${kind.name ? ` ${kind.name}` : ''}`);
  const data = bars.map((kind) => kind.requests);
  if (chart) {
    chart.chart.data.labels = labels;
    chart.chart.data.datasets[0].data = data;
    chart.chart.update();
    return;
  }
  chart = themedChart(canvas, {
    type: 'bar',
    data: { labels, datasets: [{ label: 'Requests', data }] },
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      onClick: (_event, elements) => {
        const index = elements[0]?.index;
        if (index !== undefined && bars[index]) messenger.post({ type: 'openKind', kind: bars[index].kind });
      },
      scales: { x: { ticks: {} }, y: { ticks: {} } },
    },
  }, (themed, colors) => {
    themed.data.datasets[0].backgroundColor = colors.charts.blue;
    for (const axis of [themed.options.scales?.x, themed.options.scales?.y]) {
      if (axis?.ticks) axis.ticks.color = colors.foreground;
    }
  });
}

messenger.ready();
// The host reads the series this page shows (a restored page may have chosen another than its default).
messenger.post({ type: 'series', ...activity.choice });
