import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { Migration } from '../../src/core/store/sqlite/migration';
import { Store } from '../../src/core/store/sqlite/store';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { PinRepo } from '../../src/core/store/sqlite/state/sqlitePinRepo';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-store-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const notes: Migration = { id: 'test-001-notes', up: (db) => db.run('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)') };

test('migrations run once, in order, and survive a flush and reload', async () => {
  const file = path.join(dir, 'migrate.db');
  const first = await Store.open({ path: file, migrations: [...coreMigrations, notes] });
  first.store.db.run("INSERT INTO notes (text) VALUES ('kept')");
  first.store.markDirty();
  await first.store.close();
  const second = await Store.open({ path: file, migrations: [...coreMigrations, notes] });
  const applied = second.store.db.exec('SELECT id FROM schema_migrations ORDER BY id')[0].values.flat();
  assert.deepEqual(applied, [...coreMigrations.map((migration) => migration.id), 'test-001-notes']);
  assert.equal(second.store.db.exec('SELECT text FROM notes')[0].values[0][0], 'kept');
  assert.deepEqual(second.notices, []);
  await second.store.close();
});

test('a failing migration is rolled back and named', async () => {
  const broken: Migration = { id: 'test-002-broken', up: (db) => { db.run('CREATE TABLE half (x)'); db.run('NOT SQL'); } };
  await assert.rejects(Store.open({ path: undefined, migrations: [...coreMigrations, broken] }), /migration test-002-broken failed/);
});

// Which files are opened, refused or moved aside when damaged: storeFileRecognition.test.ts.

test('flush writes atomically: no temp file is left and the file loads', async () => {
  const file = path.join(dir, 'flush.db');
  const { store } = await Store.open({ path: file, migrations: [...coreMigrations, notes] });
  for (let i = 0; i < 100; i++) store.db.run('INSERT INTO notes (text) VALUES (?)', [`row ${i}`]);
  const result = await store.flush();
  assert.ok(result.bytes > 0);
  assert.deepEqual(fs.readdirSync(dir).filter((name) => name.startsWith('flush.db.tmp')), []);
  await store.close();
  const reopened = await Store.open({ path: file, migrations: [...coreMigrations, notes] });
  assert.equal(reopened.store.db.exec('SELECT count(*) FROM notes')[0].values[0][0], 100);
  await reopened.store.close();
});

test('markDirty flushes after the debounce delay', async () => {
  const file = path.join(dir, 'debounce.db');
  const { store } = await Store.open({ path: file, migrations: [...coreMigrations, notes], flushDelayMs: 20 });
  const before = fs.statSync(file).size;
  for (let i = 0; i < 2000; i++) store.db.run('INSERT INTO notes (text) VALUES (?)', ['x'.repeat(100)]);
  store.markDirty();
  assert.equal(store.isDirty, true);
  const deadline = Date.now() + 5_000;
  while (store.isDirty && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  while (store.lastFlush === undefined || fs.statSync(file).size === before) {
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.ok(fs.statSync(file).size > before, 'the debounced flush reached the disk');
  await store.close();
});

test('pins are stored, listed by domain and removed', async () => {
  const { store } = await Store.open({ path: undefined, migrations: coreMigrations });
  const pins = new PinRepo(store.db);
  pins.add('dvm', 'a'.repeat(64), 'My DVM');
  pins.add('hotkey', '5F3sa2TJAWMqDhXG6jhV4N8ko9SxwGy8TpaNS1repo5EYjQX');
  assert.equal(pins.list().length, 2);
  assert.deepEqual(pins.list('dvm').map((pin) => pin.label), ['My DVM']);
  assert.equal(pins.has('hotkey', '5F3sa2TJAWMqDhXG6jhV4N8ko9SxwGy8TpaNS1repo5EYjQX'), true);
  pins.remove('dvm', 'a'.repeat(64));
  assert.equal(pins.has('dvm', 'a'.repeat(64)), false);
  await store.close();
});
