import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findStorageItem } from '../../src/core/bittensor/scale/portableTypes';
import { TypeDecoder } from '../../src/core/bittensor/scale/scaleDecoder';
import { fromHex, toHex } from '../../src/core/bittensor/scale/scaleEncoder';
import { hashBytesBeforeKey, hashedKey, storagePrefix } from '../../src/core/bittensor/storageKeys';
import { loadRecordedRpc, recordedRuntime } from '../support/replayNode';

/** Storage keys and values checked against what finney's own keys look like in the recordings. */
describe('storage keys and values', () => {
  it('builds the Weights prefix that finney uses, narrowed by netuid', async () => {
    const item = findStorageItem(recordedRuntime(), 'SubtensorModule', 'Weights');
    assert.ok(item?.map);
    assert.deepEqual(item.map.hashers, ['Identity', 'Identity']);
    const recordedKey = (Object.values(loadRecordedRpc().rpc.weights.state_getKeysPaged)[0] as { result: string[] }).result[0];
    const prefix = toHex(await storagePrefix(item)) + toHex(await hashedKey('Identity', Uint8Array.of(23, 0))).slice(2);
    assert.ok(recordedKey.startsWith(prefix), `${recordedKey} starts with ${prefix}`);
    assert.equal(recordedKey.slice(prefix.length), '0a00'); // UID 10, u16 little-endian, Identity-hashed
  });

  it('hashes Twox64Concat keys as the Swap.AlphaSqrtPrice keys on finney', async () => {
    const item = findStorageItem(recordedRuntime(), 'Swap', 'AlphaSqrtPrice');
    assert.ok(item?.map);
    assert.deepEqual(item.map.hashers, ['Twox64Concat']);
    const prefix = toHex(await storagePrefix(item));
    const netuid64 = toHex(await hashedKey('Twox64Concat', Uint8Array.of(64, 0))).slice(2);
    const recorded = Object.values(loadRecordedRpc().rpc.get_all_subnets_info.state_queryStorageAt)
      .flatMap((answer) => (answer as { result: { changes: [string, string][] }[] }).result.flatMap((set) => set.changes.map(([key]) => key)));
    assert.ok(recorded.includes(prefix + netuid64), 'the netuid 64 key is among the recorded ones');
    assert.equal(hashBytesBeforeKey('Twox64Concat'), 8);
    assert.equal(hashBytesBeforeKey('Blake2_128Concat'), 16);
    assert.equal(hashBytesBeforeKey('Blake2_256'), null);
  });

  it('decodes a Weights value with the runtime type and rejects a value with bytes left over', () => {
    const runtime = recordedRuntime();
    const item = findStorageItem(runtime, 'SubtensorModule', 'Weights')!;
    const decoder = new TypeDecoder(runtime);
    assert.deepEqual(decoder.decodeExact(item.value, fromHex('0x040a00ffff'), 'Weights'), [[10, 65_535]]);
    assert.throws(() => decoder.decodeExact(item.value, fromHex('0x040a00ffff00'), 'Weights'), /used 5/);
  });
});
