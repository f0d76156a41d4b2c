import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { EngineConnection } from '../../src/engine/engineConnection';
import { openEngine } from '../../src/engine/ownedEngine';
import { Actor } from '../fixtures/nostr/eventBuilders';
import { runBuiltCli, type CliRun } from '../support/cliRun';
import { startOwnerProcess } from '../support/engineOwnerProcess';

/**
 * Issue 15, the CLI: two `swarmscope ingest` processes on one database at once. Before, each loaded the file,
 * stored its events and flushed its own copy over the file; both printed `accepted: N` and the last flush won. Now
 * one owns the database and the other sends its work to it (or, if the owner finished first, takes the database
 * over): whatever a run acknowledged is in the database. And `collect` on a database another process owns is refused,
 * naming the owner.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-cli-shared-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const EVENTS_PER_RUN = 500;

/** A file of `count` signed job requests, all different, by one customer. */
function eventsFile(name: string, count: number): string {
  const customer = new Actor();
  const lines = Array.from({ length: count }, (_, i) => JSON.stringify(customer.sign(5050, [['i', `${name} ${i}`, 'text']], '', 1_750_000_000 + i)));
  const file = path.join(dir, `${name}.jsonl`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function storedRequests(dbPath: string): Promise<number> {
  const opened = await openEngine({ dbPath, settings: {}, collect: false }, { notify: () => undefined, log: { log: () => undefined } });
  assert.equal(opened.role, 'owner', 'both CLI runs have ended and let go of the database');
  if (opened.role !== 'owner') return 0;
  try {
    return (await opened.engine.engine.call('nostr.metrics', {})).requests;
  } finally {
    await opened.engine.close();
  }
}

test('two ingest runs at once on one database: every event either run acknowledged is stored', { timeout: 180_000 }, async () => {
  const dbPath = path.join(dir, 'two-writers.db');
  const files = [eventsFile('first', EVENTS_PER_RUN), eventsFile('second', EVENTS_PER_RUN)];
  const runs: CliRun[] = await Promise.all(files.map((file) => runBuiltCli(['ingest', file, '--db', dbPath, '--json'], { timeoutMs: 150_000 })));
  let acknowledged = 0;
  for (const run of runs) {
    if (run.code === 0) {
      const result = JSON.parse(run.stdout) as { accepted: number; duplicates: number };
      assert.equal(result.accepted + result.duplicates, EVENTS_PER_RUN, `every event of the file was taken: ${run.stdout}`);
      acknowledged += EVENTS_PER_RUN;
    } else {
      // Refusing is allowed, but only with a message that names the owner.
      assert.match(run.stderr, /in use by .* \(pid \d+\)/, `a refused run names the owner: ${run.stderr}`);
    }
  }
  assert.ok(acknowledged > 0, `at least one run acknowledged its events: ${JSON.stringify(runs)}`);
  assert.equal(await storedRequests(dbPath), acknowledged, 'the database holds every acknowledged event, never fewer');
});

test('collect on a database another process owns is refused, naming the owner, and changes nothing', { timeout: 60_000 }, async () => {
  const dbPath = path.join(dir, 'owned.db');
  const owner = await startOwnerProcess(dbPath, 'VS Code window project');
  try {
    const run = await runBuiltCli(['collect', '--relay', 'ws://127.0.0.1:9', '--endpoint', 'ws://127.0.0.1:9', '--duration', '1', '--db', dbPath]);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, new RegExp(`in use by VS Code window project \\(pid ${owner.pid}\\)`));
    assert.equal(run.stdout, '');
  } finally {
    await owner.kill();
  }
});

test('read and write commands on a database another process owns go to that engine: never a second writer', { timeout: 60_000 }, async () => {
  const dbPath = path.join(dir, 'read.db');
  const file = eventsFile('read', 20);
  assert.equal((await runBuiltCli(['ingest', file, '--db', dbPath])).code, 0);
  const owner = await startOwnerProcess(dbPath, 'VS Code window project');
  try {
    const run = await runBuiltCli(['metrics', '--db', dbPath, '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { requests: number }).requests, 20);
    const ingest = await runBuiltCli(['ingest', eventsFile('more', 10), '--db', dbPath, '--json']);
    assert.equal(ingest.code, 0, ingest.stderr);
    assert.equal((JSON.parse(ingest.stdout) as { accepted: number }).accepted, 10);
    // The owner writes the file whenever it flushes: had the CLI written the file itself, this would undo it.
    const connection = await EngineConnection.connect(owner.owner, { onNotification: () => undefined, log: { log: () => undefined } });
    await connection.request('engine.flush', {});
    connection.close();
  } finally {
    await owner.kill();
  }
  assert.equal(await storedRequests(dbPath), 30);
});
