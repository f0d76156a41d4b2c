import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import initSqlJs from 'sql.js';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { DatabaseRefusedError, SWARMSCOPE_APPLICATION_ID } from '../../src/core/store/sqlite/databaseFile';
import { sqliteMigrations } from '../../src/core/store/sqlite/sqliteMigrations';
import { Store } from '../../src/core/store/sqlite/store';
import { runCliInProcess } from '../support/cliRun';

/**
 * Only a missing file, an empty file or a Swarmscope database is opened. Anything else a path may name (a folder,
 * another application's SQLite file, a document) is refused and left byte for byte as it was; a Swarmscope
 * database that cannot be read is still moved aside.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-store-file-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const ALL_MIGRATIONS = sqliteMigrations;

/** Every file under `root` with its bytes: what must not change when a file is refused. */
function snapshotOf(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const name of fs.readdirSync(root, { recursive: true }) as string[]) {
    const full = path.join(root, name);
    entries[name] = fs.statSync(full).isDirectory() ? '(folder)' : fs.readFileSync(full).toString('base64');
  }
  return entries;
}

/** A SQLite database as another program writes it (sql.js is SQLite). */
async function foreignDatabase(file: string, sql: string): Promise<void> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.run(sql);
  fs.writeFileSync(file, db.export());
  db.close();
}

/** Opens `target` and expects a refusal that leaves everything in `folder` exactly as it was. */
async function assertRefused(folder: string, target: string, reason: RegExp): Promise<void> {
  const before = snapshotOf(folder);
  await assert.rejects(Store.open({ path: target, migrations: ALL_MIGRATIONS }), (error: unknown) => {
    assert.ok(error instanceof DatabaseRefusedError, String(error));
    assert.ok(error.message.includes(target), `the message names the file: ${error.message}`);
    assert.match(error.message, reason);
    assert.match(error.message, /left this one untouched/);
    return true;
  });
  assert.deepEqual(snapshotOf(folder), before, 'nothing in the folder changed: no rename, no migration, no temp file');
}

function folder(name: string): string {
  const made = path.join(dir, name);
  fs.mkdirSync(made);
  return made;
}

describe('which files the store opens', () => {
  it('refuses a folder, and does not rename it aside', async () => {
    const parent = folder('a-folder');
    const target = path.join(parent, 'data');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'keep.txt'), 'mine');
    await assertRefused(parent, target, /is a folder/);
  });

  it('refuses a file that is not SQLite', async () => {
    const parent = folder('a-document');
    const target = path.join(parent, 'notes.txt');
    fs.writeFileSync(target, 'this is not sqlite');
    await assertRefused(parent, target, /is not a SQLite database/);
  });

  it("refuses another application's SQLite database instead of migrating it, and leaves temp-named files beside it alone", async () => {
    const parent = folder('another-app');
    const target = path.join(parent, 'places.sqlite');
    await foreignDatabase(target, 'CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES (\'https://example.org\')');
    fs.writeFileSync(`${target}.tmp-1-2`, 'the other application\'s own file');
    await assertRefused(parent, target, /without Swarmscope's tables/);
  });

  it('refuses a SQLite database that carries another application id, or a schema_migrations table of its own', async () => {
    const parent = folder('other-ids');
    const withId = path.join(parent, 'fossil.db');
    await foreignDatabase(withId, 'PRAGMA application_id = 252006674; CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
    await assertRefused(parent, withId, /another application \(application id 0xf055112\)/);
    const rails = path.join(parent, 'rails.sqlite3');
    await foreignDatabase(rails, 'CREATE TABLE schema_migrations (version TEXT PRIMARY KEY)');
    await assertRefused(parent, rails, /without Swarmscope's tables/);
    const lookalike = path.join(parent, 'lookalike.db');
    await foreignDatabase(lookalike, "CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL); INSERT INTO schema_migrations VALUES ('20240101_users', 1)");
    await assertRefused(parent, lookalike, /schema_migrations table is not Swarmscope's \(it lists "20240101_users"\)/);
  });

  it('refuses a SQLite file it cannot read that is not recognisably ours', async () => {
    const parent = folder('unreadable-foreign');
    const target = path.join(parent, 'broken.db');
    fs.writeFileSync(target, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 0xab)]));
    await assertRefused(parent, target, /cannot be read as a database/);
  });

  it('opens a missing or an empty file as a new database, stamped as ours from the start', async () => {
    const parent = folder('new');
    for (const target of [path.join(parent, 'missing.db'), path.join(parent, 'empty.db')]) {
      if (target.endsWith('empty.db')) fs.writeFileSync(target, '');
      const { store, notices } = await Store.open({ path: target, migrations: ALL_MIGRATIONS });
      assert.deepEqual(notices, []);
      await store.close();
      assert.equal(fs.readFileSync(target).readUInt32BE(68), SWARMSCOPE_APPLICATION_ID, `${path.basename(target)} carries our application id`);
    }
  });

  it('opens a Swarmscope database made before the application id, keeps its data and stamps it', async () => {
    const parent = folder('legacy');
    const target = path.join(parent, 'old.db');
    const { store } = await Store.open({ path: target, migrations: coreMigrations });
    store.db.run("INSERT INTO pins (domain, key, label, created_at) VALUES ('dvm', 'abc', 'kept', 1)");
    store.db.run('PRAGMA application_id = 0');
    await store.flush();
    await store.close();
    assert.equal(fs.readFileSync(target).readUInt32BE(68), 0, 'a database as earlier versions wrote it');
    const reopened = await Store.open({ path: target, migrations: ALL_MIGRATIONS });
    assert.deepEqual(reopened.notices, []);
    assert.equal(reopened.store.db.exec('SELECT label FROM pins')[0].values[0][0], 'kept');
    reopened.store.markDirty();
    await reopened.store.close();
    assert.equal(fs.readFileSync(target).readUInt32BE(68), SWARMSCOPE_APPLICATION_ID);
  });

  it('moves a damaged Swarmscope database aside, recognised by its header or, from before the application id, its schema', async () => {
    for (const legacy of [false, true]) {
      const parent = folder(legacy ? 'damaged-legacy' : 'damaged');
      const target = path.join(parent, 'swarmscope.db');
      const { store } = await Store.open({ path: target, migrations: coreMigrations });
      for (let i = 0; i < 200; i++) store.db.run('INSERT INTO meta (key, value) VALUES (?, ?)', [`key ${i}`, 'v'.repeat(200)]);
      if (legacy) store.db.run('PRAGMA application_id = 0');
      await store.flush();
      await store.close();
      const bytes = fs.readFileSync(target);
      // Pages after the first (the schema) are overwritten: the table data is gone, the header and schema remain.
      bytes.fill(0xab, 4096);
      fs.writeFileSync(target, bytes);

      const reopened = await Store.open({ path: target, migrations: coreMigrations });
      assert.equal(reopened.notices.length, 1);
      assert.equal(reopened.notices[0].level, 'error');
      assert.match(reopened.notices[0].message, /could not be read.*moved to/);
      await reopened.store.close();
      const aside = fs.readdirSync(parent).filter((name) => name.startsWith('swarmscope.db.corrupt-'));
      assert.equal(aside.length, 1, 'the damaged file is kept beside, not overwritten');
      assert.deepEqual(fs.readFileSync(path.join(parent, aside[0])), bytes);
      assert.equal(fs.readFileSync(target).readUInt32BE(68), SWARMSCOPE_APPLICATION_ID, 'a fresh database took its place');
    }
  });
});

describe('swarmscope --db refuses what is not a Swarmscope database', () => {
  it('exits non-zero with the reason, and leaves the folder or file untouched', async () => {
    const parent = folder('cli');
    const events = path.join(parent, 'events.jsonl');
    fs.writeFileSync(events, '');
    const notOurs = path.join(parent, 'photos.sqlite');
    await foreignDatabase(notOurs, 'CREATE TABLE photos (id INTEGER PRIMARY KEY, taken_at INTEGER)');
    const subfolder = path.join(parent, 'folder');
    fs.mkdirSync(subfolder);
    const text = path.join(parent, 'notes.txt');
    fs.writeFileSync(text, 'plain text');
    for (const [db, reason] of [[subfolder, /is a folder/], [notOurs, /without Swarmscope's tables/], [text, /is not a SQLite database/]] as const) {
      const before = snapshotOf(parent);
      const run = await runCliInProcess(['ingest', events, '--db', db]);
      assert.equal(run.code, 1, run.stderr);
      assert.equal(run.stdout, '');
      assert.ok(run.stderr.includes(db), run.stderr);
      assert.match(run.stderr, reason);
      assert.deepEqual(snapshotOf(parent), before);
    }
  });
});
