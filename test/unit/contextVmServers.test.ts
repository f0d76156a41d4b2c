import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_LIVENESS } from '../../src/core/nostr/liveness';
import { livenessOf } from '../../src/core/store/sqlite/nostr/sqliteLiveness';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { serverRowId, toolRowId } from '../../src/views/contextVmTreeIds';
import { contextVmTraffic, CONTEXTVM_T } from '../fixtures/nostr/contextVmTraffic';
import { Actor, DEFAULT_EXCLUDED, fixtureEvents, openCore } from '../fixtures/nostr/eventBuilders';

/**
 * Issue 12, "the ecosystem as it is in late 2026": ContextVM (CEP-6, kinds 11316–11320) and DVMCP (31316–31319)
 * servers are listed apart from DVMs with name, tools, relays and last seen; their ephemeral traffic (25910 / 26910)
 * is counted live and never stored. Figures are checked against counts made here from the events themselves.
 */

const T = CONTEXTVM_T;
const RELAY_A = 'wss://relay-a.example';
const RELAY_B = 'wss://relay-b.example';

const json = (value: unknown) => JSON.stringify(value);

describe('ContextVM / DVMCP servers', () => {
  it('lists each server with name, tools, relays and last seen, and counts its live traffic once per message', async () => {
    const kit = await openCore();
    try {
      await kit.core.ready();
      const t = contextVmTraffic();
      kit.core.ingestSync(RELAY_A, t.announcements);
      kit.core.ingestSync(RELAY_B, [t.announcements[0], t.staleTools]); // the same announcement from a second relay
      kit.core.ingestSync(RELAY_A, t.messages);
      const outcome = kit.core.ingestSync(RELAY_B, t.messages.slice(0, 4)); // copies from another relay: counted once
      assert.equal(Object.keys(outcome.rejected).length, 0, 'nothing rejected');

      const now = T + 1_000;
      const servers = kit.core.contextVmServers(now);
      const expectedCounts = (server: string) => ({
        requests: t.messages.filter((e) => e.kind === 25910 && !e.tags.some((tag) => tag[0] === 'e') && e.tags.find((tag) => tag[0] === 'p')?.[1] === server).length,
        responses: t.messages.filter((e) => e.pubkey === server && (e.kind === 26910 || e.tags.some((tag) => tag[0] === 'e'))).length,
      });
      const newest = (server: string) => Math.max(...[...t.announcements, ...t.messages]
        .filter((e) => e.pubkey === server || e.tags.some((tag) => tag[0] === 'p' && tag[1] === server) && !e.tags.some((tag) => tag[0] === 'e'))
        .map((e) => e.created_at));

      assert.deepEqual(servers.map((s) => [s.pubkey, s.serverId]), [[t.provider.pubkey, 'weather'], [t.cvm.pubkey, '']].sort((a, b) => newest(b[0]) - newest(a[0])));
      const cvm = servers.find((s) => s.pubkey === t.cvm.pubkey);
      assert.ok(cvm);
      assert.deepEqual(
        { protocol: cvm.protocol, name: cvm.name, about: cvm.about, website: cvm.website, enc: cvm.supportsEncryption, tools: cvm.tools, prompts: cvm.prompts, relays: cvm.relays, announcedAt: cvm.announcedAt },
        { protocol: 'contextvm', name: 'Search <b>Server</b>', about: 'finds things', website: 'https://example.com', enc: true, tools: ['search', 'fetch_page'], prompts: 1, relays: [RELAY_A, RELAY_B], announcedAt: T },
      );
      assert.equal(cvm.lastSeen, newest(t.cvm.pubkey));
      assert.deepEqual(cvm.traffic, { ...expectedCounts(t.cvm.pubkey), since: cvm.traffic.since });
      assert.deepEqual([cvm.traffic.requests, cvm.traffic.responses], [3, 2], 'the fixture itself: 3 requests, 2 answers');

      const weather = servers.find((s) => s.pubkey === t.provider.pubkey);
      assert.ok(weather);
      assert.deepEqual(
        { protocol: weather.protocol, name: weather.name, enc: weather.supportsEncryption, tools: weather.tools, relays: weather.relays },
        { protocol: 'dvmcp', name: 'Weather DVMCP', enc: true, tools: ['get_weather', 'get_forecast'], relays: [RELAY_A] },
      );
      assert.deepEqual(weather.traffic, { ...expectedCounts(t.provider.pubkey), since: weather.traffic.since });
      assert.equal(weather.lastSeen, newest(t.provider.pubkey));

      // Ephemeral: none of the messages is stored; announcements are.
      for (const message of t.messages) assert.equal(kit.core.event(message.id), null, `message ${message.kind} not stored`);
      assert.equal(kit.core.event(t.announcements[0].id)?.id, t.announcements[0].id);
      // Listed apart: a ContextVM server is no DVM.
      assert.deepEqual(kit.core.dvms(100, 0, now).map((dvm) => dvm.pubkey), []);
    } finally {
      await kit.close();
    }
  });

  it('keeps the servers across a reopen of the engine core (stored), but not the live counts (ephemeral)', async () => {
    const kit = await openCore();
    try {
      await kit.core.ready();
      const t = contextVmTraffic();
      kit.core.ingestSync(RELAY_A, [...t.announcements, ...t.messages]);
      const { NostrCore } = await import('../../src/core/store/sqlite/nostr/nostrCore');
      const reopened = new NostrCore({ db: kit.store.db, excludedKinds: () => DEFAULT_EXCLUDED, countDropped: () => undefined, pinnedDvms: () => new Set() });
      const servers = reopened.contextVmServers(T + 1_000);
      assert.deepEqual(servers.map((s) => s.name).sort(), ['Search <b>Server</b>', 'Weather DVMCP']);
      assert.ok(servers.every((s) => s.traffic.requests === 0 && s.traffic.responses === 0), 'live only: counts start again');
      assert.deepEqual(servers.find((s) => s.pubkey === t.cvm.pubkey)?.lastSeen, Math.max(...t.announcements.filter((e) => e.pubkey === t.cvm.pubkey).map((e) => e.created_at)));
    } finally {
      await kit.close();
    }
  });

  it('gives every row of a hostile provider its own tree id: a tool named twice, a server id holding the separator', async () => {
    const kit = await openCore();
    try {
      await kit.core.ready();
      const provider = new Actor();
      kit.core.ingestSync(RELAY_A, [
        provider.sign(31316, [['d', 'x']], json({ serverInfo: { name: 'x' } }), T),
        // Without encoding, this server's row id was the id of server "x"'s tool "y".
        provider.sign(31316, [['d', 'x:tool:y']], json({ serverInfo: { name: 'x:tool:y' } }), T + 1),
        provider.sign(31317, [['s', 'x']], json({ tools: [{ name: 'y' }, { name: 'y' }, { name: 'z' }] }), T + 2),
        provider.sign(31317, [['s', 'w'], ['cap', 'a'], ['cap', 'a']], 'not json', T + 3),
      ]);
      const servers = kit.core.contextVmServers(T + 1_000);
      assert.deepEqual(servers.map((s) => [s.serverId, s.tools]).sort(), [['w', ['a']], ['x', ['y', 'z']], ['x:tool:y', []]]);
      // The rows the DVMs tree draws for these servers (dvmTreeProvider.ts: a server, then one row per tool).
      const ids = servers.flatMap((server) => [serverRowId(server), ...server.tools.map((tool) => toolRowId(server, tool))]);
      assert.equal(new Set(ids).size, ids.length, `ids repeat: ${ids.join(' ')}`);
    } finally {
      await kit.close();
    }
  });
});

describe('late-2026 traffic in the NIP-90 metrics', () => {
  it('counts events carrying a NIP-40 expiration tag, already expired or not, like any other', async () => {
    const kit = await openCore();
    try {
      const events = fixtureEvents();
      const expiring = events.filter((e) => e.tags.some((tag) => tag[0] === 'expiration'));
      assert.ok(expiring.length >= 5, 'the real fixtures hold expiring events');
      await kit.core.ingest(undefined, events);
      for (const event of expiring) assert.equal(kit.core.event(event.id)?.id, event.id, `expiring ${event.kind} stored`);
      const counted = (test: (e: NostrEvent) => boolean) => events.filter((e) => test(e) && !DEFAULT_EXCLUDED.includes(e.kind)).length;
      const metrics = kit.core.metrics(Math.max(...events.map((e) => e.created_at)) + 1);
      assert.deepEqual([metrics.requests, metrics.results, metrics.feedback], [
        counted((e) => e.kind >= 5000 && e.kind <= 5999), counted((e) => e.kind >= 6000 && e.kind <= 6999), counted((e) => e.kind === 7000),
      ]);
    } finally {
      await kit.close();
    }
  });

  it('a heartbeat (11998, with its NIP-40 expiration as nostrdvm sends it) makes a DVM up', async () => {
    const kit = await openCore();
    try {
      const customer = new Actor();
      const dvm = new Actor();
      const job = customer.sign(5050, [['p', dvm.pubkey]], '', T - 7_200);
      await kit.core.ingest(undefined, [job, dvm.sign(6050, [['e', job.id]], 'ok', T - 7_000)]);
      assert.equal(livenessOf(kit.sql, dvm.pubkey, T, DEFAULT_LIVENESS).status, 'unknown', 'its last answer is two hours old');
      await kit.core.ingest(undefined, [dvm.sign(11998, [['expiration', String(T + 300)]], '', T - 10)]);
      assert.deepEqual(livenessOf(kit.sql, dvm.pubkey, T, DEFAULT_LIVENESS), { status: 'up', lastSeen: T - 10 });
    } finally {
      await kit.close();
    }
  });
});
