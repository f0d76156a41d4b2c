import type { KindJob } from '../../src/protocol/nostrPagesProtocol';
import { count, seconds, when } from './format';
import { dvmLink, kindLink, traceLink, userLink, type Post } from './links';
import { SortableTable, type Column } from './sortableTable';

/** Jobs as the kind and user pages list them; each job opens its trace, its customer and DVM their pages. */
export function jobTable<J extends KindJob>(post: Post, label: string, options: { kind?: (job: J) => { kind: number; name: string }; customer: boolean }): SortableTable<J> {
  const columns: Column<J>[] = [
    { label: 'When', sort: (job) => job.createdAt, numeric: true, cell: (job) => when(job.createdAt) },
    { label: 'Job', cell: (job) => traceLink(post, job.requestId) },
  ];
  const kindOf = options.kind;
  if (kindOf) columns.push({ label: 'Kind', sort: (job) => kindOf(job).kind, cell: (job) => kindLink(post, kindOf(job).kind, kindOf(job).name) });
  if (options.customer) columns.push({ label: 'Customer', cell: (job) => userLink(post, job.customer) });
  columns.push(
    { label: 'Status', sort: (job) => job.status, cell: (job) => job.status },
    { label: 'DVM', cell: (job) => (job.dvm ? dvmLink(post, job.dvm, job.dvmName) : '–') },
    { label: 'DVMs answering', sort: (job) => job.dvmCount, numeric: true, cell: (job) => count(job.dvmCount) },
    { label: 'Response', sort: (job) => job.responseSec, numeric: true, cell: (job) => seconds(job.responseSec) },
    { label: 'Encrypted', sort: (job) => (job.encrypted ? 1 : 0), cell: (job) => (job.encrypted ? 'yes' : '') },
  );
  return new SortableTable(label, columns, 'No jobs kept.');
}
