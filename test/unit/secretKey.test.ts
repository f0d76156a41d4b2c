import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { format, inspect } from 'node:util';
import { nsecEncode } from 'nostr-tools/nip19';
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure';
import { readKeyFile } from '../../src/core/jobs/keyFile';
import { SecretKey } from '../../src/core/jobs/secretKey';

const secret = generateSecretKey();
const hex = Buffer.from(secret).toString('hex');
const nsec = nsecEncode(secret);

/**
 * Every way the secret could be written down: hex, nsec, or its bytes as numbers in a row, however JS lays them out
 * (`inspect`'s wrapped columns, a JSON object of index → byte).
 */
function revealsSecret(text: string): boolean {
  if (text.includes(hex) || text.toLowerCase().includes(nsec)) return true;
  const numbers = (text.match(/\d+/g) ?? []).join(' ');
  const bytes = [...secret];
  return ` ${numbers} `.includes(` ${bytes.join(' ')} `) || ` ${numbers} `.includes(` ${bytes.map((byte, i) => `${i} ${byte}`).join(' ')} `);
}

describe('SecretKey: a key that cannot be printed', () => {
  it('reads nsec and hex (whitespace around ignored) to the same public key', () => {
    for (const text of [hex, hex.toUpperCase(), nsec, `  ${nsec}\n`]) assert.equal(SecretKey.parse(text).publicKey, getPublicKey(secret));
  });

  it('String, JSON, inspect, console formats, structured clones and its own keys show the npub, never the secret', () => {
    const key = SecretKey.parse(hex);
    const shown = [
      String(key), `${key}`, JSON.stringify(key), JSON.stringify({ key }), inspect(key), inspect(key, { showHidden: true, depth: 10 }),
      inspect({ nested: { key } }, { showHidden: true, depth: 10 }), format('%s %o %O %j', key, key, key, key),
      JSON.stringify(Object.entries(key)), inspect(structuredClone(key), { showHidden: true }), JSON.stringify(Object.getOwnPropertyNames(key).map((name) => (key as never)[name])),
    ];
    for (const text of shown) assert.equal(revealsSecret(text), false, text);
    assert.match(String(key), new RegExp(`^SecretKey\\(${key.npub}\\)$`));
    // The checks above would have seen the secret had it been there:
    for (const leak of [format('%o', { bytes: secret }), inspect(secret), JSON.stringify(secret), hex, nsec.toUpperCase()]) assert.ok(revealsSecret(leak), leak);
  });

  it('an unreadable key is refused without quoting it (a typo in a real key must not end up in a log)', () => {
    const typo = `${nsec.slice(0, -1)}${nsec.endsWith('q') ? 'p' : 'q'}`;
    for (const text of [typo, hex.slice(1), `${hex}00`, 'nsec1', 'f'.repeat(64), 'hello']) {
      assert.throws(() => SecretKey.parse(text), (error: Error) => !error.message.includes(text.trim()) && !revealsSecret(error.message) && /secret key/.test(error.message), text);
    }
  });

  it('signs and round-trips NIP-04 and NIP-44 with a peer; a wiped key no longer decrypts', () => {
    const alice = SecretKey.generate();
    const bob = SecretKey.generate();
    for (const scheme of ['nip04', 'nip44'] as const) {
      const payload = alice.encrypt(scheme, bob.publicKey, 'hi bob');
      assert.equal(bob.decrypt(scheme, alice.publicKey, payload), 'hi bob');
      assert.throws(() => SecretKey.generate().decrypt(scheme, alice.publicKey, payload), new RegExp(`could not decrypt the ${scheme} payload`));
    }
    const payload = alice.encrypt('nip44', bob.publicKey, 'later');
    bob.wipe();
    assert.throws(() => bob.decrypt('nip44', alice.publicKey, payload));
  });
});

describe('key files', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-key-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function keyFile(name: string, content: string, mode: number): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    fs.chmodSync(file, mode);
    return file;
  }

  it('reads a 0600 (or 0400) file holding an nsec or hex', () => {
    assert.equal(readKeyFile(keyFile('nsec', `${nsec}\n`, 0o600)).publicKey, getPublicKey(secret));
    assert.equal(readKeyFile(keyFile('hex', hex, 0o400)).publicKey, getPublicKey(secret));
  });

  it('refuses a key file group or others may read, saying how to fix it, without reading it out', () => {
    for (const mode of [0o644, 0o640, 0o604, 0o660]) {
      const file = keyFile(`open-${mode.toString(8)}`, nsec, mode);
      assert.throws(() => readKeyFile(file), (error: Error) => error.message.includes(file) && /chmod 600/.test(error.message) && !revealsSecret(error.message));
    }
  });

  it('names the file, never its content, when it holds no key or is missing', () => {
    const file = keyFile('garbage', `${hex}zz`, 0o600);
    assert.throws(() => readKeyFile(file), (error: Error) => error.message.includes(file) && !revealsSecret(error.message) && !error.message.includes(hex));
    assert.throws(() => readKeyFile(path.join(dir, 'absent')), /cannot read the key file .*ENOENT/);
  });
});
