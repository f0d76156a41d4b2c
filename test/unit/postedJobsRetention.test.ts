import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildJobRequest } from '../../src/core/jobs/jobRequest';
import { postedJobsMigrations } from '../../src/core/store/sqlite/jobs/postedJobsMigrations';
import { SecretKey } from '../../src/core/jobs/secretKey';
import { NostrCore } from '../../src/core/store/sqlite/nostr/nostrCore';
import { nostrMigrations } from '../../src/core/store/sqlite/nostr/nostrMigrations';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';

/**
 * A job you posted outlives its raw copy: the Nostr retention drops raw events after settings.rawWindowHours (48 h),
 * but My jobs still shows the job's input and "Post Again with Changes…" still gets the request as it was signed.
 */
test('after the raw window a posted job still lists its input, and its signed request is still there to post again', async () => {
  const { store } = await Store.open({ path: undefined, migrations: [...coreMigrations, ...nostrMigrations, ...postedJobsMigrations] });
  const core = new NostrCore({ db: store.db, excludedKinds: () => [], countDropped: () => undefined, pinnedDvms: () => new Set() });
  try {
    const posted = core.postedJobs;
    const postedAt = 1_750_000_000;
    const request = buildJobRequest({ kind: 5050, inputs: [{ data: 'a question from last week', type: 'text' }], relays: ['ws://127.0.0.1:9'] }, SecretKey.generate(), postedAt);
    await core.ingest(undefined, [request]);
    posted.record(request, postedAt);
    const report = core.maintain(postedAt + 3 * 86_400, { rawWindowHours: 48, historyDays: 90 });
    assert.equal(report.rawEvents, 1, 'the raw request is gone');
    assert.equal(core.event(request.id), null);
    const [job] = posted.list(10);
    assert.equal(job.requestId, request.id);
    assert.deepEqual(job.input, { data: 'a question from last week', type: 'text' });
    assert.deepEqual(posted.request(request.id), request);
    assert.equal(posted.request('ab'.repeat(32)), null, 'a job not posted here');
  } finally {
    core.dispose();
    await store.close();
  }
});
