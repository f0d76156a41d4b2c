import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chainEndpointRefusal, DEFAULT_SETTINGS, validateSettings } from '../../src/core/config/settings';

test('empty settings give the public defaults and no errors', () => {
  const { settings, errors } = validateSettings({});
  assert.deepEqual(errors, []);
  assert.deepEqual(settings.relays, DEFAULT_SETTINGS.relays);
  assert.equal(settings.subtensorEndpoint, 'wss://entrypoint-finney.opentensor.ai:443');
  assert.deepEqual(settings.excludedKinds, [5666, 6666, 5969, 6969, 5128]);
  assert.equal(settings.archiveEndpoint, undefined);
});

test('a relay that is not ws/wss is named and dropped, the good ones kept', () => {
  const { settings, errors } = validateSettings({ relays: ['wss://relay.example', 'http://nope.example', 'ws://127.0.0.1:7777', 42] });
  assert.deepEqual(settings.relays, ['wss://relay.example', 'ws://127.0.0.1:7777']);
  assert.equal(errors.length, 2);
  assert.ok(errors.every((error) => error.key === 'swarmscope.nostr.relays'));
  assert.match(errors[0].message, /http:\/\/nope\.example/);
});

test('a negative window is named and replaced by its default', () => {
  const { settings, errors } = validateSettings({ rawWindowHours: -1, historyDays: 'ninety', snapshotIntervalBlocks: 2.5 });
  assert.equal(settings.rawWindowHours, 48);
  assert.equal(settings.historyDays, 90);
  assert.equal(settings.snapshotIntervalBlocks, 100);
  assert.deepEqual(errors.map((error) => error.key).sort(), [
    'swarmscope.bittensor.snapshotIntervalBlocks', 'swarmscope.storage.historyDays', 'swarmscope.storage.rawWindowHours',
  ]);
  assert.match(errors.find((error) => error.key === 'swarmscope.storage.rawWindowHours')!.message, /-1/);
});

test('a bad endpoint is refused, never replaced by the public node; an empty archive endpoint means none', () => {
  const { settings, errors } = validateSettings({ subtensorEndpoint: 'http://my-node.example:9944', archiveEndpoint: 'https://archive' });
  assert.equal(settings.subtensorEndpoint, null);
  assert.equal(settings.archiveEndpoint, null);
  assert.deepEqual(errors.map((error) => error.key), ['swarmscope.bittensor.endpoint', 'swarmscope.bittensor.archiveEndpoint']);
  assert.match(errors[0].message, /"http:\/\/my-node\.example:9944" is not a ws:\/\/ or wss:\/\/ URL; the chain collector is stopped/);
  assert.doesNotMatch(errors.map((error) => error.message).join('\n'), /finney|opentensor/);
  assert.equal(chainEndpointRefusal(settings),
    'swarmscope.bittensor.endpoint and swarmscope.bittensor.archiveEndpoint are not ws:// or wss:// URLs (no other endpoint is used in its place)');
  assert.match(chainEndpointRefusal(validateSettings({ archiveEndpoint: 'archive.example' }).settings) ?? '', /^swarmscope\.bittensor\.archiveEndpoint is not a ws/);

  const unset = validateSettings({ archiveEndpoint: '' });
  assert.deepEqual(unset.errors, []);
  assert.equal(unset.settings.subtensorEndpoint, DEFAULT_SETTINGS.subtensorEndpoint);
  assert.equal(unset.settings.archiveEndpoint, undefined);
  assert.equal(chainEndpointRefusal(unset.settings), undefined);
});

test('kinds and netuids must be integers in range; duplicates fold', () => {
  const { settings, errors } = validateSettings({ excludedKinds: [5666, 5666, -1, 70000, 'x'], trackedSubnets: [1, 1, 3.5] });
  assert.deepEqual(settings.excludedKinds, [5666]);
  assert.deepEqual(settings.trackedSubnets, [1]);
  assert.equal(errors.length, 4);
});
