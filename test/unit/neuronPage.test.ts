import assert from 'node:assert/strict';
import { test } from 'node:test';
import { neuronMatcher, neuronPage } from '../../src/core/bittensor/neuronPage';
import { recordedMetagraphSnapshot } from '../support/replayNode';

/** The Subnets view's pages and its UIDs filter, over the recorded 1,024-UID metagraph of netuid 1. */

const snapshot = recordedMetagraphSnapshot();

test('a page is sorted and cut in the engine; the filter narrows it and says how many matched', () => {
  const all = neuronPage(snapshot, { group: 'uids', sort: 'incentive', limit: 256 });
  assert.deepEqual([all.block, all.total, all.matched, all.rows.length], [6_852_690, 1024, 1024, 256]);
  const byIncentive = [...snapshot.neurons].sort((a, b) => b.incentive - a.incentive || a.uid - b.uid);
  assert.deepEqual(all.rows.map((row) => row.uid), byIncentive.slice(0, 256).map((row) => row.uid));

  // UID 1000 is far past the first page by incentive; the filter brings it up.
  assert.ok(byIncentive.findIndex((row) => row.uid === 1000) >= 256);
  const one = neuronPage(snapshot, { group: 'uids', sort: 'incentive', limit: 256, filter: ' 1000 ' });
  assert.deepEqual([one.total, one.matched, one.rows.map((row) => row.uid)], [1024, 1, [1000]]);

  const validators = neuronPage(snapshot, { group: 'validators', sort: 'incentive', limit: 256, filter: '5HCF' });
  assert.deepEqual([validators.total, validators.matched, validators.rows.map((row) => row.uid)], [12, 1, [395]]);
});

test('digits name a UID only; text matches part of a hotkey, coldkey or identity, in any case', () => {
  const uid12 = snapshot.neurons.find((neuron) => neuron.uid === 12)!;
  const digitsInKeys = snapshot.neurons.filter((neuron) => neuron.hotkey.includes('12') || neuron.coldkey.includes('12'));
  assert.ok(digitsInKeys.length > 1, 'some keys contain "12"');
  assert.deepEqual(snapshot.neurons.filter(neuronMatcher('12')).map((neuron) => neuron.uid), [12]);

  const hotkeyPart = uid12.hotkey.slice(10, 22);
  assert.ok(snapshot.neurons.filter(neuronMatcher(hotkeyPart.toLowerCase())).some((neuron) => neuron.uid === 12));
  const coldkeyMatches = snapshot.neurons.filter(neuronMatcher(uid12.coldkey));
  assert.ok(coldkeyMatches.length >= 1 && coldkeyMatches.every((neuron) => neuron.coldkey === uid12.coldkey));
  const named = { ...uid12, identity: 'Taoshi Validator' };
  assert.ok(neuronMatcher('taoshi')(named));
  assert.equal(neuronMatcher('nobody-has-this')(named), false);
  assert.equal(snapshot.neurons.filter(neuronMatcher('   ')).length, 1024, 'blank: every row');
});
