import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Engine } from '../../src/engine/engine';
import { dashboardPanel, DASHBOARD } from '../../src/panels/dashboardPanel';
import { dashboardProtocol, isToDashboard, type ToDashboard } from '../../src/protocol/dashboardProtocol';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import type { EngineRequester } from '../../src/views/engineRequester';
import { Actor } from '../fixtures/nostr/eventBuilders';
import { eventually } from '../support/eventually';
import { PanelLoopback } from '../support/panelLoopback';

/**
 * The dashboard's activity (issue 12) through its real host logic and a real in-process engine: every snapshot
 * carries the series the page chose (with what it covers), the newest requests of every kind and the top DVMs;
 * the page's selectors change the series the host reads; a change pushes a new snapshot with the new job; the
 * page's links reach the host's actions.
 */

const NOW = Math.floor(Date.now() / 1000) - 300;
const dvm = new Actor();
const customer = new Actor();

let engine: Engine;
const requester: EngineRequester = { request: (method, params) => engine.call(method, params) };

before(async () => {
  engine = await Engine.start({ dbPath: undefined, settings: { relays: [], subtensorEndpoint: 'ws://127.0.0.1:1' }, collect: false }, { notify: () => undefined, log: { log: () => undefined } });
});

after(async () => {
  await engine.dispose();
});

async function job(input: string, at: number): Promise<NostrEvent> {
  const request = customer.sign(5050, [['i', input, 'text'], ['p', dvm.pubkey]], '', at);
  await engine.call('nostr.ingest', { events: [request, dvm.sign(6050, [['e', request.id], ['p', customer.pubkey]], 'ok', at + 2)] });
  return request;
}

type Snapshot = Extract<ToDashboard, { type: 'snapshot' }>;

test('snapshots carry the chosen series, the newest requests per kind and the top DVMs; live and on the selectors', async () => {
  const first = await job('one', NOW);
  const opened: string[] = [];
  const definition = dashboardPanel({
    engine: requester,
    openKind: (kind) => void opened.push(`kind ${kind}`),
    openDvm: (pubkey) => void opened.push(`dvm ${pubkey}`),
    openTrace: (requestId) => void opened.push(`trace ${requestId}`),
  });
  const loop = new PanelLoopback(dashboardProtocol, (channel) => definition.create(channel, DASHBOARD));
  const snapshots: Snapshot[] = [];
  loop.page.onMessage((message) => {
    assert.ok(isToDashboard(message));
    if (message.type === 'snapshot') snapshots.push(message);
  });
  loop.page.ready();
  await eventually('a snapshot', () => snapshots.length > 0);
  const activity = snapshots[0].activity!;
  assert.equal(activity.series.window, '24h');
  assert.equal(activity.series.bucket, '1h');
  assert.ok(activity.series.covers.to >= NOW, 'it says what period it covers');
  assert.equal(activity.series.points.reduce((sum, point) => sum + point.requests, 0), 1);
  assert.deepEqual(activity.recent.map((kind) => [kind.kind, kind.jobs.map((each) => each.requestId)]), [[5050, [first.id]]]);
  assert.deepEqual(activity.dvms.map((each) => each.pubkey), [dvm.pubkey]);

  loop.page.post({ type: 'series', window: '7d', bucket: '6h' });
  await eventually('the 7-day series', () => snapshots.at(-1)?.activity?.series.window === '7d');
  assert.equal(snapshots.at(-1)!.activity!.series.bucketSec, 6 * 3600);

  const second = await job('two', NOW + 60);
  loop.router.route({ topic: 'nostr.changed', payload: { dvms: [dvm.pubkey], kinds: [5050], jobs: [second.id] } });
  await eventually('the pushed snapshot with the new job', () => snapshots.at(-1)?.activity?.recent[0]?.jobs.some((each) => each.requestId === second.id) === true);
  const pushed = snapshots.at(-1)!.activity!;
  assert.equal(pushed.series.window, '7d', 'a live push reads the series the page chose');
  assert.equal(pushed.series.points.reduce((sum, point) => sum + point.requests, 0), 2);

  loop.page.post({ type: 'openTrace', requestId: second.id });
  loop.page.post({ type: 'openDvm', pubkey: dvm.pubkey });
  loop.page.post({ type: 'openKind', kind: 5050 });
  await eventually('the actions', () => opened.length === 3);
  assert.deepEqual(opened, [`trace ${second.id}`, `dvm ${dvm.pubkey}`, 'kind 5050']);
  loop.session.dispose();
});
