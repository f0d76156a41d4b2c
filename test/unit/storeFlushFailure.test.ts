import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';

/**
 * A flush that cannot write is never silent: it names the database, the store stays dirty, and closing the store
 * fails rather than dropping what was not saved. (Full disk and read-only folder, through the CLI:
 * test/integration/cliDurability.test.ts.)
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-flush-failure-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A store whose folder is then replaced by a plain file, so that no write into it can succeed, for root too. */
async function storeThatCannotSave(name: string): Promise<{ store: Store; file: string }> {
  const folder = path.join(dir, name);
  const file = path.join(folder, 'swarmscope.db');
  const { store } = await Store.open({ path: file, migrations: coreMigrations });
  fs.rmSync(folder, { recursive: true });
  fs.writeFileSync(folder, 'a file where the folder was');
  store.db.run("INSERT INTO pins (domain, key, label, created_at) VALUES ('dvm', 'abc', 'unsaved', 1)");
  store.markDirty();
  return { store, file };
}

test('a failed flush names the database and leaves the store dirty', async () => {
  const { store, file } = await storeThatCannotSave('named');
  await assert.rejects(store.flush(), (error: Error) => error.message.startsWith(`could not save the database ${file}:`));
  assert.equal(store.isDirty, true);
  assert.match(store.lastFlushError ?? '', /could not save the database .*swarmscope\.db/);
  await assert.rejects(store.close(), /could not save the database/);
});

test('closing while a failing flush is under way fails too, instead of dropping the unsaved rows', async () => {
  const { store, file } = await storeThatCannotSave('in-flight');
  const inFlight = store.flush();
  inFlight.catch(() => undefined);
  await assert.rejects(store.close(), (error: Error) => error.message.includes(file));
  await assert.rejects(inFlight);
});
