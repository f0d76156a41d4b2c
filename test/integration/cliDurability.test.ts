import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { fixtureEvents } from '../fixtures/nostr/eventBuilders';
import { runBuiltCli, type CliRun } from '../support/cliRun';
import { buildJobRequest } from '../support/dvmSimulator';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { makeReadOnly } from '../support/readOnlyFolder';
import { startReplayNode, type ReplayNode } from '../support/replayNode';

/**
 * `ingest`, `collect` and `snapshot` report what they stored only once the final flush has renamed the database
 * into place. When that flush fails (a full disk: a file-size limit; a read-only folder) the command exits non-zero
 * naming the database, prints no result, leaves no temp file, and the database on disk is the one from before.
 */

describe('the CLI reports only what is on disk', () => {
  let dir: string;
  let relay: TestRelay;
  let node: ReplayNode;
  let events: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-cli-durability-'));
    events = path.join(dir, 'events.json');
    fs.writeFileSync(events, JSON.stringify(fixtureEvents()));
    relay = await startRelay();
    node = await startReplayNode({ seed: 'metagraph' });
  });
  after(async () => {
    await relay.stop();
    await node.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A folder holding a database the CLI made; returns the path and its bytes as they were. */
  async function existingDatabase(name: string): Promise<{ folder: string; db: string; bytes: Buffer }> {
    const folder = path.join(dir, name);
    fs.mkdirSync(folder);
    const db = path.join(folder, 'swarmscope.db');
    const made = await runBuiltCli(['status', '--db', db]);
    assert.equal(made.code, 0, made.stderr);
    return { folder, db, bytes: fs.readFileSync(db) };
  }

  function assertNothingReported(run: CliRun, target: { folder: string; db: string; bytes: Buffer }): void {
    assert.notEqual(run.code, 0, 'the command failed');
    assert.equal(run.stdout, '', 'no result was printed for data that is not on disk');
    assert.match(run.stderr, /could not save the database/);
    assert.ok(run.stderr.includes(target.db), `the error names the database:\n${run.stderr}`);
    assert.deepEqual(fs.readdirSync(target.folder), ['swarmscope.db'], 'no temp file is left beside the database');
    assert.deepEqual(fs.readFileSync(target.db), target.bytes, 'the database from before is intact');
  }

  it('ingest: a full disk fails the final flush; without the limit the same import succeeds', async () => {
    const target = await existingDatabase('ingest-full');
    // Any file the CLI writes may not exceed half the database: the new database cannot be written whole.
    const full = await runBuiltCli(['ingest', events, '--db', target.db, '--json'], { maxFileBytes: Math.floor(target.bytes.length / 2) });
    assertNothingReported(full, target);
    const roomy = await runBuiltCli(['ingest', events, '--db', target.db, '--json']);
    assert.equal(roomy.code, 0, roomy.stderr);
    assert.equal((JSON.parse(roomy.stdout) as { accepted: number }).accepted, fixtureEvents().length, 'none of them had been stored by the failed run');
  });

  it('ingest: a read-only folder fails the final flush', async () => {
    const target = await existingDatabase('ingest-read-only');
    const undo = makeReadOnly(target.folder);
    try {
      const run = await runBuiltCli(['ingest', events, '--db', target.db]);
      assertNothingReported(run, target);
    } finally {
      undo();
    }
  });

  it('collect: a full disk fails the final flush', async () => {
    const customer = generateSecretKey();
    for (let i = 0; i < 3; i++) await relay.inject(buildJobRequest({ secretKey: customer, input: `durable ${i}` }));
    await relay.inject(finalizeEvent({ kind: 7000, created_at: Math.floor(Date.now() / 1000), tags: [['status', 'processing']], content: '' }, generateSecretKey()));
    const target = await existingDatabase('collect-full');
    const run = await runBuiltCli(
      // A dead loopback port keeps the engine's chain collector off the network.
      ['collect', '--relay', relay.url, '--duration', '1', '--endpoint', 'ws://127.0.0.1:1', '--db', target.db, '--json'],
      { maxFileBytes: Math.floor(target.bytes.length / 2) },
    );
    assertNothingReported(run, target);
  });

  it('snapshot: a full disk fails the final flush', async () => {
    const target = await existingDatabase('snapshot-full');
    const run = await runBuiltCli(['snapshot', '--netuid', '1', '--endpoint', node.url, '--db', target.db, '--json'], { maxFileBytes: Math.floor(target.bytes.length / 2) });
    assertNothingReported(run, target);
  });
});
