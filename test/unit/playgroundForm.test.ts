import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { npubEncode, nsecEncode } from 'nostr-tools/nip19';
import * as nip44 from 'nostr-tools/nip44';
import { generateSecretKey, getPublicKey, verifyEvent, type Event } from 'nostr-tools/pure';
import { buildJobRequest, JobRequestError } from '../../src/core/jobs/jobRequest';
import { SecretKey } from '../../src/core/jobs/secretKey';
import { NostrIdentity, SECRET_KEY_ENTRY, type SecretStore } from '../../src/identity/nostrIdentity';
import { playgroundJob, withEncryption } from '../../src/panels/playgroundForm';
import type { PlaygroundForm } from '../../src/protocol/playgroundPanelProtocol';
import { Actor } from '../fixtures/nostr/eventBuilders';

const dvm = new Actor();
const blank: PlaygroundForm = {
  kind: '5050', inputs: [{ data: 'What is 2+2?', type: 'text' }], output: '', params: [], bid: '', dvm: '', encrypt: false,
  relays: 'ws://127.0.0.1:7000',
};

describe('Playground form → job request', () => {
  it('a plain 5050 with one text input: only the i tag and the relays tag, published to the relays named', () => {
    const job = playgroundJob(blank);
    assert.deepEqual(job.relays, ['ws://127.0.0.1:7000']);
    const event = buildJobRequest(withEncryption(job, 'nip04'), SecretKey.generate(), 1_750_000_000);
    assert.deepEqual(event.tags, [['i', 'What is 2+2?', 'text'], ['relays', 'ws://127.0.0.1:7000']]);
    assert.equal(event.content, '');
  });

  it('every field: inputs of each type (empty rows dropped), output, params (blank names dropped), bid, an npub target, relays one per line', () => {
    const event = 'cd'.repeat(32);
    const job = playgroundJob({
      kind: ' 5100 ',
      inputs: [{ data: 'a cat', type: 'text' }, { data: '  ', type: 'text' }, { data: 'https://example.com/cat.png', type: 'url' }, { data: event, type: 'job' }],
      output: ' image/png ',
      params: [['size', '512x512'], ['  ', 'ignored'], [' steps ', '20']],
      bid: '21000',
      dvm: npubEncode(dvm.pubkey),
      encrypt: false,
      relays: 'ws://a.example\nws://b.example  ws://a.example\n',
    });
    assert.deepEqual(job.spec, {
      kind: 5100,
      inputs: [{ data: 'a cat', type: 'text' }, { data: 'https://example.com/cat.png', type: 'url' }, { data: event, type: 'job' }],
      relays: ['ws://a.example', 'ws://b.example'],
      output: 'image/png',
      params: [['size', '512x512'], ['steps', '20']],
      bidMsats: 21_000,
      dvms: [dvm.pubkey],
    });
    assert.equal(job.encrypt, false);
  });

  it('encrypted: the i and param tags go into content for the target, who decrypts them', () => {
    const key = SecretKey.generate();
    const job = playgroundJob({ ...blank, params: [['model', 'x']], dvm: dvm.pubkey, encrypt: true });
    const event = buildJobRequest(withEncryption(job, 'nip44'), key);
    assert.ok(verifyEvent(JSON.parse(JSON.stringify(event)) as Event));
    assert.deepEqual(event.tags, [['relays', 'ws://127.0.0.1:7000'], ['p', dvm.pubkey], ['encrypted']]);
    assert.deepEqual(JSON.parse(nip44.decrypt(event.content, nip44.getConversationKey(dvm.secret, key.publicKey))), [['i', 'What is 2+2?', 'text'], ['param', 'model', 'x']]);
  });

  it('names each mistake of the text before anything is signed', () => {
    const cases: [Partial<PlaygroundForm>, RegExp][] = [
      [{ kind: 'text generation' }, /kind "text generation" is not a number/],
      [{ kind: '' }, /kind "" is not a number/],
      [{ inputs: [{ data: ' ', type: 'text' }] }, /at least one input/],
      [{ bid: '1.5' }, /bid "1.5" is not a whole number/],
      [{ bid: '-3' }, /bid "-3" is not a whole number/],
      [{ dvm: 'npub1nope' }, /target DVM is not a public key/],
      [{ encrypt: true }, /encrypted job needs a target DVM/],
      [{ relays: ' \n ' }, /at least one relay/],
    ];
    for (const [change, message] of cases) assert.throws(() => playgroundJob({ ...blank, ...change }), (error: Error) => error instanceof JobRequestError && message.test(error.message), JSON.stringify(change));
  });
});

/** VS Code's SecretStorage, as a map: the identity's only store. */
function memoryStore(): SecretStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (key) => entries.get(key),
    store: async (key, value) => void entries.set(key, value),
    delete: async (key) => void entries.delete(key),
  };
}

describe('NostrIdentity: the key kept in SecretStorage', () => {
  it('is made on first use and kept: the same npub every time after', async () => {
    const store = memoryStore();
    const identity = new NostrIdentity(store);
    assert.equal(await identity.exists(), false);
    const npub = await identity.npub();
    assert.match(npub, /^npub1/);
    assert.match(store.entries.get(SECRET_KEY_ENTRY) ?? '', /^[0-9a-f]{64}$/);
    assert.equal(await new NostrIdentity(store).npub(), npub);
    assert.equal(await identity.exists(), true);
  });

  it('an imported nsec signs from then on; a refused one is not quoted and changes nothing', async () => {
    const store = memoryStore();
    const identity = new NostrIdentity(store);
    const before = await identity.npub();
    const secret = generateSecretKey();
    const nsec = nsecEncode(secret);
    // One character changed breaks the bech32 checksum; it must differ from the one there (1 nsec in 32 ends in x).
    const broken = `${nsec.slice(0, -1)}${nsec.endsWith('q') ? 'p' : 'q'}`;
    await assert.rejects(identity.import(broken), (error: Error) => !error.message.includes(nsec.slice(5, 30)));
    assert.equal(await identity.npub(), before);
    assert.equal(await identity.import(` ${nsec} `), npubEncode(getPublicKey(secret)));
    assert.equal(await identity.use((key) => key.publicKey), getPublicKey(secret));
  });

  it('delete forgets it: the next use makes another', async () => {
    const store = memoryStore();
    const identity = new NostrIdentity(store);
    const first = await identity.npub();
    await identity.delete();
    assert.equal(await identity.exists(), false);
    assert.notEqual(await identity.npub(), first);
  });

  it('the key handed to work is wiped after it', async () => {
    const identity = new NostrIdentity(memoryStore());
    const kept = await identity.use((key) => key);
    assert.throws(() => kept.sign({ kind: 1, created_at: 0, tags: [], content: '' }));
  });
});
