import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure';
import { collectCommand, type CollectSummary } from '../../src/cli/collectCommand';
import { parseArgs } from '../../src/cli/cliCommand';
import { buildJobRequest } from '../support/dvmSimulator';
import { startRelay, type TestRelay } from '../support/nostrRelay';

/** `swarmscope collect` against a loopback relay holding a few jobs. (The relay itself refuses forged events.) */

describe('swarmscope collect', () => {
  let relay: TestRelay;
  let dir: string;

  before(async () => {
    relay = await startRelay();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-collect-'));
  });
  after(async () => {
    await relay.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('collects for --duration, stores into --db, and prints accepted, rejected and per-relay counts as JSON', async () => {
    const customer = generateSecretKey();
    const requests = Array.from({ length: 4 }, (_, i) => buildJobRequest({ secretKey: customer, input: `job ${i}` }));
    for (const request of requests) await relay.inject(request);
    const feedback = finalizeEvent({ kind: 7000, created_at: Math.floor(Date.now() / 1000), tags: [['status', 'processing'], ['e', requests[0].id]], content: '' }, generateSecretKey());
    await relay.inject(feedback);

    const out: string[] = [];
    const err: string[] = [];
    const dbPath = path.join(dir, 'collect.db');
    const code = await collectCommand.run(
      // A dead loopback port keeps the engine's chain collector off the network.
      parseArgs(['--relay', relay.url, '--duration', '2', '--endpoint', 'ws://127.0.0.1:1', '--db', dbPath, '--json'], collectCommand),
      { out: (text) => out.push(text), err: (text) => err.push(text) },
    );
    assert.equal(code, 0, err.join('\n'));
    const summary = JSON.parse(out.join('\n')) as CollectSummary;
    assert.equal(summary.interrupted, false);
    assert.deepEqual(summary.accepted, { requests: 4, results: 0, feedback: 1, total: 5 });
    assert.equal(summary.relays.length, 1);
    assert.equal(summary.relays[0].url, relay.url);
    assert.equal(summary.relays[0].received, 5);
    assert.equal(summary.relays[0].state, 'connected');
    assert.equal(summary.relays[0].reached, true);
    assert.deepEqual(summary.rejected, {});
    assert.ok(fs.statSync(dbPath).size > 0, 'the database was flushed to --db');
  });

  it('exits 1 naming each relay and why when no relay was ever reached, after printing the summary', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await collectCommand.run(
      parseArgs(['--relay', 'ws://127.0.0.1:1', '--duration', '1', '--endpoint', 'ws://127.0.0.1:1', '--db', ':memory:', '--json'], collectCommand),
      { out: (text) => out.push(text), err: (text) => err.push(text) },
    );
    assert.equal(code, 1);
    const summary = JSON.parse(out.join('\n')) as CollectSummary;
    assert.equal(summary.relays[0].reached, false);
    assert.match(err.at(-1) ?? '', /^swarmscope collect: no relay was reached in [\d.]+ s \(ws:\/\/127\.0\.0\.1:1: connection refused \(connect ECONNREFUSED 127\.0\.0\.1:1\)\)$/);
  });

  it('refuses a relay that is not a WebSocket URL', async () => {
    await assert.rejects(collectCommand.run(parseArgs(['--relay', 'https://example.org', '--duration', '1'], collectCommand), { out: () => undefined, err: () => undefined }), /not a ws:\/\/ or wss:\/\/ URL/);
  });
});
