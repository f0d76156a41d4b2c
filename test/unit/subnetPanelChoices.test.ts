import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backfillEnd, BackfillCancelled } from '../../src/core/bittensor/backfill';
import { hotkeyIps, rangeOf } from '../../src/panels/subnetPanel';
import { isFromSubnet, isToSubnet, subnetProtocol } from '../../src/protocol/subnetPanelProtocol';
import type { RangeParams } from '../../src/protocol/subnetPanelProtocol';
import { dateTimeText, localInputEndSeconds, localInputSeconds, secondsInputValue, spanText, tickText, xOf } from '../../webview/subnet/axisChoice';
import { colourCount, colourKeyOf, NO_IP } from '../../webview/subnet/colourBy';
import { rangeParams, RANGE_DEFAULTS } from '../../webview/subnet/rangeChoice';
import { recordedMetagraphSnapshot } from '../support/replayNode';

/** The Subnet panel's choices (x axis, colour by, range by block or time) and its backfill messages, without a page. */

test('x is the block, or the snapshot time in ms; time ticks are local dates, to the minute under two days', () => {
  const point = { block: 6_852_690, time: 1_764_441_780 };
  assert.equal(xOf(point, 'block'), 6_852_690);
  assert.equal(xOf(point, 'time'), 1_764_441_780_000);
  const local = new Date(2026, 10, 29, 18, 3).getTime();
  assert.equal(dateTimeText(local), '2026-11-29 18:03');
  assert.equal(tickText(local, 'time', 3_600_000), '2026-11-29 18:03');
  assert.equal(tickText(local, 'time', 3 * 86_400_000), '2026-11-29');
  assert.equal(tickText(6_852_690, 'block', 0), '6,852,690');
  assert.equal(spanText([local + 60_000, local], 'time'), '2026-11-29 18:03 to 2026-11-29 18:04');
  assert.equal(spanText([6_852_690, 6_852_190], 'block'), 'blocks 6,852,190–6,852,690');
  assert.equal(spanText([], 'time'), 'no times');
});

test('a datetime-local value is local time, read back as the same value', () => {
  const seconds = new Date(2026, 10, 29, 17, 5).getTime() / 1000;
  assert.equal(localInputSeconds('2026-11-29T17:05'), seconds);
  assert.equal(secondsInputValue(seconds), '2026-11-29T17:05');
  for (const bad of ['', '2026-11-29', 'yesterday', '2026-11-29T17:05Z']) assert.equal(localInputSeconds(bad), null, bad);
});

test('a time range\'s end takes in the whole minute its input shows, and reads back as the same value', () => {
  const minute = new Date(2026, 10, 29, 17, 5).getTime() / 1000;
  const snapshotInThatMinute = minute + 30;
  const end = localInputEndSeconds('2026-11-29T17:05');
  assert.ok(end !== null && snapshotInThatMinute <= end, 'a snapshot at 17:05:30 is inside a range ending at 17:05');
  assert.equal(end, minute + 59, 'and one at 17:06:00 is not');
  assert.equal(secondsInputValue(end), '2026-11-29T17:05');
  assert.equal(localInputEndSeconds('2026-11-29T17:05:10'), minute + 10, 'a value with seconds ends at that second');
  assert.equal(localInputEndSeconds('yesterday'), null);
});

test('colour by coldkey, hotkey or IP groups the hotkeys of the recorded snapshot differently', () => {
  const neurons = recordedMetagraphSnapshot().neurons.slice(0, 64);
  const ips = new Map(neurons.map((neuron) => [neuron.hotkey, neuron.axon?.ip ?? null] as const));
  const count = (by: 'coldkey' | 'hotkey' | 'ip') => colourCount(neurons.map((neuron) => colourKeyOf(by, neuron, ips)));
  assert.equal(count('hotkey'), new Set(neurons.map((neuron) => neuron.hotkey)).size);
  assert.equal(count('coldkey'), new Set(neurons.map((neuron) => neuron.coldkey)).size);
  assert.equal(count('ip'), new Set(neurons.map((neuron) => neuron.axon?.ip ?? NO_IP)).size);
  assert.ok(count('coldkey') < count('hotkey'), 'some coldkeys own several of these hotkeys');
  assert.equal(colourKeyOf('ip', neurons[0], new Map()), NO_IP, 'an unknown IP shares the no-IP colour');
});

test('the page sends only the chosen kind of range; the host passes on only range fields', () => {
  const ui = { ...RANGE_DEFAULTS, fromBlock: 10, toBlock: 20, fromTime: 1_000, toTime: null };
  assert.deepEqual(rangeParams(ui), { fromBlock: 10, toBlock: 20 });
  assert.deepEqual(rangeParams({ ...ui, rangeBy: 'time' }), { fromTime: 1_000 });
  const smuggled = { fromTime: 5, netuid: 2, maxPoints: 1e9 } as RangeParams;
  assert.deepEqual(rangeOf(smuggled), { fromTime: 5 });
});

test('range requests accept times; a malformed time is refused', () => {
  const traces = subnetProtocol.requests.traces.params;
  assert.equal(traces({ field: 'stake', top: 10, fromTime: 1_764_000_000, toTime: 1_764_400_000 }), true);
  assert.equal(traces({ field: 'stake', top: 10, fromTime: -1 }), false);
  assert.equal(traces({ field: 'stake', top: 10, toTime: '1764000000' }), false);
  assert.equal(subnetProtocol.requests.hotkeyIps.result({ block: 5, ips: [['5F…', '1.2.3.4'], ['5G…', null]] }), true);
  assert.equal(subnetProtocol.requests.hotkeyIps.result({ block: 5, ips: [['5F…', 4]] }), false);
});

test('backfill messages: checked both ways, and the end says how many snapshots were stored', () => {
  assert.equal(isFromSubnet({ type: 'backfill', fromBlock: 1, toBlock: 2, step: 1 }), true);
  assert.equal(isFromSubnet({ type: 'backfill', fromBlock: 1, toBlock: 2 }), false);
  assert.equal(isFromSubnet({ type: 'cancelBackfill' }), true);
  assert.equal(isToSubnet({ type: 'backfillProgress', done: 0, total: 4, block: null }), true);
  assert.equal(isToSubnet({ type: 'backfillEnded', outcome: 'stopped', message: '' }), false);
  const range = { netuid: 1, fromBlock: 100, toBlock: 400, step: 100 };
  assert.deepEqual(backfillEnd(range, 4, 4), { netuid: 1, outcome: 'done', stored: 4, total: 4, message: 'Backfilled 4 snapshots of subnet 1 (blocks 100–400 every 100).' });
  assert.equal(backfillEnd(range, 2, 4, new BackfillCancelled('x')).message, 'Backfill of subnet 1 cancelled after 2 of 4 snapshots.');
  assert.equal(backfillEnd(range, 1, 4, new Error('state discarded')).message, 'Backfill of subnet 1 stopped after 1 of 4 snapshots: state discarded');
});

test('colouring by IP reads each hotkey\'s axon IP from the stored snapshot', () => {
  const snapshot = recordedMetagraphSnapshot();
  const answer = hotkeyIps(snapshot);
  assert.equal(answer?.block, snapshot.block);
  assert.equal(answer?.ips.length, snapshot.neurons.length);
  const served = snapshot.neurons.find((neuron) => neuron.axon !== null)!;
  assert.deepEqual(answer?.ips.find(([hotkey]) => hotkey === served.hotkey), [served.hotkey, served.axon!.ip]);
  assert.equal(hotkeyIps(null), null);
});
