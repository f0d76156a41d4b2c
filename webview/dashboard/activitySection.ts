import type { DashboardActivity, FromDashboard } from '../../src/protocol/dashboardProtocol';
import { SERIES_BUCKETS, SERIES_WINDOWS, type RecentKindJobs, type SeriesBucket, type SeriesWindow } from '../../src/protocol/nostrPagesProtocol';
import type { DvmSummary, KindSummary } from '../../src/protocol/nostrProtocol';
import { element } from '../common/dom';
import { count, rate, seconds, shown, when } from '../pages/format';
import { linkButton } from '../pages/links';
import { SeriesChart } from '../pages/seriesChart';
import { SortableTable } from '../pages/sortableTable';
import { shortId } from '../trace/traceFormat';
import { fitBucket, fits } from './seriesChoice';

type Post = (message: FromDashboard) => void;

/**
 * The dashboard's activity (issue 12): the time series with bucket and window selectors and what period it covers,
 * the last 3 requests of every kind (each opening its trace), and sortable top DVMs and top kinds tables. The host
 * pushes new data with every snapshot; the selectors tell it which series to read.
 */
export class ActivitySection {
  readonly element: HTMLElement;
  private readonly windowSelect = element('select');
  private readonly bucketSelect = element('select');
  private readonly charts = [
    new SeriesChart('Requests, results, users and DVMs', [
      { label: 'Requests', value: (point) => point.requests, colour: 'blue' },
      { label: 'Results', value: (point) => point.results, colour: 'green' },
      { label: 'Unique users', value: (point) => point.users, colour: 'purple' },
      { label: 'Active DVMs', value: (point) => point.dvms, colour: 'orange' },
    ]),
    new SeriesChart('Sats requested and proven', [
      { label: 'Sats requested', value: (point) => point.satsRequested, colour: 'yellow' },
      { label: 'Sats proven (zaps)', value: (point) => point.satsProven, colour: 'green' },
    ], false),
    new SeriesChart('Error rate and median response time', [
      { label: 'Error rate (%)', value: (point) => (point.errorRate === null ? null : point.errorRate * 100), colour: 'red' },
      { label: 'Median response (s)', value: (point) => point.p50ResponseSec, colour: 'blue' },
    ], false),
  ];
  private readonly recent = element('div', { className: 'recent' });
  private readonly dvms: SortableTable<DvmSummary>;
  private readonly kinds: SortableTable<KindSummary>;

  constructor(private readonly post: Post, choice: { window: SeriesWindow; bucket: SeriesBucket }, private readonly remember: (choice: { window: SeriesWindow; bucket: SeriesBucket }) => void) {
    for (const window of SERIES_WINDOWS) this.windowSelect.append(option(window, `last ${window}`));
    for (const bucket of SERIES_BUCKETS) this.bucketSelect.append(option(bucket, `${bucket} buckets`));
    this.windowSelect.value = choice.window;
    this.bucketSelect.value = fitBucket(choice.window, choice.bucket);
    this.windowSelect.setAttribute('aria-label', 'Series window');
    this.bucketSelect.setAttribute('aria-label', 'Series bucket');
    this.windowSelect.addEventListener('change', () => this.choose(true));
    this.bucketSelect.addEventListener('change', () => this.choose(false));
    this.markBuckets();
    const open = {
      dvm: (dvm: DvmSummary) => linkButton(shown(dvm.name) || shortId(dvm.pubkey), `DVM ${dvm.pubkey}`, () => post({ type: 'openDvm', pubkey: dvm.pubkey })),
      kind: (kind: number, name: string) => linkButton(`${kind}${name ? ` ${shown(name, 40)}` : ''}`, `Kind ${kind}`, () => post({ type: 'openKind', kind })),
    };
    this.dvms = new SortableTable('Top DVMs', [
      { label: 'DVM', sort: (dvm) => shown(dvm.name) || dvm.npub, cell: open.dvm },
      { label: 'Status', sort: (dvm) => dvm.status, cell: (dvm) => dvm.status },
      { label: 'Jobs', sort: (dvm) => dvm.jobs, numeric: true, cell: (dvm) => count(dvm.jobs) },
      { label: 'Success', sort: (dvm) => dvm.successRate, numeric: true, cell: (dvm) => rate(dvm.successRate) },
      { label: 'Median response', sort: (dvm) => dvm.medianResponseSec, numeric: true, cell: (dvm) => seconds(dvm.medianResponseSec) },
      { label: 'Sats requested', sort: (dvm) => dvm.satsRequested, numeric: true, cell: (dvm) => count(dvm.satsRequested) },
      { label: 'Sats proven', sort: (dvm) => dvm.satsProven, numeric: true, cell: (dvm) => count(dvm.satsProven) },
    ], 'No DVM seen yet.');
    this.kinds = new SortableTable('Top kinds', [
      { label: 'Kind', sort: (kind) => kind.kind, cell: (kind) => open.kind(kind.kind, kind.name) },
      { label: 'Requests', sort: (kind) => kind.requests, numeric: true, cell: (kind) => count(kind.requests) },
      { label: 'Results', sort: (kind) => kind.results, numeric: true, cell: (kind) => count(kind.results) },
      { label: 'DVMs', sort: (kind) => kind.dvms, numeric: true, cell: (kind) => count(kind.dvms) },
    ], 'No kind seen yet.');
    const selectors = element('div', { className: 'toolbar' }, element('span', { text: 'Series:' }), this.windowSelect, this.bucketSelect);
    this.element = element('section', { className: 'activity' }, element('h2', { text: 'Activity over time' }), selectors, ...this.charts.map((chart) => chart.element),
      element('h2', { text: 'Recent requests (last 3 of every kind)' }), this.recent,
      element('h2', { text: 'Top DVMs' }), this.dvms.element, element('h2', { text: 'Top kinds' }), this.kinds.element);
    this.element.setAttribute('aria-label', 'Activity');
    this.openKind = open.kind;
  }

  private readonly openKind: (kind: number, name: string) => HTMLButtonElement;

  /** The series the page asks the host for. */
  get choice(): { window: SeriesWindow; bucket: SeriesBucket } {
    return { window: this.windowSelect.value as SeriesWindow, bucket: this.bucketSelect.value as SeriesBucket };
  }

  render(activity: DashboardActivity, kinds: readonly KindSummary[]): void {
    for (const chart of this.charts) chart.render(activity.series);
    this.recent.replaceChildren(...activity.recent.map((kind) => this.recentKind(kind)));
    if (activity.recent.length === 0) this.recent.append(element('p', { className: 'note', text: 'No request seen yet.' }));
    this.dvms.render(activity.dvms);
    this.kinds.render([...kinds].sort((a, b) => b.requests - a.requests).slice(0, 20));
  }

  private recentKind(kind: RecentKindJobs): HTMLElement {
    const jobs = kind.jobs.map((job) => element('li', {},
      linkButton(`${when(job.createdAt)} · ${job.status}`, `Open the trace of job ${job.requestId}`, () => this.post({ type: 'openTrace', requestId: job.requestId }))));
    return element('div', { className: 'recent-kind' }, this.openKind(kind.kind, kind.name), element('ul', { className: 'plain' }, ...jobs));
  }

  private choose(windowChanged: boolean): void {
    const window = this.windowSelect.value as SeriesWindow;
    if (windowChanged) this.bucketSelect.value = fitBucket(window, this.bucketSelect.value as SeriesBucket);
    this.markBuckets();
    this.remember(this.choice);
    this.post({ type: 'series', ...this.choice });
  }

  /** Buckets the engine would refuse over this window are shown but not offered. */
  private markBuckets(): void {
    for (const each of [...this.bucketSelect.options]) each.disabled = !fits(this.windowSelect.value as SeriesWindow, each.value as SeriesBucket);
  }
}

function option(value: string, text: string): HTMLOptionElement {
  const item = element('option', { text });
  item.value = value;
  return item;
}
