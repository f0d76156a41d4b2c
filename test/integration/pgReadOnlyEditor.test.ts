import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { finalizeEvent, generateSecretKey, getPublicKey, type Event } from 'nostr-tools/pure';
import { openPgStorage } from '../../src/core/store/postgres/pgStorage';
import { Engine } from '../../src/engine/engine';
import type { EngineNotification, EngineStartParams, LogLevel } from '../../src/protocol/engineProtocol';
import { runBuiltCli } from '../support/cliRun';
import { buildJobRequest } from '../support/dvmSimulator';
import { eventually } from '../support/eventually';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { createSelectOnlyRole } from '../support/pgViewerRole';
import { FINNEY_GENESIS, startReplayNode } from '../support/replayNode';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';

/*
 * A team lead gives the viewers a role that may only SELECT (issue 14). Their editor starts its engine with collect
 * on, as every editor does: on that role it must start no collector (each would fail on "permission denied" over and
 * over), say so once as a notice, still show what the team's collector stores, and refuse a pin naming why. The
 * built CLI's `collect --store` on that role must refuse at start, and a node on another chain than the store's must
 * leave the store's chain as it is. Run `node esbuild.mjs` first: the CLI runs from dist.
 */

// A dead loopback port keeps the chain collectors off the network.
const OFFLINE_CHAIN = 'ws://127.0.0.1:1';

let server: PostgresServer;
let relay: TestRelay;
let writerUrl: string;
let viewerUrl: string;
let writer: Engine;
before(async () => {
  server = await startPostgres();
  relay = await startRelay();
  writerUrl = await createDatabase(server);
  // The team's collector: it makes the schema, then collects the relay into the store.
  writer = await Engine.start(params(writerUrl), { notify: () => undefined, log: { log: () => undefined } });
  viewerUrl = await createSelectOnlyRole(writerUrl);
});
after(async () => {
  await writer?.dispose();
  await relay?.stop();
  await server?.stop();
});

function params(url: string): EngineStartParams {
  return { dbPath: undefined, store: { url }, settings: { relays: [relay.url], subtensorEndpoint: OFFLINE_CHAIN, trackedSubnets: [1] }, collect: true };
}

it('an editor on a SELECT-only role starts no collector, says so once, and shows what the team\'s collector stores', async () => {
  const notifications: EngineNotification[] = [];
  const logged: { level: LogLevel; message: string }[] = [];
  const viewer = await Engine.start(params(viewerUrl), {
    notify: (notification) => notifications.push(notification),
    log: { log: (level, message) => logged.push({ level, message }) },
  });
  try {
    const readOnly = /team store may only be read here .*role "viewer" lacks INSERT, UPDATE and DELETE on .*collecting nothing here/;
    // As an editor that does not collect: no relay collector, and the chain client idle until a view asks it.
    const notCollecting = [{ name: `subtensor ${OFFLINE_CHAIN}`, state: 'idle' }];
    assert.deepEqual(viewer.status().collectors, notCollecting);
    assert.equal(viewer.status().notices.filter((notice) => readOnly.test(notice)).length, 1, viewer.status().notices.join('\n'));

    // The team's collector stores a job; the viewer hears of it (LISTEN/NOTIFY) and reads it.
    const [customer, dvm] = [generateSecretKey(), generateSecretKey()];
    const request = buildJobRequest({ secretKey: customer, input: 'seen by the viewer' });
    const result: Event = finalizeEvent({
      kind: request.kind + 1000, created_at: Math.floor(Date.now() / 1000), content: 'answer',
      tags: [['e', request.id], ['p', request.pubkey]],
    }, dvm);
    await relay.inject(request);
    await relay.inject(result);
    const pubkey = getPublicKey(dvm);
    await eventually('nostr.changed naming the DVM', () => notifications.some((n) => n.topic === 'nostr.changed' && n.payload.dvms.includes(pubkey)));
    assert.equal((await viewer.call('nostr.dvm', { pubkey }))?.summary.pubkey, pubkey);

    // A pin is kept in the store: refused, naming why, and not shown as watched either.
    await assert.rejects(viewer.call('engine.pin', { domain: 'dvm', key: pubkey, label: 'watched', pinned: true }),
      /watching writes to the team store, which may only be read here .*role "viewer" lacks INSERT/);
    assert.deepEqual(await viewer.call('engine.pins', {}), []);

    // Settings change and maintenance passes come and go: still one notice, and no write failed.
    await viewer.call('engine.configure', { settings: { relays: [relay.url], subtensorEndpoint: OFFLINE_CHAIN, trackedSubnets: [1, 2] } });
    await viewer.maintain();
    assert.deepEqual(viewer.status().collectors, notCollecting);
    assert.equal((await viewer.call('engine.status', {})).notices.filter((notice) => readOnly.test(notice)).length, 1);
    assert.equal(logged.filter(({ message }) => readOnly.test(message)).length, 1);
    assert.deepEqual(logged.filter(({ level, message }) => level === 'error' || /permission denied/.test(message)), []);
  } finally {
    await viewer.dispose();
  }
});

it('`swarmscope collect --store` on a SELECT-only role refuses at start, naming the privilege the role lacks', async () => {
  const run = await runBuiltCli(['collect', '--store', viewerUrl, '--relay', relay.url, '--duration', '2', '--endpoint', OFFLINE_CHAIN, '--json'], { timeoutMs: 120_000 });
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /swarmscope collect: collecting into \S+ writes to the team store, which may only be read here .*role "viewer" lacks INSERT, UPDATE and DELETE on /);
  assert.doesNotMatch(run.stderr, /permission denied|collecting from/);
});

it('an editor on a SELECT-only role whose endpoint is on another chain records nothing and says so once', async () => {
  // The team's collector recorded another chain than the viewer's node is on.
  const admin = await openPgStorage(writerUrl, { listen: false });
  const recorded = `0x${'11'.repeat(32)}`;
  try {
    await admin.openBittensor().chain.connectedTo(recorded);
  } finally {
    await admin.close();
  }
  const node = await startReplayNode({ seed: 'metagraph' });
  const notifications: EngineNotification[] = [];
  const logged: { level: LogLevel; message: string }[] = [];
  const viewer = await Engine.start({ ...params(viewerUrl), settings: { relays: [relay.url], subtensorEndpoint: node.url, trackedSubnets: [1] } }, {
    notify: (notification) => notifications.push(notification),
    log: { log: (level, message) => logged.push({ level, message }) },
  });
  const connections = () => notifications.filter(({ topic, payload }) => topic === 'bittensor.chainStatus' && (payload as { state: string }).state === 'connected').length;
  try {
    // A view asks the node for its head: the client connects, and connects again after the node restarts.
    await viewer.call('bittensor.overview', { netuid: 1, readHead: true });
    await eventually('connected', () => connections() >= 1);
    await node.restart();
    await eventually('reconnected', () => connections() >= 2, 60_000);
    const notRecorded = logged.filter(({ message }) => message.includes('not recorded here'));
    assert.deepEqual(notRecorded.map(({ level }) => level), ['info'], JSON.stringify(logged));
    assert.match(notRecorded[0].message, new RegExp(`on chain ${FINNEY_GENESIS}, the team store's data on ${recorded}; the store may only be read here \\(role "viewer" lacks INSERT`));
    assert.deepEqual(logged.filter(({ level, message }) => level === 'warn' || level === 'error' || /permission denied/.test(message)), []);
  } finally {
    await viewer.dispose();
    await node.stop();
  }
  // The chain the team's collector recorded stays the store's.
  const check = await openPgStorage(writerUrl, { listen: false });
  try {
    assert.equal(await check.openBittensor().chain.current(), recorded);
  } finally {
    await check.close();
  }
});
