import type { TraceDvmSummary, TraceJob } from '../../src/protocol/nostrProtocol';
import { element } from '../common/dom';
import { KeyedRows } from './keyedRows';
import { keyboardRows } from './rowKeys';
import { duration, dvmFlags, satsText, shortId } from './traceFormat';

const COLUMNS = ['DVM', 'Job', 'Status', 'Response', 'First feedback', 'Sats requested', 'Sats proven', 'Flags', 'Error'];

/** Each DVM on each job of the chain: status, times, sats and flags. Enter (or a click) selects its node. */
export class DvmTable {
  readonly element: HTMLTableElement;
  private readonly body = element('tbody');
  private dvms = new Map<string, TraceDvmSummary>();
  private readonly keyed = new KeyedRows(this.body);

  constructor(activate: (dvm: TraceDvmSummary) => void) {
    this.element = element('table', { className: 'dvms' });
    this.element.setAttribute('aria-label', 'Each DVM on each job');
    this.element.append(element('thead', {}, element('tr', {}, ...COLUMNS.map((column) => element('th', { text: column })))), this.body);
    keyboardRows(this.body, (tr) => {
      const dvm = this.dvms.get(tr.dataset.key ?? '');
      if (dvm) activate(dvm);
    });
  }

  /** Draws the rows; a row drawn before with the same content is kept as it is. */
  render(dvms: readonly TraceDvmSummary[], jobs: readonly TraceJob[]): void {
    const jobNames = new Map(jobs.map((job) => [job.requestId, job.kind === null ? shortId(job.requestId) : `${job.kind} ${job.kindName}`]));
    this.dvms = new Map(dvms.map((dvm) => [dvm.nodeId, dvm]));
    this.keyed.render(dvms.map((dvm) => {
      const jobName = jobNames.get(dvm.requestId) ?? shortId(dvm.requestId);
      return { key: dvm.nodeId, content: JSON.stringify([dvm, jobName]), draw: () => this.rowElement(dvm, jobName) };
    }));
  }

  private rowElement(dvm: TraceDvmSummary, jobName: string): HTMLTableRowElement {
      const flags = dvmFlags(dvm);
      const tr = element('tr', {},
        element('td', { text: dvm.name || shortId(dvm.npub), className: dvm.name ? 'text name' : 'key', title: dvm.npub }),
        element('td', { text: jobName, className: 'text', title: dvm.requestId }),
        element('td', { text: dvm.status, className: dvm.status === 'error' ? 'flag' : '' }),
        element('td', { text: duration(dvm.responseSec), className: 'number' }),
        element('td', { text: duration(dvm.feedbackSec), className: 'number' }),
        element('td', { text: satsText(dvm.satsRequested), className: 'number' }),
        element('td', { text: satsText(dvm.satsProven), className: 'number' }),
        element('td', { text: flags.join('; '), className: flags.length > 0 ? 'flag' : '' }),
        element('td', { text: dvm.errorMessage ?? '', className: 'text' }),
      );
      tr.dataset.key = dvm.nodeId;
      tr.dataset.nodeId = dvm.nodeId;
      tr.tabIndex = -1;
      return tr;
  }

  select(nodeId: string | undefined): void {
    for (const tr of this.body.rows) tr.setAttribute('aria-selected', String(nodeId !== undefined && tr.dataset.nodeId === nodeId));
  }
}
