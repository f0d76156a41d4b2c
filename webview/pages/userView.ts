import type { UserDvmFigures, UserJob, UserPage } from '../../src/protocol/nostrPagesProtocol';
import { element } from '../common/dom';
import { facts, section, type PageView } from './blocks';
import { count, shown, when } from './format';
import { jobTable } from './jobTable';
import { dvmLink, kindLink, type Post } from './links';
import { SortableTable } from './sortableTable';

/** A customer's page: their requests per kind, their jobs, and the DVMs that answered them. */
export class UserView implements PageView<UserPage> {
  readonly element = element('div', { className: 'page user-page' });
  private readonly header = element('div', { className: 'page-header' });
  private readonly summary = element('div');
  private readonly jobs: SortableTable<UserJob>;
  private readonly dvms: SortableTable<UserDvmFigures>;

  constructor(private readonly post: Post) {
    this.jobs = jobTable<UserJob>(post, 'Their jobs', { customer: false, kind: (job) => ({ kind: job.kind, name: job.kindName }) });
    this.dvms = new SortableTable('DVMs they used', [
      { label: 'DVM', sort: (row) => shown(row.name) || row.npub, cell: (row) => dvmLink(post, row.pubkey, row.name) },
      { label: 'Jobs', sort: (row) => row.jobs, numeric: true, cell: (row) => count(row.jobs) },
      { label: 'Results', sort: (row) => row.results, numeric: true, cell: (row) => count(row.results) },
      { label: 'Successes', sort: (row) => row.successes, numeric: true, cell: (row) => count(row.successes) },
      { label: 'Errors', sort: (row) => row.errors, numeric: true, cell: (row) => count(row.errors) },
      { label: 'Sats requested', sort: (row) => row.satsRequested, numeric: true, cell: (row) => count(row.satsRequested) },
      { label: 'Sats proven', sort: (row) => row.satsProven, numeric: true, cell: (row) => count(row.satsProven) },
      { label: 'Last', sort: (row) => row.lastAt, numeric: true, cell: (row) => when(row.lastAt) },
    ], 'No DVM answered their jobs.');
    this.element.append(this.header, this.summary, section('Their jobs', this.jobs.element), section('DVMs they used', this.dvms.element));
  }

  render(page: UserPage): void {
    this.header.replaceChildren(element('h1', { text: shown(page.name) || 'User' }), element('code', { className: 'key', text: page.npub, title: page.pubkey }));
    const kinds = element('span', { className: 'chips' }, ...page.kinds.map((kind) => element('span', {}, kindLink(this.post, kind.kind, kind.name), element('span', { text: ` × ${count(kind.requests)}` }))));
    this.summary.replaceChildren(section('All time', facts([
      ['Requests', count(page.requests)],
      ['First request', when(page.firstSeen)],
      ['Last request', when(page.lastAt)],
      ['Kinds asked', page.kinds.length ? kinds : '–'],
      ['DVMs counted over', `their newest ${count(page.jobsScanned)} jobs`],
    ])));
    this.jobs.render(page.jobs);
    this.dvms.render(page.dvms);
  }

  dispose(): void {
    /* No canvas to free. */
  }
}
