import type { DvmKindFigures, DvmPage, DvmRecentEvent, ErrorMessageCount, ProblemJob } from '../../src/protocol/nostrPagesProtocol';
import { element } from '../common/dom';
import { facts, section, type PageView } from './blocks';
import { count, rate, seconds, shown, when } from './format';
import { kindLink, linkButton, traceLink, type Post } from './links';
import { SeriesChart } from './seriesChart';
import { SortableTable } from './sortableTable';

/**
 * A DVM's page: its NIP-89 card (the picture's URL as text, never loaded), liveness, figures per kind, problems,
 * jobs over time and its newest events, each opening its trace; Watch pins it.
 */
export class DvmView implements PageView<DvmPage> {
  readonly element = element('div', { className: 'page dvm-page' });
  private readonly header = element('div', { className: 'page-header' });
  private readonly card = element('div');
  private readonly liveness = element('div');
  private readonly totals = element('div');
  private readonly kinds: SortableTable<DvmKindFigures>;
  private readonly problems = element('div');
  private readonly chart = new SeriesChart('Jobs over time', [
    { label: 'Jobs', value: (point) => point.jobs, colour: 'blue' },
    { label: 'Successes', value: (point) => point.successes, colour: 'green' },
    { label: 'Errors', value: (point) => point.errors, colour: 'red' },
  ]);
  private readonly recent: SortableTable<DvmRecentEvent>;

  constructor(private readonly post: Post) {
    this.kinds = new SortableTable('Per kind', [
      { label: 'Kind', sort: (row) => row.kind, cell: (row) => kindLink(post, row.kind, row.name) },
      { label: 'Jobs', sort: (row) => row.jobs, numeric: true, cell: (row) => count(row.jobs) },
      { label: 'Results', sort: (row) => row.results, numeric: true, cell: (row) => count(row.results) },
      { label: 'Success', sort: (row) => row.successRate, numeric: true, cell: (row) => rate(row.successRate) },
      { label: 'p50 response', sort: (row) => row.p50ResponseSec, numeric: true, cell: (row) => seconds(row.p50ResponseSec) },
      { label: 'p90 response', sort: (row) => row.p90ResponseSec, numeric: true, cell: (row) => seconds(row.p90ResponseSec) },
      { label: 'First feedback (p50)', sort: (row) => row.p50FeedbackSec, numeric: true, cell: (row) => seconds(row.p50FeedbackSec) },
      { label: 'Sats requested', sort: (row) => row.satsRequested, numeric: true, cell: (row) => count(row.satsRequested) },
      { label: 'Sats earned', sort: (row) => row.satsEarned, numeric: true, cell: (row) => count(row.satsEarned) },
      { label: 'Sats proven', sort: (row) => row.satsProven, numeric: true, cell: (row) => count(row.satsProven) },
      { label: 'Waiting', sort: (row) => row.waiting, numeric: true, cell: (row) => count(row.waiting) },
    ], 'No jobs kept for this DVM.');
    this.recent = new SortableTable('Newest events', [
      { label: 'When', sort: (row) => row.createdAt, numeric: true, cell: (row) => when(row.createdAt) },
      { label: 'Event', cell: (row) => traceLink(post, row.id) },
      { label: 'Kind', sort: (row) => row.kind, cell: (row) => String(row.kind) },
      { label: 'Role', sort: (row) => row.role, cell: (row) => row.role },
      { label: 'Status', sort: (row) => row.status ?? null, cell: (row) => shown(row.status, 60) },
      { label: 'Sats', sort: (row) => row.amountSats ?? null, numeric: true, cell: (row) => (row.amountSats === undefined ? '' : count(row.amountSats)) },
      { label: 'Job', cell: (row) => traceLink(post, row.requestId) },
    ], 'No events of this DVM are kept.');
    this.element.append(
      this.header,
      section('Profile (NIP-89)', this.card),
      section('Liveness', this.liveness),
      section('All time', this.totals),
      section('Per kind', this.kinds.element),
      section('Problems', this.problems),
      this.chart.element,
      section('Newest events', this.recent.element),
    );
  }

  render(page: DvmPage): void {
    const watch = linkButton('Watch', 'Keep this DVM in the Watched view; it is never evicted', () => this.post({ type: 'watch', pubkey: page.pubkey }));
    watch.className = 'secondary';
    this.header.replaceChildren(
      element('h1', { text: shown(page.name ?? page.profile.name) || 'Unnamed DVM' }),
      element('code', { className: 'key', text: page.npub, title: page.pubkey }),
      watch,
    );
    this.renderCard(page);
    const live = page.liveness;
    const expiry = live.heartbeatExpiresAt === null ? '–' : `${when(live.heartbeatExpiresAt)}${live.heartbeatExpired ? ' (expired)' : ''}`;
    this.liveness.replaceChildren(facts([
      ['Status', element('span', { className: `liveness ${live.status}`, text: live.status })],
      ['Last seen', when(live.lastSeen)],
      ['Last result', when(live.lastResultAt)],
      ['Last feedback', when(live.lastFeedbackAt)],
      ['Last heartbeat (11998)', when(live.lastHeartbeatAt)],
      ['Heartbeat expires (NIP-40)', expiry],
      ['Waiting requests', `${count(live.waiting)} in the last ${Math.round(live.waitingWindowSec / 60)} min`],
    ]));
    const totals = page.totals;
    this.totals.replaceChildren(facts([
      ['Jobs', count(totals.jobs)], ['Results', count(totals.results)], ['Success rate', rate(totals.successRate)], ['Errors', count(totals.errors)],
      ['Sats requested', count(totals.satsRequested)], ['Sats earned (est.)', count(totals.satsEarned)], ['Sats proven (zaps)', count(totals.satsProven)],
      ['First seen', when(totals.firstSeen)],
    ]));
    this.kinds.render(page.kinds);
    this.renderProblems(page);
    this.chart.render(page.jobsOverTime);
    this.recent.render(page.recent);
  }

  dispose(): void {
    this.chart.dispose();
  }

  private renderCard(page: DvmPage): void {
    const profile = page.profile;
    const yesNo = (value: boolean | undefined) => (value === undefined ? '–' : value ? 'yes' : 'no');
    const kinds = element('span', { className: 'chips' }, ...profile.announcedKinds.map((announced) => kindLink(this.post, announced.kind, announced.name)));
    const relays = element('ul', { className: 'plain' }, ...profile.relays.map((relay) => element('li', { text: shown(relay, 200) })));
    const params = profile.nip90Params === undefined ? '–' : element('pre', { className: 'json', text: JSON.stringify(profile.nip90Params, null, 2).slice(0, 4000) });
    this.card.replaceChildren(
      profile.hasProfile ? '' : element('p', { className: 'note', text: 'No NIP-89 handler announces a job kind for this DVM; what is shown comes from its kind 0 profile, if any.' }),
      facts([
        ['Name', shown(profile.name) || '–'],
        ['About', element('span', { className: 'about', text: shown(profile.about, 400) || '–' })],
        ['Lightning address (lud16)', shown(profile.lud16) || '–'],
        ['Encryption supported', yesNo(profile.encryptionSupported)],
        ['Cashu accepted', yesNo(profile.cashuAccepted)],
        ['Announced kinds', profile.announcedKinds.length ? kinds : '–'],
        ['Relays', profile.relays.length ? relays : '–'],
        ['nip90Params', params],
        ['Picture (not loaded)', shown(profile.picture, 200) || '–'],
        ['Handler updated', when(profile.updatedAt)],
      ]),
    );
  }

  private renderProblems(page: DvmPage): void {
    const { unpaidInvoices, paidWithoutResult, errorMessages, errorJobsScanned } = page.problems;
    const jobs = (list: readonly ProblemJob[]) => element('span', { className: 'chips' }, ...list.map((job) => traceLink(this.post, job.requestId)));
    const errors = element('ul', { className: 'plain' }, ...errorMessages.map((error: ErrorMessageCount) =>
      element('li', {}, element('span', { text: `${count(error.count)} × ` }), element('span', { className: 'error-text', text: shown(error.message, 300) }), element('span', { text: ' · newest: ' }), traceLink(this.post, error.requestId))));
    this.problems.replaceChildren(facts([
      ['Unpaid invoices', element('span', {}, element('span', { text: `${count(unpaidInvoices.jobs)} jobs, ${count(unpaidInvoices.sats)} sats ` }), jobs(unpaidInvoices.recent))],
      ['Paid, no result', element('span', {}, element('span', { text: `${count(paidWithoutResult.jobs)} jobs, ${count(paidWithoutResult.sats)} sats ` }), jobs(paidWithoutResult.recent))],
      [`Error messages (newest ${count(errorJobsScanned)} errored jobs)`, errorMessages.length ? errors : '–'],
    ]));
  }
}
