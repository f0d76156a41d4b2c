import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { EngineClient } from '../../src/engine/engineClient';
import { engineWorkerPath } from '../support/paths';

/**
 * The extension's engine opens its database through the same Store.open as the CLI: a path that is not a Swarmscope
 * database is refused, the start fails with the reason (which the host logs), and the file stays as it was.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-engine-refusal-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the engine worker refuses a file that is not a Swarmscope database and says why', async () => {
  const dbPath = path.join(dir, 'report.txt');
  fs.writeFileSync(dbPath, 'quarterly figures, not a database');
  const logs: string[] = [];
  const client = new EngineClient({
    workerPath: engineWorkerPath(),
    // Loopback-only settings: no relay, a chain endpoint on a closed local port.
    startParams: () => ({ dbPath, settings: { relays: [], subtensorEndpoint: 'ws://127.0.0.1:9', trackedSubnets: [] }, collect: false }),
    log: { log: (level, message) => logs.push(`${level}: ${message}`) },
    onNotification: () => undefined,
  });
  try {
    await assert.rejects(client.start(), (error: Error) => {
      assert.ok(error.message.includes(dbPath), error.message);
      assert.match(error.message, /is not a SQLite database.*left this one untouched/);
      return true;
    });
    assert.ok(logs.some((line) => line.startsWith('error:') && line.includes('is not a SQLite database')), logs.join('\n'));
  } finally {
    await client.stop();
  }
  assert.deepEqual(fs.readdirSync(dir), ['report.txt'], 'nothing was created beside it');
  assert.equal(fs.readFileSync(dbPath, 'utf8'), 'quarterly figures, not a database');
});
