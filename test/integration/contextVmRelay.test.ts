import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { finalizeEvent, generateSecretKey, getPublicKey, type Event } from 'nostr-tools/pure';
import { Engine } from '../../src/engine/engine';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import { RelayPublisher } from '../support/dvmSimulator';
import { eventually } from '../support/eventually';
import { startRelay, type TestRelay } from '../support/nostrRelay';

/**
 * ContextVM servers through the whole engine (collector → ingest → store / live counts → engine protocol) against
 * a real relay on loopback: an announcement stored on the relay before the engine starts arrives by backfill; the
 * ephemeral requests and responses (25910), which the relay passes on and keeps none of, only live.
 */

const now = () => Math.floor(Date.now() / 1000);

describe('ContextVM servers from a loopback relay', () => {
  let relay: TestRelay;
  let publisher: RelayPublisher;
  let engine: Engine;
  const notifications: EngineNotification[] = [];
  const server = generateSecretKey();
  const client = generateSecretKey();
  const sign = (key: Uint8Array, kind: number, tags: string[][], content: string, createdAt = now()): Event => finalizeEvent({ kind, tags, content, created_at: createdAt }, key);
  /** Announced 60 days ago and not since: replaceable, so the relay still holds it, far past the first backfill's day. */
  const oldServer = generateSecretKey();

  before(async () => {
    relay = await startRelay();
    await relay.inject(sign(server, 11316, [['name', 'Loopback MCP']], JSON.stringify({ serverInfo: { name: 'loopback', version: '1' } })));
    await relay.inject(sign(server, 11317, [], JSON.stringify({ tools: [{ name: 'echo' }, { name: 'add' }] })));
    await relay.inject(sign(oldServer, 31316, [['d', 'archive'], ['name', 'Old DVMCP']], '{}', now() - 60 * 86_400));
    publisher = await RelayPublisher.connect(relay.url);
    engine = await Engine.start(
      { dbPath: undefined, settings: { relays: [relay.url], subtensorEndpoint: 'ws://127.0.0.1:1' }, collect: true },
      { notify: (notification) => notifications.push(notification), log: { log: () => undefined } },
    );
  });

  after(async () => {
    publisher?.close();
    await engine?.dispose();
    await relay?.stop();
  });

  it('lists the announced server with its tools and relay, and counts its live traffic, which the relay does not keep', async () => {
    const servers = await eventually('the announced server', async () => {
      const list = await engine.call('nostr.contextVmServers', {});
      return list.length === 2 && list[0].tools.length === 2 ? list : undefined;
    }).catch(async (error: Error) => {
      throw new Error(`${error.message}; listed: ${JSON.stringify((await engine.call('nostr.contextVmServers', {})).map((entry) => entry.name))}`);
    });
    assert.deepEqual(servers.map((entry) => entry.name), ['Loopback MCP', 'Old DVMCP'], 'newest first, the old announcement too');
    assert.deepEqual([servers[0].pubkey, servers[0].name, servers[0].tools, servers[0].relays], [getPublicKey(server), 'Loopback MCP', ['echo', 'add'], [relay.url]]);
    assert.deepEqual([servers[0].traffic.requests, servers[0].traffic.responses], [0, 0]);
    await eventually('the relay collector to go live', () => {
      const collector = engine.status().collectors.find((entry) => entry.name === relay.url);
      return collector?.state === 'connected' && !collector.detail?.includes('backfilling') ? true : undefined;
    });

    const requests = [1, 2].map((n) => sign(client, 25910, [['p', getPublicKey(server)]], JSON.stringify({ method: 'tools/call', params: { name: 'echo', arguments: { n } } })));
    const responses = [sign(server, 25910, [['e', requests[0].id], ['p', getPublicKey(client)]], JSON.stringify({ result: { content: [] } }))];
    notifications.length = 0;
    for (const event of [...requests, ...responses]) await publisher.publish(event);
    const counted = await eventually('the live traffic counted', async () => {
      const entry = (await engine.call('nostr.contextVmServers', {})).find((listed) => listed.pubkey === getPublicKey(server))!;
      return entry.traffic.requests === requests.length && entry.traffic.responses === responses.length ? entry : undefined;
    });
    assert.ok(counted.traffic.since <= requests[0].created_at, 'counting started before the traffic');
    assert.ok(counted.lastSeen >= responses[0].created_at);
    // Listed apart, never stored; the views hear of it through the usual change notification.
    assert.equal(await engine.call('nostr.event', { id: requests[0].id }), null);
    assert.deepEqual(await engine.call('nostr.dvms', {}), []);
    await eventually('a change notification naming the server', () => notifications.some((n) => n.topic === 'nostr.changed' && n.payload.dvms.includes(getPublicKey(server))) || undefined);
  });
});
