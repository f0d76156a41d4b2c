import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nip04 from 'nostr-tools/nip04';
import * as nip44 from 'nostr-tools/nip44';
import { readJobAnswer } from '../../src/core/jobs/jobAnswers';
import { SecretKey } from '../../src/core/jobs/secretKey';
import { Actor } from '../fixtures/nostr/eventBuilders';
import { makeBolt11Invoice } from '../support/bolt11Invoice';

const dvm = new Actor();
const job = 'ab'.repeat(32);

function encryptTo(scheme: 'nip04' | 'nip44', customer: SecretKey, text: string): string {
  return scheme === 'nip44' ? nip44.encrypt(text, nip44.getConversationKey(dvm.secret, customer.publicKey)) : nip04.encrypt(dvm.secret, customer.publicKey, text);
}

describe('reading the answers to your job', () => {
  it('a plain feedback: status, its message, amount and bolt11; a plain result: its content', () => {
    const { invoice } = makeBolt11Invoice({ amountMsats: 21_000 });
    const feedback = dvm.sign(7000, [['status', 'payment-required', 'pay first'], ['amount', '21000', invoice], ['e', job]]);
    assert.deepEqual(readJobAnswer(feedback), {
      id: feedback.id, kind: 7000, role: 'feedback', pubkey: dvm.pubkey, createdAt: feedback.created_at,
      status: 'payment-required', statusMessage: 'pay first', amountMsats: 21_000, bolt11: invoice, content: '', encrypted: false,
    });
    const result = dvm.sign(6050, [['e', job]], 'Paris');
    assert.equal(readJobAnswer(result)?.content, 'Paris');
    assert.equal(readJobAnswer(dvm.sign(5050, [])), undefined, 'a request is no answer');
  });

  for (const scheme of ['nip04', 'nip44'] as const) {
    it(`${scheme}: an encrypted result is decrypted with the customer's key; an encrypted feedback's status tags are read from inside`, () => {
      const customer = SecretKey.generate();
      const result = dvm.sign(6050, [['e', job], ['p', customer.publicKey], ['encrypted']], encryptTo(scheme, customer, 'the capital is Paris'));
      assert.deepEqual(
        (({ content, encrypted, decrypted }) => ({ content, encrypted, decrypted }))(readJobAnswer(result, customer)!),
        { content: 'the capital is Paris', encrypted: true, decrypted: true },
      );
      // nostrdvm's way: the feedback's tags, JSON, inside the encrypted content.
      const inner = JSON.stringify([['status', 'processing', 'thinking'], ['amount', '1000']]);
      const feedback = dvm.sign(7000, [['encrypted'], ['p', customer.publicKey], ['e', job]], encryptTo(scheme, customer, inner));
      const read = readJobAnswer(feedback, customer);
      assert.equal(read?.status, 'processing');
      assert.equal(read?.statusMessage, 'thinking');
      assert.equal(read?.amountMsats, 1000);
    });
  }

  it('an answer encrypted to someone else, or read without a key, says why it cannot be read and keeps the ciphertext', () => {
    const customer = SecretKey.generate();
    const payload = encryptTo('nip44', customer, 'secret output');
    const result = dvm.sign(6050, [['e', job], ['encrypted']], payload);
    const wrongKey = readJobAnswer(result, SecretKey.generate());
    assert.equal(wrongKey?.decrypted, false);
    assert.match(wrongKey?.decryptError ?? '', /could not decrypt the nip44 payload/);
    assert.equal(wrongKey?.content, payload);
    assert.match(readJobAnswer(result)?.decryptError ?? '', /no key/);
    assert.match(readJobAnswer(dvm.sign(6050, [['encrypted']], 'hello'), customer)?.decryptError ?? '', /neither NIP-04 nor NIP-44/);
  });
});
