import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, it } from 'node:test';
import { finalizeEvent, generateSecretKey, getPublicKey, type Event } from 'nostr-tools/pure';
import { Engine } from '../../src/engine/engine';
import type { EngineNotification, EngineStartParams, LogLevel } from '../../src/protocol/engineProtocol';
import { runCliInProcess } from '../support/cliRun';
import { buildJobRequest } from '../support/dvmSimulator';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { createSelectOnlyRole, rollbacksOnceGone, tableRowCounts } from '../support/pgViewerRole';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';
import { relayEvents } from '../support/relayQuery';

/*
 * A viewer's editor on a team store its role may only SELECT (issue 14): every write the user can start there is
 * refused before anything is sent or written, naming what the role lacks, instead of "permission denied" later in a
 * log; its maintenance still raises and clears liveness alerts, kept in memory for the session, without logging a
 * failed save on every pass. Nobody collects the relay here: what it holds is not in the store.
 */

// A dead loopback port keeps the chain collectors off the network.
const OFFLINE_CHAIN = 'ws://127.0.0.1:1';
const CAUSE = String.raw` writes to the team store, which may only be read here \(.*role "viewer" lacks INSERT, UPDATE and DELETE on .*\): it needs a role that may write$`;

let server: PostgresServer;
let relay: TestRelay;
let writerUrl: string;
let viewerUrl: string;
let writer: Engine;
let folder: string;
before(async () => {
  server = await startPostgres();
  relay = await startRelay();
  writerUrl = await createDatabase(server);
  // The team's collector makes the schema (it collects nothing here: the test gives it what it stores).
  writer = await Engine.start({ ...params(writerUrl), collect: false }, { notify: () => undefined, log: { log: () => undefined } });
  viewerUrl = await createSelectOnlyRole(writerUrl);
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-readonly-'));
});
after(async () => {
  await writer?.dispose();
  await relay?.stop();
  await server?.stop();
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
});

function params(url: string): EngineStartParams {
  return { dbPath: undefined, store: { url }, settings: { relays: [relay.url], subtensorEndpoint: OFFLINE_CHAIN, trackedSubnets: [1] }, collect: true };
}

async function startViewer() {
  const notifications: EngineNotification[] = [];
  const logged: { level: LogLevel; message: string }[] = [];
  const viewer = await Engine.start(params(viewerUrl), {
    notify: (notification) => notifications.push(notification),
    log: { log: (level, message) => logged.push({ level, message }) },
  });
  const failures = () => logged.filter(({ level, message }) => level === 'error' || /permission denied/.test(message));
  return { viewer, notifications, logged, failures };
}

/** Rejects with the named refusal, its message naming what was asked and why this role may not. */
async function assertRefused(what: string, call: () => Promise<unknown>): Promise<void> {
  await assert.rejects(call(), (error: Error) => {
    assert.equal(error.name, 'StoreReadOnlyError', `${what}: ${error.message}`);
    assert.match(error.message, new RegExp(`^${what}${CAUSE}`));
    return true;
  });
}

it('every write a viewer can start is refused up front naming the cause, and nothing is sent or written', async () => {
  const customer = generateSecretKey();
  const job = buildJobRequest({ secretKey: customer, input: 'posted by a viewer' });
  const imported = buildJobRequest({ secretKey: customer, input: 'imported by a viewer' });
  const file = path.join(folder, 'events.jsonl');
  fs.writeFileSync(file, `${JSON.stringify(imported)}\n`);
  // On the relay, not in the store: the trace view would fetch it.
  const onRelayOnly = buildJobRequest({ secretKey: customer, input: 'only on the relay' });
  await relay.inject(onRelayOnly);

  const rollbacks = await rollbacksOnceGone(writerUrl);
  const { viewer, notifications, failures } = await startViewer();
  try {
    // A sanity check only: PostgreSQL would stop a SELECT-only role's write anyway. The rollback count below is what
    // shows no write was even attempted.
    const before = await tableRowCounts(writerUrl);
    await assertRefused('importing events', () => viewer.call('nostr.ingest', { events: [imported] }));
    await assertRefused('importing events', () => viewer.call('engine.importEvents', { file }));
    await assertRefused('posting a job', () => viewer.call('nostr.publish', { event: job, relays: [relay.url], watchSeconds: 60 }));
    await assertRefused('fetching an event not stored yet', () => viewer.call('nostr.traceGraph', { id: onRelayOnly.id, fetch: true, relays: [relay.url] }));
    await assertRefused('the history backfill', () => viewer.call('nostr.startHistoryBackfill', {}));
    await assertRefused('cancelling the history backfill', () => viewer.call('nostr.cancelHistoryBackfill', {}));
    await assertRefused('a snapshot', () => viewer.call('bittensor.snapshot', { netuid: 1 }));
    await assertRefused('a backfill of past blocks', () => viewer.call('bittensor.backfill', { netuid: 1, fromBlock: 100, toBlock: 110, step: 5 }));
    await assertRefused('updating the subnet list', () => viewer.call('bittensor.subnets', { refresh: true }));
    // What the views read still answers.
    assert.equal((await viewer.call('nostr.traceGraph', { id: onRelayOnly.id })).graph, null);
    assert.deepEqual(await viewer.call('nostr.postedJobs', {}), []);

    assert.deepEqual(await tableRowCounts(writerUrl), before);
    assert.deepEqual(await relayEvents(relay.url, { ids: [job.id] }), [], 'the job was sent to the relay');
    assert.deepEqual(notifications.filter((n) => n.topic === 'engine.importProgress'), []);
    assert.deepEqual(failures(), []);
  } finally {
    await viewer.dispose();
  }
  assert.equal(await rollbacksOnceGone(writerUrl), rollbacks, 'no write was attempted (each would have rolled back)');
});

it('`swarmscope ingest --store` on a SELECT-only role refuses naming the cause, and stores nothing', async () => {
  const file = path.join(folder, 'cli-events.jsonl');
  fs.writeFileSync(file, `${JSON.stringify(buildJobRequest({ secretKey: generateSecretKey(), input: 'from the CLI' }))}\n`);
  const rollbacks = await rollbacksOnceGone(writerUrl);
  const run = await runCliInProcess(['ingest', file, '--store', viewerUrl]);
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, new RegExp(`swarmscope ingest: importing events${CAUSE.slice(0, -1)}`, 'm'));
  assert.doesNotMatch(run.stderr, /permission denied/);
  assert.equal(await rollbacksOnceGone(writerUrl), rollbacks, 'no write was attempted (it would have rolled back)');
});

it('a viewer\'s maintenance raises and clears a watched DVM\'s silence alert in memory, saving nothing and logging no failure', async () => {
  const [customer, dvm] = [generateSecretKey(), generateSecretKey()];
  const pubkey = getPublicKey(dvm);
  const start = Math.floor(Date.now() / 1000) - 3600;
  const addressed = (at: number) => buildJobRequest({ secretKey: customer, dvmPubkey: pubkey, input: `asked at ${at}`, createdAt: at });
  const first = addressed(start);
  // The team's collector stores a job addressed to the DVM, and the team lead watches the DVM (pins are shared).
  await writer.call('nostr.ingest', { events: [first] });
  await writer.call('engine.pin', { domain: 'dvm', key: pubkey, label: 'watched', pinned: true });
  await writer.call('engine.flush', {});

  const rollbacks = await rollbacksOnceGone(writerUrl);
  const { viewer, notifications, logged, failures } = await startViewer();
  try {
    const alerts = () => notifications.filter((n) => n.topic === 'nostr.alert' && n.payload.pubkey === pubkey);
    await viewer.maintain(start + 700);
    assert.equal(alerts().length, 1, 'the silence is announced');
    await viewer.maintain(start + 800);
    assert.equal(alerts().length, 1, 'the silence is announced once');

    // It answers: the alert clears (here), so that its next silence is announced again.
    const answer: Event = finalizeEvent({ kind: first.kind + 1000, created_at: start + 900, content: 'answer', tags: [['e', first.id], ['p', first.pubkey]] }, dvm);
    await writer.call('nostr.ingest', { events: [answer, addressed(start + 1000)] });
    const stored = await tableRowCounts(writerUrl);
    await viewer.maintain(start + 950);
    await viewer.maintain(start + 1700);
    assert.equal(alerts().length, 2, 'the next silence is announced again');

    assert.equal(stored.alert_state, 0);
    assert.deepEqual(failures(), []);
    const keptHere = logged.filter(({ level, message }) => level === 'info' && /kept in this session only.*may only be read here \(.*role "viewer" lacks INSERT/.test(message));
    assert.equal(keptHere.length, 1, logged.map(({ message }) => message).join('\n'));
  } finally {
    await viewer.dispose();
  }
  assert.equal(await rollbacksOnceGone(writerUrl), rollbacks, 'the viewer attempted no save (it would have rolled back)');
});
