import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DvmPage } from '../../src/protocol/nostrPagesProtocol';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { fixtureEvents, openCore, type CoreKit } from '../fixtures/nostr/eventBuilders';
import { PAGE_NOW, pageTraffic } from '../fixtures/nostr/pageTraffic';
import { groupPairs, linkedRequest, NostrOracle, oracleSeries, pairFigures, tag, type OraclePair } from '../support/nostrOracle';

const RETENTION = { rawWindowHours: 48, historyDays: 90 };
const FIGURES = ['jobs', 'results', 'jobsWithResult', 'successes', 'errors', 'successRate', 'p50ResponseSec', 'p90ResponseSec',
  'p50FeedbackSec', 'p90FeedbackSec', 'satsRequested', 'satsEarned', 'satsProven'] as const;

async function withCore<T>(events: readonly NostrEvent[], body: (kit: CoreKit) => T | Promise<T>): Promise<T> {
  const kit = await openCore();
  try {
    await kit.core.ingest(undefined, events);
    return await body(kit);
  } finally {
    await kit.close();
  }
}

/** The page's per-kind figures, keyed by kind, only the fields the oracle computes. */
function pageKinds(page: DvmPage): Map<number, Record<string, unknown>> {
  return new Map(page.kinds.filter((row) => row.jobs > 0).map((row) => [row.kind, Object.fromEntries(FIGURES.map((field) => [field, row[field]]))]));
}

function oracleKinds(oracle: NostrOracle, pairs: readonly OraclePair[]): Map<number, Record<string, unknown>> {
  return new Map([...groupPairs(pairs, (pair) => pair.kind)].map(([kind, group]) => [kind, pairFigures(oracle, group)]));
}

describe('DVM page', () => {
  it('over the real fixture: every DVM\'s figures per kind equal the pairs computed from its events', async () => {
    const events = fixtureEvents();
    const oracle = new NostrOracle().add(events);
    const now = Math.max(...events.map((event) => event.created_at)) + 60;
    const dvms = [...new Set(events.filter((event) => event.kind === 7000 || (event.kind >= 6000 && event.kind <= 6999)).map((event) => event.pubkey))];
    assert.ok(dvms.length >= 10, 'the fixture has many DVMs');
    await withCore(events, (kit) => {
      let kindsCompared = 0;
      for (const dvm of dvms) {
        const page = kit.core.pages.dvm(dvm, { now, retention: RETENTION });
        assert.ok(page, `a page for ${dvm}`);
        const pairs = oracle.pairList().filter((pair) => pair.dvm === dvm);
        assert.deepEqual(pageKinds(page), oracleKinds(oracle, pairs), `kinds of ${dvm}`);
        kindsCompared += page.kinds.length;
        const own = events.filter((event) => event.pubkey === dvm);
        assert.equal(page.totals.jobs, pairs.length, 'all-time jobs: distinct requests it answered');
        assert.equal(page.totals.results, own.filter((event) => event.kind >= 6000 && event.kind <= 6999).length);
        assert.equal(page.totals.errors, pairs.filter((pair) => pair.errored).length);
        const linkedResults = own.filter((event) => event.kind !== 7000 && linkedRequest(event)).map((event) => event.created_at);
        assert.equal(page.liveness.lastResultAt, linkedResults.length > 0 ? Math.max(...linkedResults) : null, 'newest result on a job');
      }
      assert.ok(kindsCompared > dvms.length, 'DVMs with several kinds were compared');
    });
  });

  it('over built traffic: jobs, success, response times and sats per kind equal the events\'', async () => {
    const traffic = pageTraffic();
    const oracle = new NostrOracle().add(traffic.events);
    await withCore(traffic.events, (kit) => {
      for (const dvm of [traffic.dvmA, traffic.dvmB]) {
        const page = kit.core.pages.dvm(dvm.pubkey, { now: PAGE_NOW, retention: RETENTION });
        assert.ok(page);
        assert.deepEqual(pageKinds(page), oracleKinds(oracle, oracle.pairList().filter((pair) => pair.dvm === dvm.pubkey)));
      }
      const a = kit.core.pages.dvm(traffic.dvmA.pubkey, { now: PAGE_NOW, retention: RETENTION });
      const textGeneration = a?.kinds.find((row) => row.kind === 5050);
      // Not vacuous: every kind of figure is there to compare.
      assert.ok(textGeneration && textGeneration.errors > 0 && textGeneration.satsRequested > 0 && textGeneration.satsProven > 0 && textGeneration.satsEarned > 0);
      assert.ok(textGeneration.p90ResponseSec !== null && textGeneration.p50ResponseSec !== null && textGeneration.p90ResponseSec > textGeneration.p50ResponseSec);
      assert.equal(textGeneration.name, 'text generation');
      const b = kit.core.pages.dvm(traffic.dvmB.pubkey, { now: PAGE_NOW, retention: RETENTION });
      assert.deepEqual(b?.kinds.map((row) => row.kind).sort(), [5050, 5100]);
    });
  });

  it('the order events arrive in changes no per-kind figure (answers before requests, zaps before invoices)', async () => {
    const traffic = pageTraffic();
    const inOrder = await withCore(traffic.events, (kit) => kit.core.pages.dvm(traffic.dvmA.pubkey, { now: PAGE_NOW, retention: RETENTION }));
    const reversed = await withCore([...traffic.events].reverse(), (kit) => kit.core.pages.dvm(traffic.dvmA.pubkey, { now: PAGE_NOW, retention: RETENTION }));
    assert.ok(inOrder && reversed);
    assert.deepEqual(reversed.kinds, inOrder.kinds);
    assert.deepEqual(reversed.problems, inOrder.problems);
    assert.equal(reversed.kinds.find((row) => row.kind === -1), undefined, 'every answer found its request kind');
  });

  it('shows the NIP-89 card as data and liveness with the heartbeat and its NIP-40 expiration', async () => {
    const traffic = pageTraffic();
    await withCore(traffic.events, (kit) => {
      const page = kit.core.pages.dvm(traffic.dvmA.pubkey, { now: PAGE_NOW, retention: RETENTION });
      assert.ok(page);
      assert.equal(page.name, 'Echo <b>A</b>', 'the name is text, kept as sent');
      assert.deepEqual({ ...page.profile, updatedAt: undefined }, {
        name: 'Echo <b>A</b>', about: 'answers fast', picture: 'https://img.example/a.png', lud16: 'a@ln.example', encryptionSupported: true, cashuAccepted: false,
        nip90Params: { model: { required: false, values: ['small', 'large'] } },
        announcedKinds: [{ kind: 5050, name: 'text generation' }, { kind: 5100, name: 'image generation' }],
        relays: ['wss://relay.a.example', 'wss://relay.b.example', 'wss://relay.c.example'], hasProfile: true, updatedAt: undefined,
      });
      const own = traffic.events.filter((event) => event.pubkey === traffic.dvmA.pubkey);
      const newest = (filter: (event: NostrEvent) => boolean) => Math.max(...own.filter(filter).map((event) => event.created_at));
      assert.deepEqual(page.liveness, {
        status: 'up',
        lastSeen: traffic.heartbeatAt,
        lastResultAt: newest((event) => event.kind === 6050),
        lastFeedbackAt: newest((event) => event.kind === 7000),
        lastHeartbeatAt: traffic.heartbeatAt,
        heartbeatExpiresAt: traffic.heartbeatExpiresAt,
        heartbeatExpired: true,
        waiting: 2,
        waitingWindowSec: 86_400,
      });
      assert.equal(page.kinds.find((row) => row.kind === 5050)?.waiting, 2, 'two addressed to it and unanswered; the cancelled one is not waiting');
      const c = kit.core.pages.dvm(traffic.dvmC.pubkey, { now: PAGE_NOW, retention: RETENTION });
      assert.deepEqual([c?.name, c?.kinds, c?.totals.jobs, c?.profile.relays], ['Quiet C', [], 0, []], 'a DVM that only announces has a page');
      assert.equal(kit.core.pages.dvm(traffic.customers[0].pubkey, { now: PAGE_NOW, retention: RETENTION }), null, 'a customer is no DVM');
    });
  });

  it('counts events that carry a NIP-40 expiration already past', async () => {
    const traffic = pageTraffic();
    const expiring = traffic.events.filter((event) => event.kind === 6050 && event.pubkey === traffic.dvmA.pubkey && Number(tag(event, 'expiration')?.[1]) < PAGE_NOW);
    assert.ok(expiring.length > 20, 'most of A\'s results expired before now');
    await withCore(traffic.events, (kit) => {
      const page = kit.core.pages.dvm(traffic.dvmA.pubkey, { now: PAGE_NOW, retention: RETENTION });
      assert.equal(page?.totals.results, expiring.length);
      assert.equal(kit.core.metrics(PAGE_NOW).results, traffic.events.filter((event) => event.kind >= 6000 && event.kind <= 6999).length);
    });
  });

  it('lists problems: unpaid invoices, paid without result, the most frequent error messages', async () => {
    const traffic = pageTraffic();
    const oracle = new NostrOracle().add(traffic.events);
    const pairs = oracle.pairList().filter((pair) => pair.dvm === traffic.dvmA.pubkey);
    const unpaid = pairs.filter((pair) => pair.requestedMsats > 0 && pair.provenMsats === 0 && pair.results === 0);
    const paid = pairs.filter((pair) => pair.provenMsats > 0 && pair.results === 0);
    assert.ok(unpaid.length >= 2 && paid.length >= 2);
    const byNewest = (list: OraclePair[]) => [...list].sort((x, y) => y.firstAt - x.firstAt).map((pair) => pair.requestId);
    await withCore(traffic.events, (kit) => {
      const { problems } = kit.core.pages.dvm(traffic.dvmA.pubkey, { now: PAGE_NOW, retention: RETENTION })!;
      assert.equal(problems.unpaidInvoices.jobs, unpaid.length);
      assert.equal(problems.unpaidInvoices.sats, Math.floor(unpaid.reduce((sum, pair) => sum + pair.requestedMsats, 0) / 1000));
      assert.deepEqual(problems.unpaidInvoices.recent.map((job) => job.requestId), byNewest(unpaid));
      assert.equal(problems.paidWithoutResult.jobs, paid.length);
      assert.equal(problems.paidWithoutResult.sats, Math.floor(paid.reduce((sum, pair) => sum + pair.provenMsats, 0) / 1000));
      assert.deepEqual(problems.paidWithoutResult.recent.map((job) => job.requestId), byNewest(paid));
      const counts = new Map<string, number>();
      for (const message of traffic.errorMessages) counts.set(message, (counts.get(message) ?? 0) + 1);
      assert.deepEqual(new Map(problems.errorMessages.map((entry) => [entry.message, entry.count])), counts);
      assert.equal(problems.errorJobsScanned, traffic.errorMessages.length);
    });
  });

  it('draws its jobs over time from its rollups and lists its newest events', async () => {
    const traffic = pageTraffic();
    const oracle = new NostrOracle().add(traffic.events);
    await withCore(traffic.events, (kit) => {
      const page = kit.core.pages.dvm(traffic.dvmA.pubkey, { now: PAGE_NOW, retention: RETENTION, window: '7d', bucket: '6h' });
      assert.ok(page);
      const expected = oracleSeries(oracle, 21_600, page.jobsOverTime.covers.from, PAGE_NOW, { dvm: traffic.dvmA.pubkey });
      assert.deepEqual(page.jobsOverTime.points.map(({ encrypted, satsEarned, ...point }) => point), expected);
      assert.ok(expected.some((point) => point.jobs > 0 && point.errors > 0));
      // Its events on jobs, newest first (ties: later arrival first), at most 100.
      const answers = traffic.events.map((event, arrival) => ({ event, arrival }))
        .filter(({ event }) => event.pubkey === traffic.dvmA.pubkey && (event.kind === 7000 || event.kind === 6050) && linkedRequest(event))
        .sort((x, y) => y.event.created_at - x.event.created_at || y.arrival - x.arrival);
      assert.ok(answers.length > 100);
      assert.deepEqual(page.recent.map((event) => event.id), answers.slice(0, 100).map(({ event }) => event.id));
      const quote = page.recent.find((event) => event.status === 'payment-required');
      assert.ok(quote?.amountSats !== undefined && quote.amountSats > 0);
    });
  });

  it('after retention, per-kind figures are those of the jobs kept; all-time totals stay', async () => {
    const traffic = pageTraffic();
    const oracle = new NostrOracle().add(traffic.events);
    await withCore(traffic.events, (kit) => {
      const before = kit.core.pages.dvm(traffic.dvmA.pubkey, { now: PAGE_NOW, retention: RETENTION });
      const windows = { rawWindowHours: 24, historyDays: 2 };
      kit.core.maintain(PAGE_NOW, windows);
      const after = kit.core.pages.dvm(traffic.dvmA.pubkey, { now: PAGE_NOW, retention: windows });
      assert.ok(before && after);
      const kept = oracle.pairList().filter((pair) => pair.dvm === traffic.dvmA.pubkey && pair.firstAt >= PAGE_NOW - 2 * 86_400);
      assert.ok(kept.length > 0 && kept.length < before.totals.jobs);
      assert.deepEqual(pageKinds(after), oracleKinds(oracle, kept));
      assert.deepEqual(after.totals, before.totals);
      assert.equal(after.kindsFrom, Math.min(...kept.map((pair) => pair.firstAt)));
    });
  });
});
