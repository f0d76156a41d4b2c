import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nip04 from 'nostr-tools/nip04';
import * as nip44 from 'nostr-tools/nip44';
import { verifyEvent, type Event } from 'nostr-tools/pure';
import { buildJobCancellation, buildJobRequest, JobRequestError, jobRequestTags, type JobRequestSpec } from '../../src/core/jobs/jobRequest';
import { SecretKey } from '../../src/core/jobs/secretKey';
import { encryptionScheme } from '../../src/core/nostr/encryption';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { Actor } from '../fixtures/nostr/eventBuilders';

const dvm = new Actor();
const parent = 'ab'.repeat(32);
const spec: JobRequestSpec = {
  kind: 5050,
  inputs: [
    { data: 'what is the capital of France?', type: 'text' },
    { data: parent, type: 'job', relay: 'wss://relay.example', marker: 'context' },
    { data: 'https://example.com/a.txt', type: 'url', marker: 'source' },
  ],
  output: 'text/plain',
  params: [['model', 'LLaMA-2'], ['max_tokens', '512']],
  bidMsats: 21_000,
  dvms: [dvm.pubkey],
  relays: ['wss://relay.one', 'wss://relay.two'],
};

/** The signed event as a plain copy, the way a relay would hand it on. */
function plain(event: NostrEvent): Event {
  return JSON.parse(JSON.stringify(event)) as Event;
}

describe('NIP-90 job requests', () => {
  it('a plain request carries every tag in NIP-90 order: i (data, type, relay, marker), param, output, bid, relays, p; content empty; signed', () => {
    const key = SecretKey.generate();
    const event = buildJobRequest(spec, key, 1_750_000_000);
    assert.equal(event.kind, 5050);
    assert.equal(event.pubkey, key.publicKey);
    assert.equal(event.content, '');
    assert.deepEqual(event.tags, [
      ['i', 'what is the capital of France?', 'text'],
      ['i', parent, 'job', 'wss://relay.example', 'context'],
      ['i', 'https://example.com/a.txt', 'url', '', 'source'],
      ['param', 'model', 'LLaMA-2'],
      ['param', 'max_tokens', '512'],
      ['output', 'text/plain'],
      ['bid', '21000'],
      ['relays', 'wss://relay.one', 'wss://relay.two'],
      ['p', dvm.pubkey],
    ]);
    assert.ok(verifyEvent(plain(event)), 'id and signature verify');
  });

  for (const scheme of ['nip04', 'nip44'] as const) {
    it(`${scheme}: the i and param tags move into content, encrypted to the DVM; output, bid, relays, p and an encrypted tag stay visible`, () => {
      const key = SecretKey.generate();
      const event = buildJobRequest({ ...spec, encryption: scheme }, key);
      assert.deepEqual(event.tags, [
        ['output', 'text/plain'], ['bid', '21000'], ['relays', 'wss://relay.one', 'wss://relay.two'], ['p', dvm.pubkey], ['encrypted'],
      ]);
      assert.ok(!event.tags.some((tag) => tag[0] === 'i' || tag[0] === 'param'), 'nothing private in the clear');
      assert.ok(!event.content.includes('France'));
      assert.equal(encryptionScheme(event.content), scheme);
      // The DVM, with its own key and the customer's pubkey, reads exactly the hidden tags back.
      const decrypted = scheme === 'nip44'
        ? nip44.decrypt(event.content, nip44.getConversationKey(dvm.secret, event.pubkey))
        : nip04.decrypt(dvm.secret, event.pubkey, event.content);
      assert.deepEqual(JSON.parse(decrypted), jobRequestTags(spec).hidden);
      assert.ok(verifyEvent(plain(event)));
    });
  }

  it('refuses what NIP-90 does not allow, before signing: kind, input type, ids, bid, relays, DVM, encryption without exactly one DVM', () => {
    const key = SecretKey.generate();
    const refused: [Partial<JobRequestSpec>, RegExp][] = [
      [{ kind: 6050 }, /not a job request kind/],
      [{ kind: 5000.5 }, /not a job request kind/],
      [{ inputs: [{ data: 'x', type: 'file' as never }] }, /input type "file"/],
      [{ inputs: [{ data: 'not-an-id', type: 'job' }] }, /job input is a 64-hex event id/],
      [{ inputs: [{ data: 'example.com', type: 'url' }] }, /url input is a URL/],
      [{ bidMsats: -1 }, /bid -1/],
      [{ relays: ['https://relay.example'] }, /not a ws:\/\/ or wss:\/\/ URL/],
      [{ dvms: ['npub1notahexkey'] }, /not a 64-hex public key/],
      [{ output: 'plain text' }, /not a MIME type/],
      [{ params: [[' ', 'v']] }, /a param needs a name/],
      [{ dvms: [], encryption: 'nip04' }, /exactly one DVM.*names 0/],
      [{ dvms: [dvm.pubkey, 'cd'.repeat(32)], encryption: 'nip44' }, /exactly one DVM.*names 2/],
    ];
    for (const [change, message] of refused) {
      assert.throws(() => buildJobRequest({ ...spec, ...change }, key), (error: Error) => error instanceof JobRequestError && message.test(error.message), JSON.stringify(change));
    }
  });

  it('a cancellation is a NIP-09 deletion naming the job (e) and its kind (k), and only the job\'s own key may sign it', () => {
    const key = SecretKey.generate();
    const job = buildJobRequest(spec, key);
    const deletion = buildJobCancellation(job, key, 'changed my mind');
    assert.equal(deletion.kind, 5);
    assert.deepEqual(deletion.tags, [['e', job.id], ['k', '5050']]);
    assert.equal(deletion.content, 'changed my mind');
    assert.ok(verifyEvent(plain(deletion)));
    assert.throws(() => buildJobCancellation(job, SecretKey.generate()), /only the key that posted a job can cancel it/);
  });
});
