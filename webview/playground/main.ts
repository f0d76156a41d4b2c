import type { DvmAnnouncement, RelayPublishResult } from '../../src/protocol/jobProtocol';
import { playgroundProtocol, type PlaygroundDvm, type ShownAnswer, type ToPlayground } from '../../src/protocol/playgroundPanelProtocol';
import { element } from '../common/dom';
import { connectPanel } from '../common/hostApi';
import { answerView, type AnswerActions } from './answerView';
import { FormView } from './formView';

const { messenger } = connectPanel(playgroundProtocol, {});

const root = document.getElementById('root')!;
const identity = element('p', { className: 'identity', text: 'Loading your identity…' });
identity.id = 'identity';
const form = new FormView({
  publish: (value) => messenger.post({ type: 'publish', form: value }),
  announcement: (pubkey) => messenger.request('announcement', { pubkey }) as Promise<DvmAnnouncement | null>,
});

const status = element('p', { className: 'status' });
status.id = 'status';
status.setAttribute('role', 'status');
const relayTable = element('table', { className: 'relays' });
relayTable.id = 'relay-results';
const jobLine = element('p', { className: 'job' });
jobLine.id = 'job-id';
const cancel = element('button', { text: 'Cancel job', className: 'secondary' });
cancel.id = 'cancel-job';
cancel.addEventListener('click', () => messenger.post({ type: 'cancel' }));
const openTrace = element('button', { text: 'Open live trace', className: 'secondary' });
openTrace.id = 'open-trace';
openTrace.addEventListener('click', () => messenger.post({ type: 'openTrace' }));
const paid = element('p', { className: 'paid' });
paid.id = 'paid';
paid.hidden = true;
const answersBox = element('div', { className: 'answers' });
answersBox.id = 'answers';
const jobSection = element('section', { className: 'job-section' },
  element('h2', { text: 'Your job' }), jobLine, paid, relayTable, element('div', { className: 'buttons' }, cancel, openTrace),
  element('h2', { text: 'Feedback and results' }), answersBox);
jobSection.hidden = true;

root.append(element('h1', { text: 'Post Test Job' }), identity, form.element, status, jobSection);

const actions: AnswerActions = {
  openUrl: (url) => messenger.post({ type: 'openUrl', url }),
  copyInvoice: (invoice) => messenger.post({ type: 'copyInvoice', invoice }),
  openWallet: (invoice) => messenger.post({ type: 'openWallet', invoice }),
};
let lastAnswers: readonly ShownAnswer[] = [];

messenger.onMessage((message: ToPlayground) => {
  switch (message.type) {
    case 'setup':
      identity.textContent = `Jobs are signed as ${message.npub}`;
      form.setup(message.kinds, message.relays, message.target);
      return;
    case 'dvms':
      form.setDvms(message.dvms as PlaygroundDvm[]);
      return;
    case 'dvmMedians':
      form.setMedians(message.medians);
      return;
    case 'earlierJobs':
      form.setEarlierJobs(message.jobs);
      return;
    case 'prefill':
      void form.prefill(message.form);
      showStatus('The form holds your earlier job: change what you like, then publish.');
      return;
    case 'publishing':
      showStatus('Publishing…');
      form.setBusy(true);
      return;
    case 'published':
      form.setBusy(false);
      jobSection.hidden = false;
      jobLine.textContent = `Job ${message.id}${message.encryption ? ` · encrypted (${message.encryption})` : ''}`;
      jobLine.dataset.id = message.id;
      showRelays(message.relays);
      answersBox.replaceChildren(element('p', { className: 'note', text: 'Waiting for feedback…' }));
      lastAnswers = [];
      paid.hidden = true;
      cancel.disabled = false;
      showStatus(message.relays.some((relay) => relay.outcome === 'ok') ? 'Published.' : 'No relay took the job.');
      return;
    case 'answers':
      lastAnswers = message.answers;
      drawAnswers();
      paid.hidden = message.paid === null;
      if (message.paid) paid.textContent = `Paid: ${message.paid.sats.toLocaleString()} sats, proven by ${message.paid.zaps === 1 ? 'a zap receipt' : `${message.paid.zaps} zap receipts`} (NIP-57).`;
      if (message.cancelled) cancel.disabled = true;
      return;
    case 'cancelled':
      cancel.disabled = true;
      showStatus(`Cancellation (kind 5) published: ${message.relays.map((relay) => `${relay.url} ${relay.outcome}`).join(', ')}`);
      return;
    case 'error':
      form.setBusy(false);
      showStatus(message.message, true);
      return;
    case 'notice':
      showStatus(message.message);
      return;
  }
});
messenger.ready();

// The invoice's expiry counts down.
setInterval(() => {
  if (lastAnswers.some((answer) => answer.invoice?.expiresAt !== undefined)) drawAnswers();
}, 1000);

function drawAnswers(): void {
  if (lastAnswers.length === 0) return;
  const now = Date.now();
  answersBox.replaceChildren(...lastAnswers.map((answer) => answerView(answer, actions, now)));
}

function showRelays(relays: readonly RelayPublishResult[]): void {
  const head = element('tr', {}, element('th', { text: 'Relay' }), element('th', { text: 'Answer' }), element('th', { text: 'ms' }), element('th', { text: 'Message' }));
  relayTable.replaceChildren(head, ...relays.map((relay) => {
    const row = element('tr', { className: `relay ${relay.outcome}` },
      element('td', { text: relay.url }), element('td', { text: relay.outcome === 'ok' ? 'OK' : relay.outcome === 'timeout' ? 'timed out' : relay.outcome }),
      element('td', { text: relay.ms === undefined ? '' : String(Math.round(relay.ms)) }), element('td', { text: relay.message ?? '' }));
    row.dataset.outcome = relay.outcome;
    return row;
  }));
}

function showStatus(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle('error', error);
}
