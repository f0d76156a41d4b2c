import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { preferredEncryption } from '../../src/core/jobs/dvmAnnouncement';
import { Actor, openCore } from '../fixtures/nostr/eventBuilders';

const T = 1_750_000_000;

describe('what a target DVM announces, from the store', () => {
  it('params (required, values, description), encryption, kinds and relays from its newest NIP-89 handler', async () => {
    const kit = await openCore();
    try {
      const dvm = new Actor();
      const older = dvm.sign(31990, [['d', 'a'], ['k', '5050']], JSON.stringify({ name: 'Old name', encryptionSupported: false }), T);
      const newer = dvm.sign(31990, [['d', 'a'], ['k', '5050'], ['k', '5100'], ['relays', 'wss://dvm.relay', 'https://not.a.relay', 'wss://dvm.relay']], JSON.stringify({
        name: 'Echo DVM',
        encryptionSupported: true,
        nip44: true,
        relays: ['wss://other.relay'],
        nip90Params: {
          model: { required: true, values: ['small', 'large'], description: 'which model' },
          temperature: { required: false, values: [], default: '0.7' },
          junk: 'not an object',
        },
      }), T + 10);
      await kit.core.ingest(undefined, [older, newer]);
      const announced = kit.core.dvmAnnouncement(dvm.pubkey.toUpperCase());
      assert.deepEqual(announced, {
        pubkey: dvm.pubkey,
        name: 'Echo DVM',
        kinds: [5050, 5100],
        encryptionSupported: true,
        encryptionSchemes: ['nip04', 'nip44'],
        params: [
          { name: 'model', required: true, values: ['small', 'large'], description: 'which model' },
          { name: 'temperature', required: false, values: [], default: '0.7' },
          { name: 'junk', required: false, values: [] },
        ],
        relays: ['wss://dvm.relay', 'wss://other.relay'],
      });
      assert.equal(preferredEncryption(announced), 'nip44');
    } finally {
      await kit.close();
    }
  });

  it('NIP-04 only unless NIP-44 is named; nothing for a DVM the store does not know', async () => {
    const kit = await openCore();
    try {
      const plain = new Actor();
      const listed = new Actor();
      await kit.core.ingest(undefined, [
        plain.sign(31990, [['d', 'x'], ['k', '5050']], JSON.stringify({ name: 'Plain', encryptionSupported: true }), T),
        listed.sign(31990, [['d', 'x'], ['k', '5050']], JSON.stringify({ encryptionSupported: ['NIP-04', 'nip-44'] }), T),
      ]);
      const announced = kit.core.dvmAnnouncement(plain.pubkey);
      assert.deepEqual(announced?.encryptionSchemes, ['nip04']);
      assert.equal(preferredEncryption(announced), 'nip04');
      assert.deepEqual(kit.core.dvmAnnouncement(listed.pubkey)?.encryptionSchemes, ['nip04', 'nip44']);
      assert.equal(kit.core.dvmAnnouncement(new Actor().pubkey), null);
      assert.equal(preferredEncryption(null), 'nip04');
    } finally {
      await kit.close();
    }
  });
});
