import type { KindDvmFigures, KindJob, KindPage } from '../../src/protocol/nostrPagesProtocol';
import { element } from '../common/dom';
import { facts, section, type PageView } from './blocks';
import { count, rate, seconds, shown } from './format';
import { jobTable } from './jobTable';
import { dvmLink, kindLink, type Post } from './links';
import { SeriesChart } from './seriesChart';
import { SortableTable } from './sortableTable';

/** A kind's page: its name, traffic over time, the DVMs serving it (sortable), how competitive it is, recent jobs. */
export class KindView implements PageView<KindPage> {
  readonly element = element('div', { className: 'page kind-page' });
  private readonly header = element('div', { className: 'page-header' });
  private readonly summary = element('div');
  private readonly chart = new SeriesChart('Requests, results and users over time', [
    { label: 'Requests', value: (point) => point.requests, colour: 'blue' },
    { label: 'Results', value: (point) => point.results, colour: 'green' },
    { label: 'Users', value: (point) => point.users, colour: 'purple' },
  ]);
  private readonly dvms: SortableTable<KindDvmFigures>;
  private readonly jobs: SortableTable<KindJob>;

  constructor(private readonly post: Post) {
    this.dvms = new SortableTable('DVMs serving it', [
      { label: 'DVM', sort: (row) => shown(row.name) || row.npub, cell: (row) => dvmLink(post, row.pubkey, row.name) },
      { label: 'Status', sort: (row) => row.status, cell: (row) => element('span', { className: `liveness ${row.status}`, text: row.status }) },
      { label: 'Announced', sort: (row) => (row.announced ? 1 : 0), cell: (row) => (row.announced ? 'yes' : '') },
      { label: 'Jobs', sort: (row) => row.jobs, numeric: true, cell: (row) => count(row.jobs) },
      { label: 'Results', sort: (row) => row.results, numeric: true, cell: (row) => count(row.results) },
      { label: 'Success', sort: (row) => row.successRate, numeric: true, cell: (row) => rate(row.successRate) },
      { label: 'p50 response', sort: (row) => row.p50ResponseSec, numeric: true, cell: (row) => seconds(row.p50ResponseSec) },
      { label: 'Sats requested', sort: (row) => row.satsRequested, numeric: true, cell: (row) => count(row.satsRequested) },
      { label: 'Sats proven', sort: (row) => row.satsProven, numeric: true, cell: (row) => count(row.satsProven) },
    ], 'No DVM has served or announced this kind.');
    this.jobs = jobTable<KindJob>(post, 'Recent jobs', { customer: true });
    this.element.append(this.header, this.summary, this.chart.element, section('DVMs serving it', this.dvms.element), section('Recent jobs', this.jobs.element));
  }

  render(page: KindPage): void {
    const title = `Kind ${page.kind}${page.name ? ` · ${shown(page.name, 60)}` : ''}`;
    const mapped = page.askedKind !== page.kind ? element('p', { className: 'note', text: `Kind ${page.askedKind} is the result kind of requests of kind ${page.kind}; this is their page.` }) : '';
    this.header.replaceChildren(element('h1', { text: title }), mapped);
    const competition = page.competition;
    const leader = competition.mostCompetitiveKind === null ? '–' : kindLink(this.post, competition.mostCompetitiveKind);
    const others = page.announcedNames.filter((name) => name !== page.name).slice(0, 5).map((name) => shown(name, 40)).join(', ');
    this.summary.replaceChildren(section('All time', facts([
      ['Name', `${shown(page.name, 60) || '–'} (${page.nameSource === 'registry' ? 'from the kind registry' : page.nameSource === 'announced' ? 'as DVMs announce it' : 'no name known'})`],
      ['Other names DVMs announce', others || '–'],
      ['Requests', count(page.requests)],
      ['Results', count(page.results)],
      ['Feedback', count(page.feedback)],
      ['Users', count(page.users)],
      ['DVMs that answered it', `${count(competition.dvms)}${competition.rank === null ? '' : ` (rank ${competition.rank} of ${competition.of} kinds by competition)`}`],
      ['Most competitive kind', leader],
    ])));
    this.chart.render(page.overTime);
    this.dvms.render(page.dvms);
    this.jobs.render(page.recentJobs);
  }

  dispose(): void {
    this.chart.dispose();
  }
}
