import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildJobRequest } from '../../src/core/jobs/jobRequest';
import { SecretKey } from '../../src/core/jobs/secretKey';
import { formOfRequest, playgroundJob, withEncryption } from '../../src/panels/playgroundForm';
import type { PlaygroundForm } from '../../src/protocol/playgroundPanelProtocol';
import { Actor } from '../fixtures/nostr/eventBuilders';

/** "Post Again with Changes…": the form a posted job is read back into posts the same job again. */

const dvm = new Actor();
const form: PlaygroundForm = {
  kind: '5100',
  inputs: [{ data: 'a cat', type: 'text' }, { data: 'ab'.repeat(32), type: 'job' }],
  output: 'image/png',
  params: [['size', '512x512'], ['steps', '20']],
  bid: '21000',
  dvm: dvm.pubkey,
  encrypt: false,
  relays: 'ws://a.example\nws://b.example',
};

for (const scheme of [undefined, 'nip04', 'nip44'] as const) {
  test(`a ${scheme ?? 'plain'} job reads back into the form it was posted from`, () => {
    const key = SecretKey.generate();
    const posted = { ...form, encrypt: scheme !== undefined };
    const request = buildJobRequest(withEncryption(playgroundJob(posted), scheme ?? 'nip04'), key);
    if (scheme) assert.ok(!JSON.stringify(request).includes('a cat'), 'the inputs travel encrypted');
    const again = formOfRequest(request, key);
    assert.deepEqual(again, posted);
  });
}

test('an encrypted job someone else posted keeps its inputs empty: only its author (and the DVM) can read them', () => {
  const request = buildJobRequest(withEncryption(playgroundJob({ ...form, encrypt: true }), 'nip04'), SecretKey.generate());
  const again = formOfRequest(request, SecretKey.generate());
  assert.deepEqual(again.inputs, [{ data: '', type: 'text' }]);
  assert.deepEqual(again.params, []);
  assert.equal(again.dvm, dvm.pubkey);
});
