import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bittensorMigrations } from '../../src/core/store/sqlite/bittensor/bittensorMigrations';
import { chainGenesisMigrations } from '../../src/core/store/sqlite/bittensor/chainGenesisMigrations';
import type { MetagraphSnapshot, NeuronRow } from '../../src/core/bittensor/model';
import { recordSnapshot } from '../../src/core/bittensor/snapshotRecording';
import { applyRetention } from '../../src/core/store/sqlite/bittensor/snapshotRetention';
import { coreMigrations } from '../../src/core/store/sqlite/state/coreMigrations';
import { Store } from '../../src/core/store/sqlite/store';
import { createSqliteBittensorStore } from '../../src/core/store/sqlite/sqliteBittensorStore';
import { silentLogger } from '../../src/core/util/logger';
import { Engine } from '../../src/engine/engine';
import type { TraceSeries } from '../../src/protocol/bittensorProtocol';
import { runCliInProcess } from '../support/cliRun';
import { deriveMetagraph, derivedKey, type MetagraphStep } from '../support/derivedMetagraphs';
import { recordedMetagraphSnapshot, startReplayNode, type ReplayNode } from '../support/replayNode';

/*
 * Six days of netuid 1, derived from the recorded snapshot one explicit step every 1,800 blocks (6 h), saved through
 * the engine's own save path (recordSnapshot) and thinned by its own retention (48 h raw window). Every figure the
 * engine answers is compared with one computed here from the snapshot objects themselves.
 */

const HEAD = 6_852_690; // the replay node's head
const STEPS = 24;
const STEP_BLOCKS = 1_800;
const STEP_SECONDS = 21_600;
const BEHIND = 150; // the newest snapshot is this far behind the head: "Out of date"
const T0 = 1_800_000_000;
const blockAt = (k: number) => HEAD - BEHIND - STEP_BLOCKS * (STEPS - 1 - k);
const timeAt = (k: number) => T0 + STEP_SECONDS * k;
const dayOf = (time: number) => Math.floor(time / 86_400);
const u16 = (unit: number) => Math.round(unit * 65_535);
const rao = (amount: number) => Math.round(amount * 1e9);

const GAINER = derivedKey('ColdkeyGainingHotkeys');
const GAINER_NAME = '=HYPERLINK("https://example.invalid"),"quoted"\nsecond line';
const R1 = derivedKey('Replaces1023');
const R2 = derivedKey('Returns1023');
const R3 = derivedKey('Replaces3');
const gained = (j: number) => derivedKey(`Gained${j}`);

/** What happened on chain before snapshot k (k ≥ 1), written out. */
function stepBefore(k: number, previous: MetagraphSnapshot, base: MetagraphSnapshot): MetagraphStep {
  const at = (uid: number) => previous.neurons.find((neuron) => neuron.uid === uid)!;
  const set: { uid: number; fields: Partial<NeuronRow> }[] = [];
  // Stake flows into UID 0 every step.
  set.push({ uid: 0, fields: { stake: at(0).stake + 100, stakeAlpha: at(0).stakeAlpha + 100 } });
  // UIDs 1–3 earn changing scores and emission.
  for (const uid of [1, 2, 3]) {
    set.push({ uid, fields: {
      incentive: ((k * 37 + uid * 11) % 1_000) / 65_535, consensus: ((k * 13 + uid) % 500) / 65_535, trust: ((k * 7 + uid) % 300) / 65_535,
      dividends: ((k + uid) % 5) / 65_535, emission: (k + uid) * 0.5,
    } });
  }
  const register: NonNullable<MetagraphStep['register']>[number][] = [];
  const deregister: number[] = [];
  if (k === 3) register.push({ uid: 1023, hotkey: R1, coldkey: derivedKey('ColdkeyOfR1') });
  if (k === 5) deregister.push(1000);
  // A new coldkey registers a hotkey, then keeps taking UIDs from other owners.
  if (k === 7) register.push({ uid: 1000, hotkey: gained(0), coldkey: GAINER, ip: '203.0.113.7', identity: GAINER_NAME });
  if (k >= 9 && k <= 19 && k % 2 === 1) {
    const j = (k - 7) / 2;
    register.push({ uid: 989 + j, hotkey: gained(j), coldkey: GAINER, ip: '203.0.113.7', identity: GAINER_NAME });
  }
  if (k === 10) set.push({ uid: 10, fields: { validatorPermit: true } });
  if (k === 12) for (const uid of [20, 21, 22, 23, 24]) set.push({ uid, fields: { axon: { ip: '198.51.100.9', port: 8091, ipType: 4, version: 1 } } });
  if (k === 16) {
    // A stake move inside the raw window: everything UID 4 had goes to UID 5.
    set.push({ uid: 4, fields: { stake: 0, stakeAlpha: 0, stakeTao: 0 } });
    set.push({ uid: 5, fields: { stake: at(5).stake + at(4).stake, stakeAlpha: at(5).stakeAlpha + at(4).stakeAlpha, stakeTao: at(5).stakeTao + at(4).stakeTao } });
  }
  if (k === 18) deregister.push(1023);
  if (k === 19) for (const uid of [20, 21]) set.push({ uid, fields: { axon: { ip: '198.51.100.10', port: 9000, ipType: 4, version: 1 } } });
  if (k === 20) {
    const lastValidator = base.neurons.filter((neuron) => neuron.validatorPermit).at(-1)!;
    set.push({ uid: lastValidator.uid, fields: { validatorPermit: false } });
  }
  if (k === 21) register.push({ uid: 1023, hotkey: R2, coldkey: derivedKey('ColdkeyOfR2') });
  if (k === 22) register.push({ uid: 3, hotkey: R3, coldkey: at(3).coldkey });
  return { block: blockAt(k), burnTao: 0.0005 + 0.0001 * k, register, deregister, set };
}

function buildHistory(): MetagraphSnapshot[] {
  const base = { ...recordedMetagraphSnapshot() };
  const history = [deriveMetagraph(base, { block: blockAt(0) })];
  for (let k = 1; k < STEPS; k++) history.push(deriveMetagraph(history[k - 1], stepBefore(k, history[k - 1], base)));
  return history;
}

function assertClose(actual: number | null, expected: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected}`);
}

/** Numbers compared within floating-point rounding, everything else exactly. */
function assertSeries(actual: TraceSeries['points'], expected: { block: number; time: number; value: number | null; daily: boolean }[], what: string): void {
  assert.deepEqual(actual.map((p) => [p.block, p.time, p.daily]), expected.map((p) => [p.block, p.time, p.daily]), `${what}: points`);
  actual.forEach((point, i) => {
    if (expected[i].value === null) assert.equal(point.value, null, what);
    else assertClose(point.value, expected[i].value!, `${what} at ${point.block}`);
  });
}

describe('bittensor history for the subnet dashboard (engine requests)', () => {
  const history = buildHistory();
  const newest = history[STEPS - 1];
  let dir: string;
  let dbPath: string;
  /** A copy for the CLI, which opens its own engine on it. */
  let cliDb: string;
  let node: ReplayNode;
  let engine: Engine;
  /** Steps whose snapshot is still complete after retention (block_time ≥ now − 48 h). */
  const rawSteps = history.map((_, k) => k).filter((k) => timeAt(k) >= timeAt(STEPS - 1) - 48 * 3_600);
  const firstRawDay = dayOf(timeAt(rawSteps[0]));
  /** Days only the rollups cover: before the day of the first raw snapshot. */
  const dailyDays = [...new Set(history.map((_, k) => dayOf(timeAt(k))))].filter((day) => day < firstRawDay);
  const stepsOfDay = (day: number) => history.map((_, k) => k).filter((k) => dayOf(timeAt(k)) === day);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-history-'));
    dbPath = path.join(dir, 'history.db');
    const { store } = await Store.open({ path: dbPath, migrations: [...coreMigrations, ...bittensorMigrations, ...chainGenesisMigrations] });
    const bittensor = createSqliteBittensorStore(store.db);
    for (const [k, snapshot] of history.entries()) await recordSnapshot(bittensor, snapshot, { now: timeAt(k), headBlock: snapshot.block });
    applyRetention(store.db, { now: timeAt(STEPS - 1), rawWindowHours: 48, historyDays: 90, pinnedHotkeys: [] });
    store.markDirty();
    await store.close();
    cliDb = path.join(dir, 'cli.db');
    fs.copyFileSync(dbPath, cliDb);
    node = await startReplayNode({ seed: 'metagraph' });
    engine = await Engine.start({ dbPath, settings: { subtensorEndpoint: node.url }, collect: false }, { notify: () => undefined, log: silentLogger });
  });

  after(async () => {
    await engine?.dispose();
    await node?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the last 48 h of snapshots in full and reads any of them back unchanged', async () => {
    assert.deepEqual(rawSteps, [15, 16, 17, 18, 19, 20, 21, 22, 23]);
    assert.deepEqual(await engine.call('bittensor.metagraph', { netuid: 1, block: blockAt(20) }), history[20]);
    assert.equal(await engine.call('bittensor.metagraph', { netuid: 1, block: blockAt(14) }), null);
  });

  it('gives the overview: out of date against the head, 24 h changes, emission, occupancy', async () => {
    const overview = await engine.call('bittensor.overview', { netuid: 1, readHead: true });
    assert.ok(overview);
    const dayBefore = history[STEPS - 1 - 4]; // 4 steps of 1,800 blocks = 7,200 blocks
    const permits = (s: MetagraphSnapshot) => s.neurons.filter((neuron) => neuron.validatorPermit).length;
    assert.deepEqual(
      [overview.name, overview.headBlock, overview.newestBlock, overview.newestTime, overview.blocksBehind, overview.stale, overview.comparedBlock],
      ['Apex', HEAD, newest.block, timeAt(STEPS - 1), BEHIND, true, dayBefore.block],
    );
    assert.equal(overview.burnTao, newest.burnTao);
    assertClose(overview.burnChange24hTao, (rao(newest.burnTao!) - rao(dayBefore.burnTao!)) / 1e9, 'register cost change');
    assert.deepEqual([overview.n, overview.validators, overview.miners], [newest.neurons.length, permits(newest), newest.neurons.length - permits(newest)]);
    assert.equal(overview.validatorsChange24h, permits(newest) - permits(dayBefore));
    assert.equal(overview.minersChange24h, (newest.neurons.length - permits(newest)) - (dayBefore.neurons.length - permits(dayBefore)));
    assert.equal(overview.emissionPerTempo, newest.neurons.reduce((sum, neuron) => sum + rao(neuron.emission), 0) / 1e9);
    assert.deepEqual([overview.priceTao, overview.tempo], [newest.priceTao, newest.tempo]);
    assert.deepEqual(overview.occupancy, {
      validators: { used: permits(newest), max: newest.maxValidators },
      miners: { used: newest.neurons.length - permits(newest), max: newest.maxUids! - permits(newest) },
    });
    assert.deepEqual(overview.snapshots, { stored: STEPS, complete: rawSteps.length, oldestBlock: blockAt(0) });
  });

  it('counts churn per raw snapshot, slots per stored snapshot, and registrations per day', async () => {
    const result = await engine.call('bittensor.churnHistory', { netuid: 1 });
    const expectedChurn = rawSteps.slice(1).map((k) => {
      const before = new Set(history[k - 1].neurons.map((neuron) => neuron.hotkey));
      const now = new Set(history[k].neurons.map((neuron) => neuron.hotkey));
      const previousAt = new Map(history[k - 1].neurons.map((neuron) => [neuron.uid, neuron.hotkey]));
      return {
        block: blockAt(k), time: timeAt(k), previousBlock: blockAt(k - 1),
        added: [...now].filter((hotkey) => !before.has(hotkey)).length,
        removed: [...before].filter((hotkey) => !now.has(hotkey)).length,
        changed: history[k].neurons.filter((neuron) => previousAt.has(neuron.uid) && previousAt.get(neuron.uid) !== neuron.hotkey).length,
      };
    });
    assert.deepEqual(result.churn, expectedChurn);
    assert.equal(result.churnTruncated, false);
    // The derived steps do churn inside the window: a departure (18), a return into an empty UID (21), a replacement (22).
    assert.deepEqual(expectedChurn.filter((p) => p.added + p.removed + p.changed > 0).map((p) => p.block), [17, 18, 19, 21, 22].map(blockAt));

    assert.deepEqual(result.slots, history.map((s, k) => {
      const permits = s.neurons.filter((neuron) => neuron.validatorPermit).length;
      return {
        block: blockAt(k), time: timeAt(k), n: s.neurons.length,
        occupancy: { validators: { used: permits, max: s.maxValidators }, miners: { used: s.neurons.length - permits, max: s.maxUids! - permits } },
      };
    }));

    const seen = new Set(history[0].neurons.map((neuron) => `${neuron.uid}|${neuron.hotkey}`));
    const perDay = new Map<number, number>();
    history.forEach((s, k) => {
      for (const neuron of s.neurons) {
        const pair = `${neuron.uid}|${neuron.hotkey}`;
        if (seen.has(pair)) continue;
        seen.add(pair);
        perDay.set(dayOf(timeAt(k)), (perDay.get(dayOf(timeAt(k))) ?? 0) + 1);
      }
    });
    assert.deepEqual(result.registrationsPerDay, [...perDay].map(([day, registrations]) => ({ day, registrations })));
    assert.equal(result.registrationsPerDay.reduce((sum, d) => sum + d.registrations, 0), 1 + 7 + 1 + 1); // R1, gained 0–6, R2, R3

    const paged = await engine.call('bittensor.churnHistory', { netuid: 1, limit: 3, fromBlock: blockAt(10) });
    assert.deepEqual(paged.churn, expectedChurn.slice(-3));
    assert.equal(paged.churnTruncated, true);
    // 14 headers from step 10 on, at most 3 points: every 5th counted back from the newest.
    assert.deepEqual(paged.slots.map((p) => p.block), [blockAt(13), blockAt(18), blockAt(23)]);
  });

  /** Groups of a snapshot computed here: key → its neurons. */
  function groupsIn(snapshot: MetagraphSnapshot, by: 'coldkey' | 'ip'): [string, NeuronRow[]][] {
    const groups = new Map<string, NeuronRow[]>();
    for (const neuron of snapshot.neurons) {
      const key = by === 'coldkey' ? neuron.coldkey : neuron.axon?.ip;
      if (key) groups.set(key, [...(groups.get(key) ?? []), neuron]);
    }
    return [...groups].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
  }

  it('lists the groups of the newest snapshot and the grouping over the raw snapshots', async () => {
    for (const by of ['coldkey', 'ip'] as const) {
      const result = await engine.call('bittensor.groups', { netuid: 1, by, limit: 10 });
      assert.ok(result);
      const expected = groupsIn(newest, by);
      assert.equal(result.block, newest.block);
      assert.equal(result.total, expected.length);
      assert.deepEqual(result.groups.map((g) => [g.key, g.hotkeys, g.validators]),
        expected.slice(0, 10).map(([key, neurons]) => [key, neurons.length, neurons.filter((n) => n.validatorPermit).length]));
      result.groups.forEach((group, i) => {
        assertClose(group.stake, expected[i][1].reduce((sum, n) => sum + rao(n.stake), 0) / 1e9, `stake of ${group.key}`);
        assertClose(group.emission, expected[i][1].reduce((sum, n) => sum + rao(n.emission), 0) / 1e9, `emission of ${group.key}`);
      });
      assert.deepEqual(result.history, rawSteps.map((k) => {
        const groups = groupsIn(history[k], by);
        return {
          block: blockAt(k), groups: groups.length, largest: groups[0][1].length,
          grouped: groups.filter(([, neurons]) => neurons.length > 1).reduce((sum, [, neurons]) => sum + neurons.length, 0),
        };
      }));
    }
    const gainer = (await engine.call('bittensor.groups', { netuid: 1, by: 'coldkey', limit: 1_024 }))!.groups.find((g) => g.key === GAINER);
    assert.equal(gainer?.name, GAINER_NAME);
    assert.equal(gainer?.hotkeys, 7);
  });

  it("draws a coldkey group's size from daily rollups before the raw window and from raw snapshots inside it", async () => {
    const top = groupsIn(newest, 'coldkey').slice(0, 4).map(([key]) => key);
    assert.ok(!top.includes(GAINER));
    const keys = [...top, GAINER];
    const series = await engine.call('bittensor.groupSeries', { netuid: 1, by: 'coldkey', keys });
    assert.ok(series);
    assert.deepEqual(series.keys.map((k) => k.key), keys);
    assert.equal(series.keys.at(-1)?.name, GAINER_NAME);
    const expected = [
      ...dailyDays.map((day) => ({
        block: blockAt(Math.max(...stepsOfDay(day))), time: day * 86_400, daily: true,
        // (UID, hotkey) pairs the group held at any snapshot of that day.
        counts: keys.map((key) => new Set(stepsOfDay(day).flatMap((k) => history[k].neurons.filter((n) => n.coldkey === key).map((n) => `${n.uid}|${n.hotkey}`))).size),
      })),
      ...rawSteps.map((k) => ({ block: blockAt(k), time: timeAt(k), daily: false, counts: keys.map((key) => history[k].neurons.filter((n) => n.coldkey === key).length) })),
    ];
    assert.deepEqual(series.points, expected);
    // The gaining coldkey grows over the whole range, daily part included.
    assert.ok(series.points[0].counts.at(-1)! < series.points.at(-1)!.counts.at(-1)!);

    const byTop = await engine.call('bittensor.groupSeries', { netuid: 1, by: 'coldkey', top: 4 });
    assert.deepEqual(byTop?.keys.map((k) => k.key), top);

    const ipKeys = ['198.51.100.9', '198.51.100.10', '203.0.113.7'];
    const ips = await engine.call('bittensor.groupSeries', { netuid: 1, by: 'ip', keys: ipKeys });
    assert.deepEqual(ips?.points, [
      ...dailyDays.map((day) => {
        // Each (UID, hotkey) pair of the day counts in the group of its axon's IP at its last snapshot that day.
        const lastIp = new Map<string, string | undefined>();
        for (const k of stepsOfDay(day)) for (const n of history[k].neurons) lastIp.set(`${n.uid}|${n.hotkey}`, n.axon?.ip);
        return { block: blockAt(Math.max(...stepsOfDay(day))), time: day * 86_400, daily: true, counts: ipKeys.map((ip) => [...lastIp.values()].filter((at) => at === ip).length) };
      }),
      ...rawSteps.map((k) => ({
        block: blockAt(k), time: timeAt(k), daily: false,
        counts: ipKeys.map((ip) => history[k].neurons.filter((n) => n.axon?.ip === ip).length),
      })),
    ]);
    // The IP groups reach past the raw window: the derived steps moved axons to 198.51.100.9 (step 12) before it.
    assert.ok(ips!.points.some((p) => p.daily && p.counts[0] > 0));

    const members = await engine.call('bittensor.groupMembers', { netuid: 1, by: 'coldkey', key: GAINER, block: blockAt(16) - 1 });
    assert.deepEqual(members?.rows, history[15].neurons.filter((n) => n.coldkey === GAINER));
    assert.equal(members?.block, blockAt(15));
    // Names that pick SQL columns are checked against their choices, whatever a client sends.
    await assert.rejects(engine.call('bittensor.groupSeries', { netuid: 1, by: 'constructor' as never, top: 3 }), /by must be one of coldkey, ip/);
    await assert.rejects(engine.call('bittensor.groupMembers', { netuid: 1, by: 'hotkey' as never, key: GAINER }), /by must be one of coldkey, ip/);
    await assert.rejects(engine.call('bittensor.frames', { netuid: 1, role: 'owners' as never }), /role must be one of miners, validators/);
  });

  /** A field of a neuron, per day (mean of the day's snapshots; stake: the day's last) and per raw snapshot. */
  function expectedTrace(field: 'stake' | 'incentive' | 'consensus' | 'emission', find: (s: MetagraphSnapshot) => NeuronRow | undefined) {
    const scale = field === 'stake' || field === 'emission' ? 1e9 : 65_535;
    const stored = (neuron: NeuronRow) => (scale === 1e9 ? rao(neuron[field]) : u16(neuron[field]));
    const points: { block: number; time: number; value: number | null; daily: boolean }[] = [];
    for (const day of dailyDays) {
      const present = stepsOfDay(day).filter((k) => find(history[k]));
      if (present.length === 0) continue;
      const value = field === 'stake'
        ? stored(find(history[present.at(-1)!])!) / scale
        : present.reduce((sum, k) => sum + stored(find(history[k])!), 0) / present.length / scale;
      points.push({ block: blockAt(Math.max(...stepsOfDay(day))), time: day * 86_400, value, daily: true });
    }
    for (const k of rawSteps) {
      const neuron = find(history[k]);
      if (neuron) points.push({ block: blockAt(k), time: timeAt(k), value: stored(neuron) / scale, daily: false });
    }
    return points;
  }

  it('traces the top 20 hotkeys by stake, from daily rollups and raw snapshots', async () => {
    const result = await engine.call('bittensor.traces', { netuid: 1, field: 'stake', select: { top: 20 } });
    const top = [...newest.neurons].sort((a, b) => rao(b.stake) - rao(a.stake) || a.uid - b.uid).slice(0, 20);
    assert.equal(result.rawFromBlock, blockAt(rawSteps[0]));
    assert.deepEqual(result.series.map((s) => [s.key, s.hotkey, s.coldkey, s.uid]), top.map((n) => [n.hotkey, n.hotkey, n.coldkey, null]));
    for (const series of result.series) {
      assertSeries(series.points, expectedTrace('stake', (s) => s.neurons.find((n) => n.hotkey === series.key)), `stake of ${series.key}`);
    }
    const uid0 = result.series.find((s) => s.key === history[0].neurons[0].hotkey);
    assert.ok(uid0, 'UID 0, whose stake grows every step, is in the top 20');
    assert.ok(uid0.points[0].value! < uid0.points.at(-1)!.value!);
  });

  it('traces chosen hotkeys wherever they sat and chosen UIDs whoever held them', async () => {
    const uid1 = history[0].neurons[1].hotkey;
    const byHotkey = await engine.call('bittensor.traces', { netuid: 1, field: 'incentive', select: { hotkeys: [R1, gained(0), uid1, derivedKey('NeverSeen')] } });
    assert.deepEqual(byHotkey.series.map((s) => s.key), [R1, gained(0), uid1]);
    for (const series of byHotkey.series) {
      assertSeries(series.points, expectedTrace('incentive', (s) => s.neurons.find((n) => n.hotkey === series.key)), `incentive of ${series.key}`);
    }
    // R1 left at step 18: its series ends in the daily part and one raw snapshot… or none; it never reaches the newest.
    assert.ok(byHotkey.series[0].points.every((p) => p.block < blockAt(18)));

    for (const field of ['consensus', 'emission'] as const) {
      const byUid = await engine.call('bittensor.traces', { netuid: 1, field, select: { uids: [1023, 3] } });
      assert.deepEqual(byUid.series.map((s) => [s.key, s.uid, s.hotkey]), [['uid:1023', 1023, R2], ['uid:3', 3, R3]]);
      for (const series of byUid.series) {
        assertSeries(series.points, expectedTrace(field, (s) => s.neurons.find((n) => n.uid === series.uid)), `${field} of ${series.key}`);
      }
    }
  });

  it('takes a range by time as the blocks of the snapshots inside it', async () => {
    // Half a step inside each end: the snapshots from step 10 to step 20.
    const byTime = { fromTime: timeAt(10) - STEP_SECONDS / 2, toTime: timeAt(20) + STEP_SECONDS / 2 };
    const byBlock = { fromBlock: blockAt(10), toBlock: blockAt(20) };
    const select = { uids: [3, 1023] };
    const traced = await engine.call('bittensor.traces', { netuid: 1, field: 'incentive', select, ...byTime });
    assert.deepEqual(traced, await engine.call('bittensor.traces', { netuid: 1, field: 'incentive', select, ...byBlock }));
    assert.equal(traced.series[0].points.at(-1)?.block, blockAt(20));
    assert.deepEqual(await engine.call('bittensor.frames', { netuid: 1, role: 'validators', ...byTime }),
      await engine.call('bittensor.frames', { netuid: 1, role: 'validators', ...byBlock }));
    assert.deepEqual((await engine.call('bittensor.churnHistory', { netuid: 1, ...byTime })).slots.map((p) => p.block), [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20].map(blockAt));
    // Both kinds: the narrower end wins.
    const both = await engine.call('bittensor.churnHistory', { netuid: 1, ...byTime, fromBlock: blockAt(12) });
    assert.equal(both.slots[0].block, blockAt(12));
    // A time after the newest snapshot leaves nothing.
    const after = await engine.call('bittensor.traces', { netuid: 1, field: 'incentive', select, fromTime: timeAt(STEPS - 1) + 1 });
    assert.deepEqual(after.series.map((s) => s.points.length), [0, 0]);
  });

  it('bounds a trace to maxPoints, keeping the newest snapshot', async () => {
    const result = await engine.call('bittensor.traces', { netuid: 1, field: 'incentive', select: { uids: [1] }, maxPoints: dailyDays.length + 3 });
    const points = result.series[0].points;
    assert.equal(points.filter((p) => p.daily).length, dailyDays.length);
    assert.deepEqual(points.filter((p) => !p.daily).map((p) => p.block), [blockAt(17), blockAt(20), blockAt(23)]);
    await assert.rejects(engine.call('bittensor.traces', { netuid: 1, field: 'constructor' as never, select: { top: 1 } }), /field must be one of stake, incentive/);
  });

  it('pages animation frames of validators and miners, one per raw snapshot', async () => {
    for (const role of ['validators', 'miners'] as const) {
      const page = await engine.call('bittensor.frames', { netuid: 1, role, offset: 2, limit: 4 });
      assert.deepEqual([page.total, page.offset, page.frames.length], [rawSteps.length, 2, 4]);
      page.frames.forEach((frame, i) => {
        const k = rawSteps[2 + i];
        const members = history[k].neurons.filter((n) => n.validatorPermit === (role === 'validators'));
        assert.deepEqual([frame.block, frame.time], [blockAt(k), timeAt(k)]);
        assert.deepEqual(frame.uids, members.map((n) => n.uid));
        assert.deepEqual(frame.hotkeys.map((at) => page.hotkeys[at]), members.map((n) => n.hotkey));
        assert.deepEqual(frame.coldkeys.map((at) => page.coldkeys[at]), members.map((n) => n.coldkey));
        assert.deepEqual(frame.stake, members.map((n) => rao(n.stake) / 1e9));
        assert.deepEqual(frame.incentive, members.map((n) => u16(n.incentive) / 65_535));
        assert.deepEqual(frame.dividends, members.map((n) => u16(n.dividends) / 65_535));
      });
    }
  });

  it('shows how a stored block differs from the snapshot before it', async () => {
    const diff = await engine.call('bittensor.metagraphDiff', { netuid: 1, block: blockAt(22) });
    assert.ok(diff);
    assert.equal(diff.previousBlock, blockAt(21));
    const before = new Map(history[21].neurons.map((n) => [n.uid, n]));
    const expected = history[22].neurons.flatMap((now) => {
      const was = before.get(now.uid)!;
      const changes = Object.fromEntries((['stake', 'rank', 'trust', 'consensus', 'incentive', 'dividends', 'validatorTrust', 'emission'] as const)
        .filter((field) => was[field] !== now[field]).map((field) => [field, [was[field], now[field]]]));
      const axonOf = (n: NeuronRow) => (n.axon ? `${n.axon.ip}:${n.axon.port}` : null);
      const extra = {
        ...(was.validatorPermit !== now.validatorPermit ? { permit: [was.validatorPermit, now.validatorPermit] } : {}),
        ...(axonOf(was) !== axonOf(now) ? { axon: [axonOf(was), axonOf(now)] } : {}),
      };
      if (was.hotkey === now.hotkey && Object.keys(changes).length + Object.keys(extra).length === 0) return [];
      return [{ uid: now.uid, kind: was.hotkey === now.hotkey ? 'changed' : 'replaced', hotkey: now.hotkey, previousHotkey: was.hotkey, changes, ...extra }];
    });
    assert.deepEqual(diff.rows, expected);
    assert.deepEqual(diff.rows.map((r) => r.uid), [0, 1, 2, 3]); // stake into 0, scores of 1–3, and 3 replaced by R3
    assert.equal(diff.rows[3].kind, 'replaced');

    const departed = await engine.call('bittensor.metagraphDiff', { netuid: 1, block: blockAt(18) });
    assert.deepEqual(departed?.rows.find((r) => r.uid === 1023), { uid: 1023, kind: 'deregistered', hotkey: null, previousHotkey: R1, changes: {} });
    const moved = await engine.call('bittensor.metagraphDiff', { netuid: 1, block: blockAt(19) });
    assert.deepEqual(moved?.rows.find((r) => r.uid === 20)?.axon, ['198.51.100.9:8091', '198.51.100.10:9000']);
    assert.equal((await engine.call('bittensor.metagraphDiff', { netuid: 1, block: blockAt(15) }))?.previousBlock, null);
  });

  it('swarmscope metagraph --csv prints the stored snapshot, row for row, every column', async () => {
    const run = await runCliInProcess(['metagraph', '--netuid', '1', '--block', String(blockAt(20)), '--csv', '--db', cliDb]);
    assert.equal(run.code, 0, run.stderr);
    const [header, ...rows] = parseCsv(run.stdout);
    assert.deepEqual(header, ['uid', 'hotkey', 'coldkey', 'identity', 'active', 'validatorPermit', 'stake', 'stakeAlpha', 'stakeTao', 'rank', 'trust',
      'consensus', 'incentive', 'dividends', 'validatorTrust', 'emission', 'lastUpdate', 'registrationBlock', 'axonIp', 'axonPort', 'axonIpType', 'axonVersion']);
    const stored = history[20].neurons;
    assert.equal(rows.length, stored.length);
    const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));
    rows.forEach((row, i) => {
      const n = stored[i];
      // A name a spreadsheet would run as a formula is printed with a leading apostrophe.
      const identity = n.identity && /^[=+\-@\t\r]/.test(n.identity) ? `'${n.identity}` : text(n.identity);
      assert.deepEqual(row, [n.uid, n.hotkey, n.coldkey, identity, n.active, n.validatorPermit, n.stake, n.stakeAlpha, n.stakeTao, n.rank, n.trust,
        n.consensus, n.incentive, n.dividends, n.validatorTrust, n.emission, n.lastUpdate, n.registrationBlock, n.axon?.ip, n.axon?.port, n.axon?.ipType,
        n.axon?.version].map((value, column) => (column === 3 ? identity : text(value))), `UID ${n.uid}`);
    });
    assert.ok(rows.some((row) => row[3] === `'${GAINER_NAME}`), 'the hostile name survives quoting whole');
    const both = await runCliInProcess(['metagraph', '--netuid', '1', '--csv', '--json', '--db', cliDb]);
    assert.equal(both.code, 2);
  });

  it('swarmscope history, overview and groups print what the engine answers', async () => {
    const history1 = await runCliInProcess(['history', '--netuid', '1', '--uid', '1023', '--uid', '3', '--field', 'consensus', '--json', '--db', cliDb]);
    assert.equal(history1.code, 0, history1.stderr);
    assert.deepEqual(JSON.parse(history1.stdout), await engine.call('bittensor.traces', { netuid: 1, field: 'consensus', select: { uids: [1023, 3] } }));
    const top = await runCliInProcess(['history', '--netuid', '1', '--top', '20', '--field', 'stake', '--json', '--db', cliDb]);
    assert.deepEqual(JSON.parse(top.stdout), await engine.call('bittensor.traces', { netuid: 1, field: 'stake', select: { top: 20 } }));
    const byHotkey = await runCliInProcess(['history', '--netuid', '1', '--hotkey', R1, '--field', 'incentive', '--json', '--db', cliDb]);
    assert.deepEqual(JSON.parse(byHotkey.stdout), await engine.call('bittensor.traces', { netuid: 1, field: 'incentive', select: { hotkeys: [R1] } }));
    for (const wrong of [['--top', '3', '--uid', '1'], ['--field', 'rank', '--top', '3'], []]) {
      assert.equal((await runCliInProcess(['history', '--netuid', '1', ...wrong, '--db', cliDb])).code, 2, wrong.join(' '));
    }

    const overview = await runCliInProcess(['overview', '--netuid', '1', '--json', '--db', cliDb]);
    assert.equal(overview.code, 0, overview.stderr);
    const fromEngine = await engine.call('bittensor.overview', { netuid: 1, readHead: true });
    // Without --endpoint the CLI does not read the head.
    assert.deepEqual(JSON.parse(overview.stdout), { ...fromEngine, headBlock: null, blocksBehind: null, stale: false });
    const overviewText = await runCliInProcess(['overview', '--netuid', '1', '--endpoint', node.url, '--db', cliDb]);
    assert.match(overviewText.stdout, new RegExp(`OUT OF DATE: ${BEHIND} blocks behind head ${HEAD}`));
    const permits = newest.neurons.filter((n) => n.validatorPermit).length;
    assert.match(overviewText.stdout, new RegExp(`slots: validators ${permits}/${newest.maxValidators}, miners ${newest.neurons.length - permits}/${newest.maxUids! - permits}`));

    for (const by of ['coldkey', 'ip'] as const) {
      const groups = await runCliInProcess(['groups', '--netuid', '1', '--by', by, '--json', '--db', cliDb]);
      assert.equal(groups.code, 0, groups.stderr);
      assert.deepEqual(JSON.parse(groups.stdout), await engine.call('bittensor.groups', { netuid: 1, by, limit: 20 }));
    }
    const members = await runCliInProcess(['groups', '--netuid', '1', '--by', 'coldkey', '--key', GAINER, '--json', '--db', cliDb]);
    assert.deepEqual(JSON.parse(members.stdout).rows.map((n: NeuronRow) => n.hotkey), newest.neurons.filter((n) => n.coldkey === GAINER).map((n) => n.hotkey));
    assert.equal((await runCliInProcess(['groups', '--netuid', '1', '--by', 'axon', '--db', cliDb])).code, 2);
  });

  it('after a snapshot at the head, the overview is no longer out of date', async () => {
    await engine.call('bittensor.snapshot', { netuid: 1 });
    const overview = await engine.call('bittensor.overview', { netuid: 1 });
    assert.deepEqual([overview?.newestBlock, overview?.blocksBehind, overview?.stale], [HEAD, 0, false]);
  });
});

/** RFC 4180, read independently of the CLI's writer: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}
