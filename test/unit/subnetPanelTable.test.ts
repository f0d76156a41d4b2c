import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NeuronRow } from '../../src/protocol/bittensorProtocol';
import { isFromSubnet, subnetProtocol } from '../../src/protocol/subnetPanelProtocol';
import { exportText, subnetPanel } from '../../src/panels/subnetPanel';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { METAGRAPH_CSV_COLUMNS } from '../../src/core/bittensor/metagraphCsv';
import { COLUMNS, cellText, filterRows, sortRows, tableCells } from '../../webview/subnet/metagraphTable';
import { recordedMetagraphSnapshot } from '../support/replayNode';

function neuron(uid: number, change: Partial<NeuronRow> = {}): NeuronRow {
  return {
    uid, hotkey: `5Hot${uid}`, coldkey: `5Cold${uid % 3}`, active: true, validatorPermit: false, stake: 0, stakeAlpha: 0, stakeTao: 0,
    rank: 0, trust: 0, consensus: 0, incentive: 0, dividends: 0, validatorTrust: 0, emission: 0, lastUpdate: 0, registrationBlock: null,
    axon: null, ...change,
  };
}

const rows = [
  neuron(0, { stake: 5, identity: 'Zeta', axon: { ip: '10.0.0.1', port: 8091, ipType: 4, version: 1 } }),
  neuron(1, { stake: 50, identity: 'alpha' }),
  neuron(2, { stake: 5 }),
  neuron(3, { stake: 0.5, identity: 'Beta', registrationBlock: 12 }),
];

test('numbers sort by value both ways, ties by UID', () => {
  assert.deepEqual(sortRows(rows, 'stake', true).map((r) => r.uid), [1, 0, 2, 3]);
  assert.deepEqual(sortRows(rows, 'stake', false).map((r) => r.uid), [3, 0, 2, 1]);
});

test('text sorts by code points, and missing values go last whichever the direction', () => {
  assert.deepEqual(sortRows(rows, 'identity', false).map((r) => r.uid), [3, 0, 1, 2]);
  assert.deepEqual(sortRows(rows, 'identity', true).map((r) => r.uid), [1, 0, 3, 2]);
  assert.deepEqual(sortRows(rows, 'registrationBlock', true).map((r) => r.uid), [3, 0, 1, 2]);
});

test('the filter keeps a UID exactly, or keys, names and IPs containing the text (any case)', () => {
  assert.deepEqual(filterRows(rows, '2').map((r) => r.uid), [2]);
  assert.deepEqual(filterRows(rows, 'BETA').map((r) => r.uid), [3]);
  assert.deepEqual(filterRows(rows, 'cold1').map((r) => r.uid), [1]);
  assert.deepEqual(filterRows(rows, '10.0.0').map((r) => r.uid), [0]);
  assert.equal(filterRows(rows, '  ').length, rows.length);
});

test('the table has every CSV column, and cells show text as given (no markup is made of it)', () => {
  assert.deepEqual(COLUMNS.map((c) => c.key), METAGRAPH_CSV_COLUMNS);
  const hostile = neuron(9, { identity: '<img src=x onerror=alert(1)>' });
  const { cells } = tableCells([hostile], { sortKey: 'uid', descending: false, filter: '' });
  assert.equal(cells[0][COLUMNS.findIndex((c) => c.key === 'identity')], '<img src=x onerror=alert(1)>');
  assert.equal(cellText(COLUMNS.find((c) => c.key === 'registrationBlock')!, hostile), '–');
  assert.equal(cellText(COLUMNS.find((c) => c.key === 'active')!, hostile), '✓');
});

test('the recorded 1,024-UID snapshot: sorted by incentive the first row has the largest, and the CSV export has one row per UID', () => {
  const snapshot = recordedMetagraphSnapshot();
  const { rows: sorted, cells } = tableCells(snapshot.neurons, { sortKey: 'incentive', descending: true, filter: '' });
  assert.equal(cells.length, snapshot.neurons.length);
  assert.equal(sorted[0].incentive, Math.max(...snapshot.neurons.map((n) => n.incentive)));
  const csv = exportText(snapshot, 'csv').trimEnd().split('\n');
  assert.equal(csv.length, snapshot.neurons.length + 1);
  assert.equal(csv[0], METAGRAPH_CSV_COLUMNS.join(','));
  assert.deepEqual(JSON.parse(exportText(snapshot, 'json')), JSON.parse(JSON.stringify(snapshot)));
});

test('the page may ask only for this panel\'s data: requests name no netuid, bounds are checked', () => {
  assert.equal(subnetProtocol.requests.traces.params({ field: 'stake', top: 10 }), true);
  assert.equal(subnetProtocol.requests.traces.params({ field: 'stake', top: 1_000 }), false);
  assert.equal(subnetProtocol.requests.traces.params({ field: 'weights', top: 10 }), false);
  assert.equal(subnetProtocol.requests.metagraph.params({ block: -1 }), false);
  assert.equal(isFromSubnet({ type: 'export', block: 5, format: 'xml' }), false);
  assert.equal(subnetProtocol.requests.metagraph.result({ netuid: 1, block: 2, neurons: [{ ...neuron(1), stake: 'x' }] }), false);
});

test('a restored subnet panel takes its netuid from the page state, and VS Code activates the extension to restore it', () => {
  const definition = subnetPanel({ engine: { request: (method) => Promise.reject(new Error(`unexpected ${method}`)) }, actions: { save: () => Promise.resolve(undefined) } });
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { activationEvents: string[] };
  assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${definition.viewType}`));
  assert.equal(definition.parseSubject(1), 1);
  for (const bad of ['1', -1, 1.5, null, { netuid: 1 }, 70_000]) assert.equal(definition.parseSubject(bad), undefined, String(bad));
  assert.equal(definition.title(1), 'Subnet · SN1');
});

test('the animation steps within its frames, clamps at the ends, and playing wraps to the first', async () => {
  const { FramePlayer, framePoints } = await import('../../webview/subnet/framePlayer');
  const player = new FramePlayer(3);
  assert.equal(player.step(1), 1);
  assert.equal(player.step(5), 2);
  assert.equal(player.step(-9), 0);
  player.seek(2);
  assert.equal(player.tick(), 0);
  player.seek(2);
  player.reset(2);
  assert.equal(player.index, 1, 'a position past the new end moves to the last frame');
  player.reset(0);
  assert.equal(player.tick(), 0);
  const frame = { block: 10, time: 0, uids: [4, 9], hotkeys: [0, 1], coldkeys: [1, 0], stake: [2, 3], incentive: [0.1, 0.2], dividends: [0, 0.5] };
  assert.deepEqual(framePoints(frame, 'dividends'), [{ x: 2, y: 0, uid: 4, hotkey: 0, coldkey: 1 }, { x: 3, y: 0.5, uid: 9, hotkey: 1, coldkey: 0 }]);
});

test('animation frames whose key indexes fall outside their key lists are refused, never drawn', () => {
  const page = (coldkeys: number[]) => ({
    netuid: 1, role: 'miners', total: 1, offset: 0, hotkeys: ['5A', '5B'], coldkeys: ['5C'],
    frames: [{ block: 1, time: 0, uids: [0, 1], hotkeys: [0, 1], coldkeys, stake: [1, 2], incentive: [0, 0], dividends: [0, 0] }],
  });
  assert.equal(subnetProtocol.requests.frames.result(page([0, 0])), true);
  assert.equal(subnetProtocol.requests.frames.result(page([0, 1])), false);
  assert.equal(subnetProtocol.requests.frames.result(page([0])), false);
  assert.equal(subnetProtocol.requests.frames.params({ role: 'miners', offset: 0, limit: 65 }), false);
});

test('trace smoothing averages the last N values and keeps gaps as gaps', async () => {
  const { movingAverage } = await import('../../webview/subnet/smoothing');
  assert.deepEqual(movingAverage([1, 3, null, 5, 7], 2), [1, 2, null, 4, 6]);
  assert.deepEqual(movingAverage([1, 3, 5], 1), [1, 3, 5]);
  assert.deepEqual(movingAverage([2, 4, 6, 8], 3), [2, 3, 4, 6]);
});
