import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildJobRequest } from '../../src/core/jobs/jobRequest';
import { postedJobsMigrations } from '../../src/core/store/sqlite/jobs/postedJobsMigrations';
import { SecretKey } from '../../src/core/jobs/secretKey';
import { idBytes } from '../../src/core/nostr/hexIds';
import { NostrCore } from '../../src/core/store/sqlite/nostr/nostrCore';
import { nostrMigrations } from '../../src/core/store/sqlite/nostr/nostrMigrations';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';

/**
 * A posted job's stored request can be damaged (a hand-edited or half-restored database): My jobs still lists every
 * job, the damaged one with its input from the raw request while that is kept, and "Post Again with Changes…" is
 * told there is no stored copy (null) instead of getting an error or a broken event.
 */
test('a damaged stored request does not break My jobs: the job is listed, its input read from the raw request, its copy reported missing', async () => {
  const { store } = await Store.open({ path: undefined, migrations: [...coreMigrations, ...nostrMigrations, ...postedJobsMigrations] });
  const core = new NostrCore({ db: store.db, excludedKinds: () => [], countDropped: () => undefined, pinnedDvms: () => new Set() });
  try {
    const key = SecretKey.generate();
    const postedAt = Math.floor(Date.now() / 1000) - 300;
    const job = (input: string, at: number) => buildJobRequest({ kind: 5050, inputs: [{ data: input, type: 'text' }], relays: ['ws://127.0.0.1:9'] }, key, at);
    const sound = job('kept whole', postedAt);
    const notJson = job('stored copy cut short', postedAt + 1);
    const notAnEvent = job('stored copy is not an event', postedAt + 2);
    for (const request of [sound, notJson, notAnEvent]) {
      await core.ingest(undefined, [request]);
      core.postedJobs.record(request, request.created_at);
    }
    const damage = (id: string, text: string) => store.db.run('UPDATE nostr_posted_jobs SET request = ? WHERE request_id = ?', [text, idBytes(id)]);
    damage(notJson.id, JSON.stringify(notJson).slice(0, 40));
    damage(notAnEvent.id, JSON.stringify({ id: notAnEvent.id, tags: 'not a list' }));

    const listed = core.postedJobs.list(10);
    assert.deepEqual(listed.map((each) => [each.requestId, each.input?.data]), [
      [notAnEvent.id, 'stored copy is not an event'],
      [notJson.id, 'stored copy cut short'],
      [sound.id, 'kept whole'],
    ]);
    assert.equal(core.postedJobs.request(notJson.id), null);
    assert.equal(core.postedJobs.request(notAnEvent.id), null);
    assert.deepEqual(core.postedJobs.request(sound.id), sound);
  } finally {
    core.dispose();
    await store.close();
  }
});
