import type { NostrEvent, TraceDvmSummary, TraceNode } from '../../src/protocol/nostrProtocol';
import type { TraceAnswer, TracePanelRow } from '../../src/protocol/tracePanelProtocol';
import { element } from '../common/dom';
import { bolt11Rows, decodeRequestTag, prettyEvent, tagRows } from './eventDetails';
import { clock, delay, duration, dvmFlags, satsText } from './traceFormat';

export interface DetailsActions {
  openEvent(id: string): void;
  revealDvm(pubkey: string): void;
  openDvmPage(pubkey: string): void;
  copy(what: 'id' | 'nevent', id: string): void;
  /** Selects and centres the graph on a node (a sub-job's request). */
  centre(nodeId: string): void;
  /** The signed event, from the host. */
  fetchEvent(id: string): Promise<NostrEvent | null>;
  /** An encrypted answer to one of your jobs, decrypted by the host with your key; null when it cannot be. */
  fetchAnswer(id: string): Promise<TraceAnswer | null>;
}

/** What the pane knows of a node besides the node itself. */
export interface DetailsContext {
  readonly dvm?: TraceDvmSummary;
  readonly row?: TracePanelRow;
  /** The invoice node of the selected event (its decoded bolt11). */
  readonly invoice?: TraceNode;
  /** The selected node is a request of another job of the chain. */
  readonly otherJob: boolean;
}

/**
 * The details of the selected node: what it is, its actions (copy id or nevent, open the JSON, reveal the DVM,
 * centre on a sub-job), the signed event pretty-printed, its tags as a table, a result's `request` tag decoded and
 * an invoice decoded. Every string from an event is set as textContent; the pane never builds HTML from text.
 */
export class DetailsPane {
  readonly element: HTMLElement;
  private shown: { nodeId: string; eventId?: string; event?: NostrEvent | null; answer?: TraceAnswer | null } | undefined;
  /** Bumped by every show: an event fetched for a node no longer shown is dropped. */
  private generation = 0;

  constructor(private readonly actions: DetailsActions) {
    this.element = element('aside', { className: 'details' });
    this.element.setAttribute('aria-label', 'Details of the selected node');
    this.element.setAttribute('aria-live', 'polite');
    this.clear();
  }

  get nodeId(): string | undefined {
    return this.shown?.nodeId;
  }

  clear(): void {
    this.generation++;
    this.shown = undefined;
    this.element.replaceChildren(element('p', { className: 'hint', text: 'Select a node in the graph, or a row of the timeline or DVM tables (Enter), to see its details here. Double-click a DVM to reveal it in the DVMs view (its details have Open DVM page), an event to open its JSON, a sub-job to centre on it.' }));
  }

  /** Shows a node; shown again (a live update), the signed event already fetched is kept. */
  show(node: TraceNode, context: DetailsContext): void {
    const generation = ++this.generation;
    const eventId = node.missing || node.type === 'customer' || node.type === 'dvm' ? undefined : node.eventId;
    const same = this.shown?.nodeId === node.id && this.shown.eventId === eventId;
    const keep = same ? this.shown?.event : undefined;
    this.shown = { nodeId: node.id, ...(eventId ? { eventId } : {}), ...(keep !== undefined ? { event: keep, answer: this.shown?.answer } : {}) };
    const eventBox = element('div', { className: 'event' });
    this.element.replaceChildren(
      element('h2', { text: `${node.type}${node.asked ? ' (asked)' : ''}` }),
      element('p', { className: 'node-label text', text: node.label }),
      facts(node, context),
      this.buttons(node, eventId, context),
      ...(context.dvm ? [dvmBlock(context.dvm)] : []),
      ...(node.bolt11 || context.invoice?.bolt11 ? [invoiceBlock((node.bolt11 ?? context.invoice?.bolt11)!)] : []),
      eventBox,
    );
    if (!eventId) return;
    if (keep !== undefined) {
      fillEvent(eventBox, keep, this.shown.answer);
      return;
    }
    eventBox.append(element('p', { className: 'hint', text: 'Reading the signed event…' }));
    this.actions.fetchEvent(eventId).then(async (event) => {
      // An encrypted answer may be to one of your jobs: the host reads it with your key, if you have one.
      const answer = event && event.tags.some((tag) => tag[0] === 'encrypted') ? await this.actions.fetchAnswer(event.id).catch(() => null) : null;
      if (generation !== this.generation || !this.shown) return;
      this.shown.event = event;
      this.shown.answer = answer;
      fillEvent(eventBox, event, answer);
    }, (error: unknown) => {
      if (generation === this.generation) eventBox.replaceChildren(element('p', { className: 'flag', text: `Could not read the event: ${error instanceof Error ? error.message : String(error)}` }));
    });
  }

  private buttons(node: TraceNode, eventId: string | undefined, context: DetailsContext): HTMLElement {
    const bar = element('div', { className: 'actions' });
    const add = (text: string, run: () => void) => {
      const button = element('button', { text, className: 'secondary' });
      button.addEventListener('click', run);
      bar.append(button);
    };
    if (node.type === 'dvm' && node.pubkey) {
      add('Open DVM page', () => this.actions.openDvmPage(node.pubkey!));
      add('Reveal in DVMs view', () => this.actions.revealDvm(node.pubkey!));
    }
    if (node.type === 'request' && context.otherJob && !node.missing) add('Centre on this job', () => this.actions.centre(node.id));
    if (eventId) {
      add('Open Event JSON', () => this.actions.openEvent(eventId));
      add('Copy id', () => this.actions.copy('id', eventId));
      if (context.row) add('Copy nevent', () => this.actions.copy('nevent', eventId));
    } else if (node.type === 'request' && node.eventId) {
      add('Copy id', () => this.actions.copy('id', node.eventId!));
    }
    return bar;
  }
}

function facts(node: TraceNode, context: DetailsContext): HTMLElement {
  const rows: [string, string][] = [];
  if (node.status !== undefined) rows.push(['Status', node.status]);
  if (node.kind !== undefined) rows.push(['Kind', String(node.kind)]);
  if (node.createdAt !== undefined) rows.push(['Time', `${clock(node.createdAt)}${context.row ? ` (${delay(context.row.sinceRequestSec)} since the request)` : ''}`]);
  if (node.sats !== undefined) rows.push(['Sats', satsText(node.sats)]);
  if (node.amountMismatch) rows.push(['Flag', 'the amount tag disagrees with the bolt11 invoice']);
  if (node.pubkey) rows.push([node.type === 'customer' ? 'Pubkey' : 'Author', node.pubkey]);
  if (context.row?.authorName) rows.push(['Author name', context.row.authorName]);
  if (context.row && context.row.relays.length > 0) rows.push(['Seen on', context.row.relays.join(', ')]);
  if (node.requestId) rows.push(['Job', node.requestId]);
  if (node.eventId && node.eventId !== node.requestId) rows.push(['Event', node.eventId]);
  if (node.missing) rows.push(['Note', 'this request was never seen: other events name it']);
  return definitionList(rows);
}

function dvmBlock(dvm: TraceDvmSummary): HTMLElement {
  const flags = dvmFlags(dvm);
  return element('section', {},
    element('h3', { text: 'On this job' }),
    definitionList([
      ['Status', dvm.status],
      ['Response', duration(dvm.responseSec)],
      ['First feedback', duration(dvm.feedbackSec)],
      ['Sats requested', satsText(dvm.satsRequested) || '0'],
      ['Sats proven (zaps)', satsText(dvm.satsProven) || '0'],
      ['Flags', flags.length > 0 ? flags.join('; ') : 'none'],
      ...(dvm.errorMessage !== undefined ? [['Error', dvm.errorMessage] as [string, string]] : []),
    ]));
}

function invoiceBlock(bolt11: NonNullable<TraceNode['bolt11']>): HTMLElement {
  return element('section', {}, element('h3', { text: 'Invoice (bolt11, decoded)' }), definitionList(bolt11Rows(bolt11)));
}

function fillEvent(box: HTMLElement, event: NostrEvent | null, answer: TraceAnswer | null | undefined): void {
  if (!event) {
    box.replaceChildren(element('p', { className: 'hint', text: 'The signed event is no longer stored.' }));
    return;
  }
  const parts: Node[] = [];
  if (event.tags.some((tag) => tag[0] === 'encrypted')) parts.push(...answerBlock(answer));
  const request = decodeRequestTag(event);
  if (request) {
    parts.push(element('h3', { text: 'Request tag, decoded' }));
    parts.push(request.ok ? element('pre', { className: 'json', text: request.pretty }) : element('p', { className: 'flag', text: `The request tag is ${request.problem}: ${request.raw}` }));
  }
  const tags = tagRows(event);
  parts.push(element('h3', { text: `Tags (${tags.length})` }));
  if (tags.length > 0) {
    const body = element('tbody', {}, ...tags.map((tag) => element('tr', {}, element('th', { text: tag.name }), ...tag.values.map((value) => element('td', { text: value, className: 'text' })))));
    parts.push(element('table', { className: 'tags' }, body));
  }
  parts.push(element('h3', { text: 'Signed event' }), element('pre', { className: 'json', text: prettyEvent(event) }));
  box.replaceChildren(...parts);
}

/** What an encrypted answer says, as text: decrypted by the host with your key, or why it could not be. */
function answerBlock(answer: TraceAnswer | null | undefined): Node[] {
  if (!answer) return [element('p', { className: 'hint', text: 'Encrypted, and not to your key (or you have no key): its content stays unread.' })];
  if (!answer.decrypted) return [element('p', { className: 'flag', text: `Encrypted to you, but it could not be read: ${answer.error ?? 'unknown error'}` })];
  const status = answer.status !== undefined ? [element('p', { className: 'text', text: `Status inside: ${answer.status}${answer.statusMessage ? ` — ${answer.statusMessage}` : ''}` })] : [];
  return [element('h3', { text: 'Decrypted with your key' }), ...status, element('pre', { className: 'json decrypted', text: answer.content ?? '' })];
}

function definitionList(rows: readonly [string, string][]): HTMLElement {
  const list = element('dl');
  for (const [term, value] of rows) list.append(element('dt', { text: term }), element('dd', { text: value, className: 'text' }));
  return list;
}
