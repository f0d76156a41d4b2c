import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Engine } from '../../src/engine/engine';
import { dashboardPanel, DASHBOARD } from '../../src/panels/dashboardPanel';
import { nostrPagePanel, type NostrPagePanel } from '../../src/panels/nostrPagePanel';
import { dashboardProtocol, type ToDashboard } from '../../src/protocol/dashboardProtocol';
import { nostrPageProtocol, type ToPage } from '../../src/protocol/nostrPagePanelProtocol';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { weightsProtocol } from '../../src/protocol/weightsPanelProtocol';
import { Actor } from '../fixtures/nostr/eventBuilders';
import { eventually } from '../support/eventually';
import { recordingRequester, startOfflineEngine } from '../support/offlineEngine';
import { PanelLoopback } from '../support/panelLoopback';

/**
 * `engine.reload` reaches the open panels (issue 14): when another process's change set is too large to name, or the
 * team store's change feed was lost, the engine says only "read again" for a domain. The panel host
 * (visibleSubscription.ts) turns that into each panel's catch-up, for the panels of that domain only: here real
 * panels (the DVM page, the dashboard) over a real in-process engine whose rows changed with no `nostr.changed`
 * routed, as a remote writer's would, and the page's real messenger.
 */

const NOW = Math.floor(Date.now() / 1000) - 600;
const dvm = new Actor();
const customer = new Actor();

let engine: Engine;
const { requester, calls } = recordingRequester(() => engine);

before(async () => {
  engine = await startOfflineEngine();
  await job('first', 0);
});

after(async () => {
  await engine.dispose();
});

/** A request to the DVM and its result, written into the store with nothing routed to the panels. */
async function job(input: string, at: number): Promise<NostrEvent> {
  const request = customer.sign(5050, [['i', input, 'text'], ['p', dvm.pubkey]], '', NOW + at);
  const result = dvm.sign(6050, [['e', request.id], ['p', customer.pubkey], ['request', JSON.stringify(request)]], input, NOW + at + 1);
  await engine.call('nostr.ingest', { events: [request, result] });
  return request;
}

const dvmPageReads = () => calls.filter((method) => method === 'nostr.dvmPage').length;

function shows(messages: readonly ToPage[], requestId: string): boolean {
  const last = messages.filter((message) => message.type === 'page').at(-1);
  return last?.type === 'page' && last.data.type === 'dvm' && last.data.page?.recent.some((event) => event.requestId === requestId) === true;
}

test('a DVM page reads again on an engine.reload of Nostr or of everything, visible or on show; not on one of Bittensor', async () => {
  const controllers = new Set<NostrPagePanel>();
  const definition = nostrPagePanel({ engine: requester, actions: { openTrace: () => undefined, watch: async () => 'watching' } }, controllers);
  const loop = new PanelLoopback(nostrPageProtocol, (channel) => definition.create(channel, { type: 'dvm', id: dvm.pubkey }));
  const messages: ToPage[] = [];
  loop.page.onMessage((message) => void messages.push(message));
  loop.page.ready();
  await eventually('the DVM page', () => messages.some((message) => message.type === 'page'));

  const second = await job('second', 10);
  const before = dvmPageReads();
  loop.router.route({ topic: 'engine.reload', payload: { domain: 'bittensor' } });
  await loop.settle();
  assert.equal(dvmPageReads(), before, 'a reload of the chain\'s views is not the Nostr page\'s');
  loop.router.route({ topic: 'engine.reload', payload: { domain: 'nostr' } });
  await eventually('the page with the job no notification named', () => shows(messages, second.id));

  // Hidden, it reads nothing; shown again after a reload of every view, it catches up once.
  loop.session.setVisible(false);
  const third = await job('third', 20);
  const hidden = dvmPageReads();
  loop.router.route({ topic: 'engine.reload', payload: { domain: 'all' } });
  await loop.settle();
  assert.equal(dvmPageReads(), hidden, 'hidden: no read');
  loop.session.setVisible(true);
  await eventually('a read as the panel is shown, before its new page loads', () => dvmPageReads() > hidden);
  loop.reloadPage().onMessage((message) => void messages.push(message));
  loop.page.ready();
  await eventually('the page with the job read on show', () => shows(messages, third.id));

  // Shown again with nothing reloaded meanwhile: no catch-up beyond the new page's own read.
  loop.session.setVisible(false);
  loop.router.route({ topic: 'engine.reload', payload: { domain: 'bittensor' } });
  const quiet = dvmPageReads();
  loop.session.setVisible(true);
  await loop.settle();
  assert.equal(dvmPageReads(), quiet, 'a Bittensor reload while hidden is nothing this page missed');
  loop.session.dispose();
});

test('the dashboard, which filters nothing, reads its figures again on an engine.reload of Nostr', async () => {
  const definition = dashboardPanel({ engine: requester, openKind: () => undefined });
  const loop = new PanelLoopback(dashboardProtocol, (channel) => definition.create(channel, DASHBOARD));
  const snapshots: ToDashboard[] = [];
  loop.page.onMessage((message) => void snapshots.push(message));
  loop.page.ready();
  const requests = (message: ToDashboard | undefined) => (message?.type === 'snapshot' ? message.metrics.requests : undefined);
  const first = await eventually('the first snapshot', () => requests(snapshots.at(-1)));
  await job('fourth', 30);
  loop.router.route({ topic: 'engine.reload', payload: { domain: 'nostr' } });
  await eventually('a snapshot counting the new request', () => requests(snapshots.at(-1)) === first + 1);
  loop.session.dispose();
});

test('a panel of the chain catches up on a reload of Bittensor or of everything, and only then', async () => {
  let caughtUp = 0;
  const loop = new PanelLoopback(weightsProtocol, (channel) => {
    channel.follow(['bittensor.changed'], { changed: () => undefined, missed: () => void caughtUp++ });
    return { requests: { blocks: () => [], validatorHistory: () => { throw new Error('unused'); }, stakeCorrelation: () => { throw new Error('unused'); } } };
  });
  loop.router.route({ topic: 'engine.reload', payload: { domain: 'nostr' } });
  assert.equal(caughtUp, 0);
  loop.router.route({ topic: 'engine.reload', payload: { domain: 'bittensor' } });
  loop.router.route({ topic: 'engine.reload', payload: { domain: 'all' } });
  assert.equal(caughtUp, 2);
  assert.equal(loop.router.listenerCount('engine.reload'), 1, 'one listener for the panel, not one per topic');
  loop.session.setVisible(false);
  assert.equal(loop.router.listenerCount('engine.reload'), 0, 'hidden: not listening');
  loop.session.dispose();
});
