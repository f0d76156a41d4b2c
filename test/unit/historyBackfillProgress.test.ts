import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { jobFilters } from '../../src/core/collectors/relayFilters';
import { validateSettings } from '../../src/core/config/settings';
import { nostrMigrations } from '../../src/core/store/sqlite/nostr/nostrMigrations';
import { historyBackfillMigration, SUPERSEDED_ID } from '../../src/core/store/sqlite/nostr/historyBackfillMigration';
import { HistoryBackfillRepo } from '../../src/core/store/sqlite/nostr/sqliteHistoryBackfillRepo';
import { historyBackfillStatus, relayProgress } from '../../src/core/nostr/historyBackfillStatus';
import { PreparedStatements } from '../../src/core/store/sqlite/nostr/preparedStatements';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';

const DAY = 86_400;
const URL = 'wss://relay.example';

async function openRepo(): Promise<HistoryBackfillRepo> {
  const { store } = await Store.open({ path: undefined, migrations: [...coreMigrations, ...nostrMigrations] });
  return new HistoryBackfillRepo(new PreparedStatements(store.db));
}

describe('history backfill progress', () => {
  it('swarmscope.nostr.backfillDays defaults to 30, takes 0 (off), and names a bad value', () => {
    assert.equal(validateSettings({}).settings.backfillDays, 30);
    assert.equal(validateSettings({ backfillDays: 0 }).settings.backfillDays, 0);
    const { settings, errors } = validateSettings({ backfillDays: -3 });
    assert.equal(settings.backfillDays, 30);
    assert.deepEqual(errors.map((error) => error.key), ['swarmscope.nostr.backfillDays']);
    assert.match(errors[0].message, /-3 must be a number from 0 to 3650; using 30/);
  });

  it('a longer window continues below what a finished run covered; a shorter one only moves its start', async () => {
    const repo = await openRepo();
    const now = 100 * DAY;
    repo.plan(URL, now - 30 * DAY, now, 2001);
    repo.advance(URL, 1, now - 30 * DAY, 900, 800);
    repo.finish(URL, now);
    const longer = repo.plan(URL, now - 60 * DAY, now + 3600, 2001);
    assert.deepEqual([longer.since, longer.startedUntil, longer.until, longer.filterIndex, longer.doneAt], [now - 60 * DAY, now - 30 * DAY, now - 30 * DAY, 0, undefined]);
    assert.deepEqual([longer.events, longer.accepted], [900, 800], 'counts are kept across runs');
    const shorter = repo.plan(URL, now - 45 * DAY, now + 7200, 2001);
    assert.deepEqual([shorter.since, shorter.startedUntil, shorter.until], [now - 45 * DAY, now - 30 * DAY, now - 30 * DAY]);
  });

  it('a cancel is kept until cleared, and a budget stop is cleared on its own', async () => {
    const repo = await openRepo();
    repo.plan(URL, 0, DAY, 2001);
    repo.plan('wss://other.example', 0, DAY, 2001);
    repo.stop(URL, 'cancelled');
    repo.stop('wss://other.example', 'budget');
    repo.clearStop('budget');
    assert.deepEqual(repo.all().map((row) => [row.relay, row.stopped]), [['wss://other.example', undefined], [URL, 'cancelled']]);
    repo.clearStop();
    assert.equal(repo.get(URL)?.stopped, undefined);
  });

  it('progress is the share of the filters and of the current one\'s time reached, and the budget outranks a cancel', async () => {
    const repo = await openRepo();
    repo.plan(URL, 0, 100, 2001);
    // The first filter done, the second one half-way down from the run's top.
    repo.advance(URL, 1, 50, 10, 10);
    const row = relayProgress(repo.get(URL)!, { state: 'running', errors: 0 });
    assert.equal(row.fraction, 1.5 / jobFilters(2001).length);
    const status = historyBackfillStatus(30, 0, [{ ...row, fraction: 0.75 }, { ...row, relay: 'b', state: 'budget', fraction: 0.25 }, { ...row, relay: 'c', state: 'cancelled', fraction: 0.5 }]);
    assert.equal(status.state, 'running');
    assert.equal(status.fraction, 0.5);
    assert.equal(historyBackfillStatus(30, 0, [{ ...row, state: 'cancelled' }, { ...row, state: 'budget' }]).state, 'budget');
    assert.equal(historyBackfillStatus(0, 0, [row]).state, 'off');
  });

  it('a database that ran the step under its first id (nostr-003) opens, with its progress kept and the new id only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-history-migration-'));
    try {
      const file = path.join(dir, 'old.sqlite');
      // The list as it was before the renumbering: the same table, made under the old id, before the series totals.
      const old = nostrMigrations.filter((migration) => migration !== historyBackfillMigration);
      old.splice(old.findIndex((migration) => migration.id === 'nostr-004-series-totals'), 0, { ...historyBackfillMigration, id: SUPERSEDED_ID });
      const first = await Store.open({ path: file, migrations: [...coreMigrations, ...old] });
      new HistoryBackfillRepo(new PreparedStatements(first.store.db)).plan(URL, 0, DAY, 2001);
      first.store.markDirty();
      await first.store.close();

      const { store } = await Store.open({ path: file, migrations: [...coreMigrations, ...nostrMigrations] });
      assert.deepEqual(new HistoryBackfillRepo(new PreparedStatements(store.db)).get(URL)?.startedUntil, DAY, 'the progress stored under the old id is kept');
      const ids = store.db.exec('SELECT id FROM schema_migrations')[0].values.flat();
      assert.ok(ids.includes(historyBackfillMigration.id) && !ids.includes(SUPERSEDED_ID), `steps recorded: ${ids.join(', ')}`);
      await store.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
