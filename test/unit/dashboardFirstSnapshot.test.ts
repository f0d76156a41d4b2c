import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Engine } from '../../src/engine/engine';
import { dashboardPanel, DASHBOARD } from '../../src/panels/dashboardPanel';
import { dashboardProtocol, type ToDashboard } from '../../src/protocol/dashboardProtocol';
import type { EngineRequester } from '../../src/views/engineRequester';
import { eventually } from '../support/eventually';
import { PanelLoopback } from '../support/panelLoopback';

/**
 * The dashboard reads its first snapshot as the panel is made, during the second VS Code takes to build the panel's
 * page, instead of when the page says ready; the page gets that snapshot and no second read of the same figures
 * (neither on ready nor on the default series the page names as it loads).
 */

let engine: Engine;
const metricsReads: number[] = [];
const requester: EngineRequester = {
  request: (method, params) => {
    if (method === 'nostr.metrics') metricsReads.push(Date.now());
    return engine.call(method, params);
  },
};

before(async () => {
  engine = await Engine.start({ dbPath: undefined, settings: { relays: [], subtensorEndpoint: 'ws://127.0.0.1:1' }, collect: false }, { notify: () => undefined, log: { log: () => undefined } });
});

after(async () => {
  await engine.dispose();
});

test('the first snapshot is read before the page says ready, and read once', async () => {
  const definition = dashboardPanel({ engine: requester, openKind: () => undefined });
  const loop = new PanelLoopback(dashboardProtocol, (channel) => definition.create(channel, DASHBOARD));
  const snapshots: ToDashboard[] = [];
  loop.page.onMessage((message) => void snapshots.push(message));
  assert.equal(metricsReads.length, 1, 'the panel reads the metrics as it is made, before any page loads');

  loop.page.ready();
  loop.page.post({ type: 'series', window: '24h', bucket: '1h' });
  await eventually('the snapshot', () => snapshots.some((message) => message.type === 'snapshot'));
  // Every message in flight has been handled: a read that ready or the series message started would be counted.
  await loop.settle();
  assert.equal(metricsReads.length, 1, 'a page that loads within a moment of the read gets it, not a second read');
  assert.equal(snapshots.filter((message) => message.type === 'snapshot').length, 1);

  // Another series is another read.
  loop.page.post({ type: 'series', window: '7d', bucket: '6h' });
  await eventually('a read of the 7-day series', () => metricsReads.length === 2);
});
