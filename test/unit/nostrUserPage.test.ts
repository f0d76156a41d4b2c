import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import { fixtureEvents, openCore } from '../fixtures/nostr/eventBuilders';
import { pageTraffic } from '../fixtures/nostr/pageTraffic';
import { groupPairs, NostrOracle, sats } from '../support/nostrOracle';

const isRequest = (event: NostrEvent) => event.kind >= 5000 && event.kind <= 5999 && ![5666, 5969, 5128].includes(event.kind);

/** Every user's page against their requests and the pairs of their jobs, computed from the events. */
async function checkEveryUser(events: readonly NostrEvent[]): Promise<number> {
  const oracle = new NostrOracle().add(events);
  const kit = await openCore();
  try {
    await kit.core.ingest(undefined, events);
    const users = [...new Set(events.filter(isRequest).map((event) => event.pubkey))];
    for (const user of users) {
      const page = kit.core.pages.user(user);
      assert.ok(page, user);
      const requests = [...oracle.jobs.values()].filter((job) => job.customer === user);
      assert.equal(page.requests, requests.length);
      const perKind = new Map<number, number>();
      for (const job of requests) perKind.set(job.kind, (perKind.get(job.kind) ?? 0) + 1);
      assert.deepEqual(new Map(page.kinds.map((row) => [row.kind, row.requests])), perKind);
      const newest = [...requests].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
      assert.deepEqual(page.jobs.map((job) => [job.requestId, job.kind, job.status]), newest.map((job) => [job.id, job.kind, oracle.jobStatus(job.id)]));
      const ids = new Set(requests.map((job) => job.id));
      const dvms = groupPairs(oracle.pairList().filter((pair) => ids.has(pair.requestId)), (pair) => pair.dvm);
      assert.deepEqual(new Map(page.dvms.map(({ pubkey, jobs, results, successes, errors, satsRequested, satsProven }) => [pubkey, { jobs, results, successes, errors, satsRequested, satsProven }])),
        new Map([...dvms].map(([dvm, pairs]) => [dvm, {
          jobs: pairs.length,
          results: pairs.reduce((sum, pair) => sum + pair.results, 0),
          successes: pairs.filter((pair) => pair.succeeded).length,
          errors: pairs.filter((pair) => pair.errored).length,
          satsRequested: sats(pairs.reduce((sum, pair) => sum + pair.requestedMsats, 0)),
          satsProven: sats(pairs.reduce((sum, pair) => sum + pair.provenMsats, 0)),
        }])), `DVMs used by ${user}`);
      assert.equal(page.jobsScanned, requests.length);
    }
    return users.length;
  } finally {
    await kit.close();
  }
}

describe('user page', () => {
  it('over the real fixture: every request author\'s jobs, statuses and DVMs equal the events\'', async () => {
    assert.ok(await checkEveryUser(fixtureEvents()) > 20);
  });

  it('over built traffic: jobs answered by several DVMs, cancelled and waiting ones', async () => {
    const traffic = pageTraffic();
    assert.equal(await checkEveryUser(traffic.events), traffic.customers.length);
    const kit = await openCore();
    try {
      await kit.core.ingest(undefined, traffic.events);
      const page = kit.core.pages.user(traffic.customers[2].pubkey);
      assert.deepEqual(page?.jobs.slice(0, 1).map((job) => job.status), ['cancelled']);
      assert.deepEqual(kit.core.pages.user(traffic.customers[0].pubkey)?.jobs.slice(0, 1).map((job) => [job.status, job.kindName]), [['waiting', 'text generation']]);
      assert.deepEqual(page?.dvms.map((dvm) => dvm.pubkey).sort(), [traffic.dvmA.pubkey, traffic.dvmB.pubkey].sort());
      assert.equal(kit.core.pages.user(traffic.dvmA.pubkey), null, 'a DVM that never asked for a job is no user');
    } finally {
      await kit.close();
    }
  });
});
