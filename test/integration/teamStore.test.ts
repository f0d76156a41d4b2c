import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { finalizeEvent, generateSecretKey, getPublicKey, type Event } from 'nostr-tools/pure';
import pg from 'pg';
import { Backoff } from '../../src/core/util/backoff';
import { bittensorModule } from '../../src/engine/bittensorModule';
import { Engine } from '../../src/engine/engine';
import { EngineClient } from '../../src/engine/engineClient';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import { runBuiltCli } from '../support/cliRun';
import { buildJobRequest } from '../support/dvmSimulator';
import { eventually } from '../support/eventually';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { openPgStorage } from '../../src/core/store/postgres/pgStorage';
import { engineWorkerPath } from '../support/paths';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';
import { recordedMetagraphSnapshot } from '../support/replayNode';

/*
 * A team on one PostgreSQL store (issue 14): `swarmscope collect --store` (the built CLI, as users run it) writes a
 * relay's real signed events into PostgreSQL; an editor's engine in its worker on the same URL hears them through
 * LISTEN/NOTIFY as `nostr.changed` and reads them; two collectors on one relay store each event once; and a URL with a
 * password or a server that is not there is refused with a message naming --store or the URL.
 * Run `node esbuild.mjs` first: the CLI runs from dist.
 */

// A dead loopback port keeps the engine's chain collector off the network.
const OFFLINE_CHAIN = 'ws://127.0.0.1:1';

/** A DVM's result for `request`, signed by the DVM: what makes the DVM known to the store. */
function buildResult(dvm: Uint8Array, request: Event, content: string): Event {
  return finalizeEvent({
    kind: request.kind + 1000, created_at: Math.floor(Date.now() / 1000), content,
    tags: [['e', request.id], ['p', request.pubkey], ['request', JSON.stringify(request)]],
  }, dvm);
}

describe('team store: collect --store and editors on one PostgreSQL', () => {
  let server: PostgresServer;
  let relay: TestRelay;
  before(async () => {
    server = await startPostgres();
    relay = await startRelay();
  });
  after(async () => {
    await relay?.stop();
    await server?.stop();
  });

  async function countEvents(url: string, ids: readonly string[]): Promise<Map<string, number>> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; n: string }>(
        "SELECT encode(id, 'hex') AS id, count(*) AS n FROM nostr_events WHERE encode(id, 'hex') = ANY($1) GROUP BY id", [ids],
      );
      return new Map(rows.map((row) => [row.id, Number(row.n)]));
    } finally {
      await client.end();
    }
  }

  function collect(url: string, seconds: number) {
    return runBuiltCli(['collect', '--store', url, '--relay', relay.url, '--duration', String(seconds), '--endpoint', OFFLINE_CHAIN, '--json'], { timeoutMs: 120_000 });
  }

  it('(a, b) a headless collector stores real signed events in PostgreSQL, and an editor engine on the same URL is told and reads them', async () => {
    const url = await createDatabase(server);
    const notifications: EngineNotification[] = [];
    // The editor: an engine in its worker, not collecting, on the same store.
    const editor = new EngineClient({
      workerPath: engineWorkerPath(),
      startParams: () => ({ dbPath: undefined, store: { url }, settings: { relays: [], subtensorEndpoint: OFFLINE_CHAIN, trackedSubnets: [] }, collect: false }),
      log: { log: () => undefined },
      onNotification: (notification) => notifications.push(notification),
      backoff: new Backoff(50, 200),
    });
    try {
      const status = await editor.start();
      assert.equal(status.store?.kind, 'postgres');
      assert.equal(status.store?.location, url);

      const customer = generateSecretKey();
      const dvm = generateSecretKey();
      const dvmPubkey = getPublicKey(dvm);
      const request = buildJobRequest({ secretKey: customer, input: 'team job' });
      const result = buildResult(dvm, request, 'answer');
      await relay.inject(request);
      await relay.inject(result);

      const run = await collect(url, 2);
      assert.equal(run.code, 0, run.stderr);
      const summary = JSON.parse(run.stdout) as { accepted: { requests: number; results: number } };
      assert.deepEqual([summary.accepted.requests, summary.accepted.results], [1, 1]);
      assert.deepEqual([...(await countEvents(url, [request.id, result.id])).values()], [1, 1]);

      // Told through LISTEN/NOTIFY (the editor collects nothing itself), then read from PostgreSQL.
      await eventually('nostr.changed naming the DVM', () => notifications.some((n) => n.topic === 'nostr.changed' && n.payload.dvms.includes(dvmPubkey)));
      const detail = await editor.request('nostr.dvm', { pubkey: dvmPubkey });
      assert.equal(detail?.summary.pubkey, dvmPubkey);
      const metrics = await editor.request('nostr.metrics', {});
      assert.ok(metrics.results >= 1, `results: ${metrics.results}`);

    } finally {
      await editor.stop();
    }
  });

  it("another process's snapshot reaches the engine as bittensor.changed, and a lost LISTEN connection reloads every view", async () => {
    const url = await createDatabase(server);
    const notifications: EngineNotification[] = [];
    // The Bittensor module alone: the chain side of the team store, in-process.
    const engine = await Engine.start(
      { dbPath: undefined, store: { url }, settings: { relays: [], subtensorEndpoint: OFFLINE_CHAIN, trackedSubnets: [] }, collect: false },
      { notify: (notification) => notifications.push(notification), log: { log: () => undefined }, modules: [bittensorModule] },
    );
    try {
      assert.deepEqual(engine.status().store, { kind: 'postgres', location: url });
      const other = await openPgStorage(url, { listen: false });
      try {
        await other.openBittensor().snapshots.save(recordedMetagraphSnapshot(), { takenAt: 1_800_000_000, blockTime: 1_800_000_000 }, null);
      } finally {
        await other.close();
      }
      await eventually('bittensor.changed for netuid 1', () => notifications.some((n) => n.topic === 'bittensor.changed' && n.payload.netuids.includes(1)));
      assert.equal((await engine.call('bittensor.metagraph', { netuid: 1 }))?.neurons.length, recordedMetagraphSnapshot().neurons.length);

      // Notices sent while the LISTEN connection is down are lost: once it is back, every view reloads.
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const cut = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'swarmscope/%' AND query LIKE 'LISTEN%'");
        assert.equal(cut.rowCount, 1, 'the engine listens on one connection');
      } finally {
        await admin.end();
      }
      await eventually('engine.reload for everything', () => notifications.some((n) => n.topic === 'engine.reload' && n.payload.domain === 'all'));
    } finally {
      await engine.dispose();
    }
  });

  it('(c) two collectors on the same relay and store: every event stored once', async () => {
    const url = await createDatabase(server);
    const customer = generateSecretKey();
    const requests = Array.from({ length: 6 }, (_, i) => buildJobRequest({ secretKey: customer, input: `shared job ${i}` }));
    for (const request of requests) await relay.inject(request);
    const [first, second] = await Promise.all([collect(url, 3), collect(url, 3)]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(second.code, 0, second.stderr);
    const counts = await countEvents(url, requests.map((request) => request.id));
    assert.deepEqual(requests.map((request) => counts.get(request.id)), requests.map(() => 1));
  });

  it('(d) a URL with a password is refused naming --store, and a dead port fails naming the URL', async () => {
    const withPassword = await runBuiltCli(['status', '--store', 'postgres://team:hunter2@127.0.0.1:5432/swarmscope']);
    assert.equal(withPassword.code, 2);
    assert.match(withPassword.stderr, /--store carries a password \(postgres:\/\/team@127\.0\.0\.1:5432\/swarmscope\)/);
    assert.doesNotMatch(withPassword.stderr + withPassword.stdout, /hunter2/);

    const both = await runBuiltCli(['status', '--store', 'postgres://team@127.0.0.1:5432/swarmscope', '--db', ':memory:']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--db and --store are both given/);

    const dead = await runBuiltCli(['collect', '--store', 'postgres://team@127.0.0.1:1/swarmscope', '--relay', relay.url, '--duration', '1', '--endpoint', OFFLINE_CHAIN]);
    assert.equal(dead.code, 1);
    assert.match(dead.stderr, /the team store postgres:\/\/team@127\.0\.0\.1:1\/swarmscope could not be opened: .*refused the connection/);
  });

  it('(d) an editor engine on a dead port fails to start with the URL and the cause, never the password', async () => {
    const client = new EngineClient({
      workerPath: engineWorkerPath(),
      startParams: () => ({ dbPath: undefined, store: { url: 'postgres://team@127.0.0.1:1/swarmscope', password: 'hunter2', origin: 'swarmscope.storage.url' }, settings: {}, collect: false }),
      log: { log: () => undefined },
      onNotification: () => undefined,
    });
    try {
      await assert.rejects(client.start(), (error: Error) => {
        assert.match(error.message, /the team store postgres:\/\/team@127\.0\.0\.1:1\/swarmscope could not be opened: .*refused the connection/);
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      });
    } finally {
      await client.stop();
    }
  });
});
