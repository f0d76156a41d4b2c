import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bittensorMigrations } from '../../src/core/store/sqlite/bittensor/bittensorMigrations';
import { chainGenesisMigrations } from '../../src/core/store/sqlite/bittensor/chainGenesisMigrations';
import type { MetagraphSnapshot } from '../../src/core/bittensor/model';
import { recordSnapshot } from '../../src/core/bittensor/snapshotRecording';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';
import { createSqliteBittensorStore } from '../../src/core/store/sqlite/sqliteBittensorStore';
import { runCliInProcess } from '../support/cliRun';
import { axonAt, deriveMetagraph, derivedKey, halfDayStepsEndingAnHourAgo } from '../support/derivedMetagraphs';
import { recordedMetagraphSnapshot } from '../support/replayNode';

/*
 * `history`, `overview` and `groups` over a range given by blocks, ISO times or times ago (issue 13). Eight snapshots
 * of netuid 1, half a day apart and ending an hour ago (times ago are counted from the real clock), each a step
 * derived from the recorded one: stake into UID 0, and a coldkey taking a UID (and an IP) at every step.
 */

const STEPS = 8;
// An hour off the half-day grid, so that "2d" (counted a few seconds later by the CLI) falls well between two snapshots.
const { blockAt, timeAt } = halfDayStepsEndingAnHourAgo(STEPS);
const iso = (time: number) => new Date(time * 1000).toISOString();
const GAINER = derivedKey('RangeColdkey');
const IP = '203.0.113.77';

function buildHistory(): MetagraphSnapshot[] {
  const out = [deriveMetagraph(recordedMetagraphSnapshot(), { block: blockAt(0), burnTao: 0.001 })];
  for (let k = 1; k < STEPS; k++) {
    const uid0 = out[k - 1].neurons[0];
    out.push(deriveMetagraph(out[k - 1], {
      block: blockAt(k), burnTao: 0.001 * (k + 1),
      set: [{ uid: 0, fields: { stake: uid0.stake + 5, stakeAlpha: uid0.stakeAlpha + 5 } }],
      register: [{ uid: 1_000 + k, hotkey: derivedKey(`Range${k}`), coldkey: GAINER, ip: axonAt(IP).ip }],
    }));
  }
  return out;
}

describe('history, overview and groups over a range of blocks or times', () => {
  const history = buildHistory();
  let dir: string;
  let db: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-ranges-'));
    db = path.join(dir, 'ranges.db');
    const { store } = await Store.open({ path: db, migrations: [...coreMigrations, ...bittensorMigrations, ...chainGenesisMigrations] });
    const bittensor = createSqliteBittensorStore(store.db);
    for (const [k, snapshot] of history.entries()) await recordSnapshot(bittensor, snapshot, { now: timeAt(k), headBlock: snapshot.block });
    store.markDirty();
    await store.close();
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cliJson = async (args: string[]) => {
    const run = await runCliInProcess([...args, '--json', '--db', db]);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    return JSON.parse(run.stdout);
  };
  const steps = (from: number, to: number) => history.map((_, k) => k).filter((k) => k >= from && k <= to);

  it('history takes block numbers, ISO times and times ago, alone or mixed', async () => {
    const uid0 = (ks: number[]) => ks.map((k) => ({ block: blockAt(k), time: timeAt(k), value: Math.round(history[k].neurons[0].stake * 1e9) / 1e9, daily: false }));
    const trace = (args: string[]) => cliJson(['history', '--netuid', '1', '--uid', '0', '--field', 'stake', ...args]).then((t) => t.series[0].points);
    // The last two days: the snapshots from an hour past four half-days ago on.
    assert.deepEqual(await trace(['--from', '2d']), uid0(steps(4, 7)));
    assert.deepEqual(await trace(['--from', String(blockAt(2)), '--to', iso(timeAt(5) + 60)]), uid0(steps(2, 5)));
    assert.deepEqual(await trace(['--from', iso(timeAt(1)), '--to', String(blockAt(3))]), uid0(steps(1, 3)));
    assert.deepEqual(await trace(['--to', '36h']), uid0(steps(0, 4)));
    // A date alone is midnight UTC; a zone moves it.
    const midnight = Math.floor(timeAt(6) / 86_400) * 86_400;
    const day = iso(midnight).slice(0, 10);
    assert.deepEqual(await trace(['--from', day]), uid0(steps(0, 7).filter((k) => timeAt(k) >= midnight)));
    assert.deepEqual(await trace(['--from', `${day}T00:00+01:00`]), uid0(steps(0, 7).filter((k) => timeAt(k) >= midnight - 3_600)));
  });

  it('overview is as of the newest snapshot up to --to, compared inside the range', async () => {
    const overview = await cliJson(['overview', '--netuid', '1', '--to', String(blockAt(5) + 10)]);
    assert.deepEqual([overview.newestBlock, overview.newestTime, overview.n, overview.comparedBlock], [blockAt(5), timeAt(5), history[5].n, blockAt(3)]);
    assert.equal(overview.burnTao, history[5].burnTao);
    assert.ok(Math.abs(overview.burnChange24hTao - (history[5].burnTao! - history[3].burnTao!)) < 1e-12);
    assert.equal(overview.minersChange24h, history[5].n - history[3].n);
    assert.deepEqual(overview.snapshots, { stored: 6, complete: 6, oldestBlock: blockAt(0) });
    // Nothing to compare with inside the range: no 24 h change.
    const narrow = await cliJson(['overview', '--netuid', '1', '--from', iso(timeAt(5) - 60), '--to', '2h']);
    assert.deepEqual([narrow.newestBlock, narrow.comparedBlock, narrow.minersChange24h, narrow.burnChange24hTao], [blockAt(6), null, null, null]);
    assert.deepEqual(narrow.snapshots, { stored: 2, complete: 2, oldestBlock: blockAt(5) });
  });

  it('groups lists the newest snapshot up to --to and the grouping over the range', async () => {
    for (const by of ['coldkey', 'ip'] as const) {
      const groups = await cliJson(['groups', '--netuid', '1', '--by', by, '--from', String(blockAt(2)), '--to', iso(timeAt(4)), '--limit', '1024']);
      assert.equal(groups.block, blockAt(4));
      const key = by === 'coldkey' ? GAINER : IP;
      assert.equal(groups.groups.find((g: { key: string }) => g.key === key)?.hotkeys, 4, `${by}: the gaining group holds the UIDs of steps 1–4`);
      assert.deepEqual(groups.history.map((p: { block: number }) => p.block), steps(2, 4).map(blockAt));
    }
  });

  it('a bad --from or --to is a usage error (exit 2) naming the option and the value', async () => {
    for (const command of [['history', '--uid', '0'], ['overview'], ['groups', '--by', 'coldkey']]) {
      for (const [option, value] of [['--from', 'yesterday'], ['--to', '2026-02-30'], ['--from', '7x'], ['--to', '12:00'], ['--from', '1.5']]) {
        const run = await runCliInProcess([command[0], '--netuid', '1', ...command.slice(1), option, value, '--db', db]);
        assert.equal(run.code, 2, `${command[0]} ${option} ${value}`);
        assert.ok(run.stderr.includes(`${option} must be a block number`) && run.stderr.includes(JSON.stringify(value)), run.stderr);
      }
      const backwards = await runCliInProcess([command[0], '--netuid', '1', ...command.slice(1), '--from', String(blockAt(5)), '--to', String(blockAt(2)), '--db', db]);
      assert.equal(backwards.code, 2);
      assert.match(backwards.stderr, /--from "6818000" is after --to "6807200"/);
    }
  });
});
