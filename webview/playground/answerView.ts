import type { ShownAnswer } from '../../src/protocol/playgroundPanelProtocol';
import { element } from '../common/dom';

/** What an answer's buttons ask of the host: links and wallets open outside the webview, never inside it. */
export interface AnswerActions {
  openUrl(url: string): void;
  copyInvoice(invoice: string): void;
  openWallet(invoice: string): void;
}

const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;

/** One feedback or result: its status, its invoice (decoded), and its content as text with web links as buttons. */
export function answerView(answer: ShownAnswer, actions: AnswerActions, now: number): HTMLElement {
  const heading = answer.role === 'result' ? 'Result' : `Feedback: ${answer.status ?? 'no status'}`;
  const box = element('article', { className: `answer ${answer.role}` },
    element('h3', { text: heading }),
    element('p', { className: 'meta', text: `from ${answer.dvm.slice(0, 12)}… at ${new Date(answer.createdAt * 1000).toLocaleTimeString()}${answer.encrypted ? (answer.decryptError ? ' · encrypted, not readable' : ' · decrypted') : ''}` }));
  box.dataset.answerId = answer.id;
  box.dataset.status = answer.role === 'result' ? 'result' : answer.status ?? '';
  if (answer.statusMessage) box.append(element('p', { className: 'status-message', text: answer.statusMessage }));
  if (answer.decryptError) box.append(element('p', { className: 'error', text: answer.decryptError }));
  if (answer.invoice || answer.amountMsats !== undefined) box.append(invoiceView(answer, actions, now));
  if (answer.content !== '' && !answer.decryptError) box.append(contentView(answer.content, actions));
  return box;
}

function invoiceView(answer: ShownAnswer, actions: AnswerActions, now: number): HTMLElement {
  const invoice = answer.invoice;
  const msats = invoice?.amountMsats ?? answer.amountMsats;
  const rows: [string, string][] = [['Amount', msats === undefined ? 'not stated' : `${(msats / 1000).toLocaleString()} sats`]];
  if (invoice?.description !== undefined) rows.push(['Description', invoice.description]);
  if (invoice?.expiresAt !== undefined) rows.push(['Expires', expiryText(invoice.expiresAt, now)]);
  const list = element('dl', { className: 'invoice-details' });
  for (const [name, value] of rows) list.append(element('dt', { text: name }), element('dd', { text: value }));
  const box = element('div', { className: 'invoice' }, element('h4', { text: answer.role === 'feedback' ? 'Payment required' : 'Amount asked' }), list);
  if (invoice) {
    const copy = element('button', { text: 'Copy invoice', className: 'secondary copy-invoice' });
    copy.addEventListener('click', () => actions.copyInvoice(invoice.invoice));
    const wallet = element('button', { text: 'Open in wallet', className: 'secondary open-wallet' });
    wallet.addEventListener('click', () => actions.openWallet(invoice.invoice));
    box.append(element('div', { className: 'buttons' }, copy, wallet));
    if (invoice.amountMsats === undefined && !invoice.paymentHash) box.append(element('p', { className: 'note', text: 'The invoice could not be decoded.' }));
  }
  return box;
}

export function expiryText(expiresAt: number, now: number): string {
  const left = Math.round(expiresAt - now / 1000);
  if (left <= 0) return `expired ${new Date(expiresAt * 1000).toLocaleTimeString()}`;
  return `in ${Math.floor(left / 60)} min ${left % 60} s (${new Date(expiresAt * 1000).toLocaleTimeString()})`;
}

/** Text as text; each web link a button that asks VS Code to open it (the webview itself loads nothing). */
function contentView(content: string, actions: AnswerActions): HTMLElement {
  const pre = element('pre', { className: 'content' });
  let last = 0;
  for (const match of content.matchAll(URL_PATTERN)) {
    const url = match[0];
    pre.append(document.createTextNode(content.slice(last, match.index)));
    const link = element('a', { text: url, className: 'external-link', title: 'Open through VS Code' });
    link.setAttribute('role', 'button');
    link.tabIndex = 0;
    link.addEventListener('click', (event) => {
      event.preventDefault();
      actions.openUrl(url);
    });
    pre.append(link);
    last = (match.index ?? 0) + url.length;
  }
  pre.append(document.createTextNode(content.slice(last)));
  return pre;
}
