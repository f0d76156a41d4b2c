import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-kill-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Starts the flush loop, lets it flush at least once, kills it with SIGKILL at a random moment. */
async function runAndKill(file: string, killAfterMs: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../support/flushLoop.ts'), file, '8'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let lastAcknowledged = 0;
  let killed = false;
  const done = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text: string) => {
    for (const match of text.matchAll(/flushed (\d+)/g)) lastAcknowledged = Number(match[1]);
    if (!killed && lastAcknowledged >= 1) {
      killed = true;
      // Land the kill anywhere inside one of the next flushes (each takes tens of ms for 8 MB).
      setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    }
  });
  const timeout = setTimeout(() => child.kill('SIGKILL'), 60_000);
  await done;
  clearTimeout(timeout);
  return lastAcknowledged;
}

test('a flush killed at any point leaves a database that loads (the old one or the new one)', async () => {
  const file = path.join(dir, 'killed.db');
  const delays = [0, 3, 7, 13, 21, 34, 55, 89];
  for (const delay of delays) {
    const acknowledged = await runAndKill(file, delay);
    assert.ok(acknowledged >= 1, 'the child flushed at least once before the kill');
    const { store, notices } = await Store.open({ path: file, migrations: coreMigrations });
    assert.deepEqual(notices, [], `after a kill ${delay} ms into flushing, the file loads without being moved aside`);
    const generation = Number(store.db.exec("SELECT value FROM meta WHERE key = 'generation'")[0].values[0][0]);
    // Flushes are acknowledged after the rename: the file holds the last acknowledged generation or the one after.
    assert.ok(generation === acknowledged || generation === acknowledged + 1, `generation ${generation} vs acknowledged ${acknowledged}`);
    const quick = store.db.exec('PRAGMA quick_check')[0].values[0][0];
    assert.equal(quick, 'ok');
    await store.close();
    assert.deepEqual(fs.readdirSync(dir).filter((name) => name.includes('.tmp-')), [], 'interrupted temp files are cleaned up on open');
    assert.deepEqual(fs.readdirSync(dir).filter((name) => name.includes('.corrupt-')), []);
  }
});
