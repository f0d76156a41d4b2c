import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openCore } from '../fixtures/nostr/eventBuilders';
import { PAGE_NOW, pageTraffic } from '../fixtures/nostr/pageTraffic';
import { groupPairs, NostrOracle, pairFigures } from '../support/nostrOracle';

/**
 * The DVM summaries (DVMs tree, dashboard's top DVMs) read a DVM's median and p90 response time from the per-(DVM,
 * kind) response-time counts instead of walking its pairs: they must still equal the nearest-rank percentiles of the
 * response times of all its jobs, over every kind, computed here from the events.
 */
test('a DVM summary\'s median and p90 response time equal those of all its jobs, across kinds', async () => {
  const kit = await openCore();
  try {
    const traffic = pageTraffic();
    const oracle = new NostrOracle().add(traffic.events);
    await kit.core.ingest(undefined, traffic.events);
    const byDvm = groupPairs([...oracle.pairs.values()], (pair) => pair.dvm);
    const summaries = kit.core.dvms(100, 0, PAGE_NOW);
    assert.ok(summaries.length >= 3);
    for (const summary of summaries) {
      const expected = pairFigures(oracle, byDvm.get(summary.pubkey) ?? []);
      assert.deepEqual([summary.medianResponseSec, summary.p90ResponseSec], [expected.p50ResponseSec, expected.p90ResponseSec], summary.pubkey);
    }
    assert.ok(summaries.some((summary) => summary.medianResponseSec !== null && summary.kinds.length > 1), 'a DVM answering several kinds is among them');
  } finally {
    await kit.close();
  }
});
