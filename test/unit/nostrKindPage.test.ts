import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KindPage } from '../../src/protocol/nostrPagesProtocol';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { fixtureEvents, openCore, type CoreKit } from '../fixtures/nostr/eventBuilders';
import { PAGE_NOW, pageTraffic, type PageTraffic } from '../fixtures/nostr/pageTraffic';
import { groupPairs, NostrOracle, oracleSeries, pairFigures } from '../support/nostrOracle';

const RETENTION = { rawWindowHours: 48, historyDays: 90 };
const FIGURES = ['jobs', 'results', 'jobsWithResult', 'successes', 'errors', 'successRate', 'p50ResponseSec', 'p90ResponseSec',
  'p50FeedbackSec', 'p90FeedbackSec', 'satsRequested', 'satsEarned', 'satsProven'] as const;
const isRequest = (event: NostrEvent) => event.kind >= 5000 && event.kind <= 5999 && ![5666, 5969, 5128].includes(event.kind);

function pageDvms(page: KindPage): Map<string, Record<string, unknown>> {
  return new Map(page.dvms.filter((row) => row.jobs > 0).map((row) => [row.pubkey, Object.fromEntries(FIGURES.map((field) => [field, row[field]]))]));
}

/** Each kind's DVMs with their figures of that kind, and the kind's all-time counts, from the events. */
function expectations(events: readonly NostrEvent[]) {
  const oracle = new NostrOracle().add(events);
  const byKind = groupPairs(oracle.pairList(), (pair) => pair.kind);
  const dvmsOf = (kind: number) => new Map([...groupPairs(byKind.get(kind) ?? [], (pair) => pair.dvm)].map(([dvm, pairs]) => [dvm, pairFigures(oracle, pairs)]));
  const requests = events.filter(isRequest);
  const counts = (kind: number) => ({
    requests: requests.filter((event) => event.kind === kind).length,
    results: oracle.kindResults.get(kind) ?? 0,
    users: new Set(requests.filter((event) => event.kind === kind).map((event) => event.pubkey)).size,
  });
  // Competition counts every DVM that answered the kind, also with answers that name no request (DESIGN.md "competitive kind").
  const answeringDvms = (kind: number) => new Set([
    ...oracle.marks.filter((mark) => (mark.field === 'results' || mark.field === 'feedback') && mark.kind === kind).map((mark) => mark.dvm),
    ...(byKind.get(kind) ?? []).map((pair) => pair.dvm),
  ]).size;
  return { oracle, byKind, dvmsOf, counts, answeringDvms };
}

describe('kind page over the real fixture', () => {
  const events = fixtureEvents();
  const now = Math.max(...events.map((event) => event.created_at)) + 60;
  const expected = expectations(events);
  let kit: CoreKit;
  before(async () => {
    kit = await openCore();
    await kit.core.ingest(undefined, events);
  });
  after(() => kit.close());

  it('every kind: requests, results, users and each DVM\'s jobs, success, response times and sats equal the events\'', () => {
    const kinds = [...new Set([...events.filter(isRequest).map((event) => event.kind), ...[...expected.byKind.keys()].filter((kind) => kind >= 0)])];
    assert.ok(kinds.length > 20);
    for (const kind of kinds) {
      const page = kit.core.pages.kind(kind, { now, retention: RETENTION });
      assert.ok(page, `kind ${kind}`);
      assert.deepEqual({ requests: page.requests, results: page.results, users: page.users }, expected.counts(kind), `counts of ${kind}`);
      assert.deepEqual(pageDvms(page), expected.dvmsOf(kind), `DVMs of ${kind}`);
      assert.equal(page.competition.dvms, expected.answeringDvms(kind), `competition of ${kind}`);
    }
  });

  it('a result kind opens its request kind; a kind never seen has no page', () => {
    const page = kit.core.pages.kind(6300, { now, retention: RETENTION });
    assert.deepEqual([page?.kind, page?.askedKind, page?.name, page?.nameSource], [5300, 6300, 'content discovery', 'registry']);
    assert.equal(kit.core.pages.kind(5987, { now, retention: RETENTION }), null);
  });
});

describe('kind page over built traffic', () => {
  let traffic: PageTraffic;
  let kit: CoreKit;
  before(async () => {
    traffic = pageTraffic();
    kit = await openCore();
    await kit.core.ingest(undefined, traffic.events);
  });
  after(() => kit.close());

  it('lists the DVMs serving it with their figures of this kind, then those that only announce it', () => {
    const expected = expectations(traffic.events);
    const page = kit.core.pages.kind(5050, { now: PAGE_NOW, retention: RETENTION });
    assert.ok(page);
    assert.deepEqual(pageDvms(page), expected.dvmsOf(5050));
    assert.deepEqual(page.dvms.map((row) => [row.pubkey, row.announced]), [[traffic.dvmA.pubkey, true], [traffic.dvmB.pubkey, false], [traffic.dvmC.pubkey, true]],
      'busiest first; C announces 5050 and never answered');
    assert.deepEqual([page.dvms[2].jobs, page.dvms[2].successRate, page.dvms[2].name], [0, null, 'Quiet C']);
    assert.deepEqual(page.announcedNames, ['Echo <b>A</b>', 'Quiet C']);
    assert.deepEqual({ requests: page.requests, results: page.results, users: page.users }, expected.counts(5050));
    assert.deepEqual(page.competition, { dvms: 2, rank: 1, of: 2, mostCompetitiveKind: 5050 });
    assert.equal(kit.core.pages.kind(5100, { now: PAGE_NOW, retention: RETENTION })?.competition.rank, 2);
  });

  it('draws requests, results and users over time, and lists its newest jobs with their status', () => {
    const oracle = new NostrOracle().add(traffic.events);
    const page = kit.core.pages.kind(6100, { now: PAGE_NOW, retention: RETENTION, window: '7d', bucket: '1h' });
    assert.ok(page);
    const expected = oracleSeries(oracle, 3600, page.overTime.covers.from, PAGE_NOW, { kind: 5100 });
    assert.deepEqual(page.overTime.points.map(({ encrypted, satsEarned, ...point }) => point), expected);
    assert.equal(page.overTime.points.reduce((sum, point) => sum + point.requests, 0), 12);
    const jobs = traffic.events.filter((event) => event.kind === 5100).sort((a, b) => b.created_at - a.created_at);
    assert.deepEqual(page.recentJobs.map((job) => job.requestId), jobs.map((event) => event.id));
    assert.deepEqual(page.recentJobs.map((job) => job.status), jobs.map((_, i) => ((11 - i) % 6 === 5 ? 'error' : 'result-delivered')));
    assert.ok(page.recentJobs.every((job) => job.dvm === traffic.dvmB.pubkey && job.dvmCount === 1));
  });
});
