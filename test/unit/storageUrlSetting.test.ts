import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { STORAGE_URL_KEY, validateStorageUrl } from '../../src/core/config/settings';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));
const schema = manifest.contributes.configuration.properties[STORAGE_URL_KEY];

test('an empty swarmscope.storage.url keeps the embedded file; a postgres:// URL without password is taken as given', () => {
  assert.deepEqual(validateStorageUrl(undefined), { url: undefined });
  assert.deepEqual(validateStorageUrl(''), { url: undefined });
  assert.deepEqual(validateStorageUrl('postgres://team@db.example:5432/swarmscope'), { url: 'postgres://team@db.example:5432/swarmscope' });
  assert.equal(schema.default, '');
});

test('a bad swarmscope.storage.url is a setting error naming the key, and is never swapped for the local file', () => {
  for (const bad of ['http://db.example/swarmscope', 'not a url', 'postgres://team:hunter2@db.example/swarmscope', 42]) {
    const { url, error } = validateStorageUrl(bad);
    assert.equal(error?.key, STORAGE_URL_KEY, JSON.stringify(bad));
    assert.match(error.message, /swarmscope\.storage\.url|is not a URL/);
    // The refused URL still goes to the engine, which refuses it too: the views never show this editor's file as the team's.
    if (typeof bad === 'string') assert.equal(url, bad);
  }
  const withPassword = validateStorageUrl('postgres://team:hunter2@db.example/swarmscope').error!.message;
  assert.doesNotMatch(withPassword, /hunter2/);
  assert.match(withPassword, /carries a password/);
});

test("package.json's pattern marks the same URLs the check refuses, as they are typed", () => {
  const pattern = new RegExp(schema.pattern, 'u');
  for (const good of ['', 'postgres://team@db.example:5432/swarmscope', 'postgresql://localhost/swarmscope']) {
    assert.ok(pattern.test(good), good);
    assert.equal(validateStorageUrl(good).error, undefined, good);
  }
  for (const bad of ['http://db.example/swarmscope', 'postgres://team:hunter2@db.example/swarmscope']) {
    assert.ok(!pattern.test(bad), bad);
    assert.ok(validateStorageUrl(bad).error, bad);
  }
});
