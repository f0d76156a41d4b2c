import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import { bittensorMigrations } from '../../src/core/store/sqlite/bittensor/bittensorMigrations';
import type { BittensorStore } from '../../src/core/bittensor/bittensorStore';
import { chainGenesisMigrations } from '../../src/core/store/sqlite/bittensor/chainGenesisMigrations';
import type { MetagraphSnapshot } from '../../src/core/bittensor/model';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { pgBittensorMigrations } from '../../src/core/store/postgres/pgBittensorMigrations';
import { createPgBittensorStore } from '../../src/core/store/postgres/pgBittensorStore';
import { openPgPool } from '../../src/core/store/postgres/pgConnection';
import { runPgMigrations } from '../../src/core/store/postgres/pgMigrations';
import { createSqliteBittensorStore } from '../../src/core/store/sqlite/sqliteBittensorStore';
import { Store } from '../../src/core/store/sqlite/store';
import { deriveMetagraph, derivedKey } from '../support/derivedMetagraphs';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';
import { recordedMetagraphSnapshot } from '../support/replayNode';

/*
 * Two collectors (each its own pool, as two processes would have) read the same subnet from the same chain and save
 * the same snapshots into one PostgreSQL store at the same moments: every snapshot arrives twice, its new hotkeys,
 * axons and identities race to be inserted, and each save rolls the snapshot into the same daily rows. The store
 * must end as a store that saved each snapshot once (a sql.js store, through the same seam): nothing lost, nothing
 * counted twice.
 */

const GENESIS = '0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03';
const T0 = 1_800_000_000;
const STEPS = 6;

function buildHistory(): MetagraphSnapshot[] {
  const history = [deriveMetagraph(recordedMetagraphSnapshot(), { block: 6_000_000 })];
  for (let k = 1; k < STEPS; k++) {
    // New hotkeys, coldkeys, axons and an identity every step: each collector meets them at once.
    history.push(deriveMetagraph(history[k - 1], {
      block: 6_000_000 + 600 * k,
      register: [0, 1, 2].map((j) => ({
        uid: 1000 + 3 * k + j, hotkey: derivedKey(`Race${k}_${j}`), coldkey: derivedKey(`RaceCold${k}`), ip: `203.0.113.${10 * k + j}`, identity: `racer ${k}`,
      })),
      set: [{ uid: 0, fields: { stake: 1_000 + k, incentive: k / 65_535 } }],
    }));
  }
  return history;
}

const timesOf = (k: number) => ({ takenAt: T0 + 7_200 * k, blockTime: T0 + 7_200 * k });

async function sameReads(store: BittensorStore): Promise<unknown> {
  const newest = (await store.snapshots.find(1))!;
  return {
    headers: (await store.snapshots.list(1)).map((info) => ({ ...info, id: undefined })),
    newest: await store.snapshots.read(newest),
    overview: await store.history.overview(1, 6_010_000),
    churn: await store.history.churn(1, {}),
    stake: await store.history.traces(1, 'stake', { uids: [0, 1003, 1004] }, {}),
    groups: await store.history.groups(1, 'coldkey', {}, { limit: 10 }),
    series: await store.history.groupSeries(1, 'ip', { top: 4 }, {}),
    frames: await store.history.frames(1, 'miners', {}, { limit: 3 }),
  };
}

describe('two collectors saving the same snapshots into one PostgreSQL store', () => {
  let server: PostgresServer;
  let pools: pg.Pool[] = [];
  let sqlite: Store;

  before(async () => {
    server = await startPostgres();
    const url = await createDatabase(server);
    pools = [await openPgPool(url), await openPgPool(url)];
    await runPgMigrations(pools[0], pgBittensorMigrations, url);
    ({ store: sqlite } = await Store.open({ path: undefined, migrations: [...coreMigrations, ...bittensorMigrations, ...chainGenesisMigrations] }));
  });

  after(async () => {
    sqlite?.close();
    for (const pool of pools) await pool.end();
    await server?.stop();
  });

  it('ends as one collector would have left it: every snapshot once, its rows and roll-ups counted once', async () => {
    const history = buildHistory();
    const once = createSqliteBittensorStore(sqlite.db);
    await once.chain.connectedTo(GENESIS);
    for (const [k, snapshot] of history.entries()) await once.snapshots.save(snapshot, timesOf(k), GENESIS);

    const collectors = pools.map((pool) => createPgBittensorStore(pool));
    await Promise.all(collectors.map((collector) => collector.chain.connectedTo(GENESIS)));
    for (const [k, snapshot] of history.entries()) {
      await Promise.all(collectors.map((collector) => collector.snapshots.save(snapshot, timesOf(k), GENESIS)));
    }

    const shared = await sameReads(collectors[1]);
    assert.deepEqual(shared, await sameReads(once));
    const { headers } = shared as { headers: unknown[] };
    assert.equal(headers.length, STEPS);
    const keys = await pools[0].query<{ n: string }>('SELECT COUNT(*) AS n FROM bittensor_keys');
    const distinct = new Set(history.flatMap((snapshot) => snapshot.neurons.flatMap((neuron) => [neuron.hotkey, neuron.coldkey])));
    assert.equal(Number(keys.rows[0].n), distinct.size);
  });
});
