import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Engine } from '../../src/engine/engine';
import { createNostrModule } from '../../src/engine/nostrModule';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import type { HistoryBackfillStatus } from '../../src/protocol/historyBackfillProtocol';
import type { NostrEvent } from '../../src/protocol/nostrProtocol';
import type { Event } from 'nostr-tools/pure';
import { startEoseGate } from '../support/eoseGate';
import { eventually } from '../support/eventually';
import { NostrOracle, oracleSeries } from '../support/nostrOracle';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { pastJobTraffic } from '../support/pastJobTraffic';
import { startRelayWithoutEose } from '../support/relayWithoutEose';

const DAY = 86_400;
const PAGE_SIZE = 25;
const RAW_WINDOW_HOURS = 48;

/**
 * Issue 12, "History from day one": a relay on loopback holds 40 days of signed job traffic; a new engine fetches
 * the last 30 days of it in the background into the rollups. The day series then equals an independent computation
 * over the events published in those 30 days (nothing older, nothing twice), raw events stay only inside the raw
 * window, and the run survives a restart, a cancel and the size budget.
 */
describe('history backfill from a loopback relay into the rollups', () => {
  let relay: TestRelay;
  let dir: string;
  const now = Math.floor(Date.now() / 1000);
  const since = now - 30 * DAY;
  const since10 = now - 10 * DAY;
  let traffic: NostrEvent[];
  let inWindow: NostrEvent[];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-history-backfill-'));
    // No job straddles the 30- or 10-day edge: the test's `since` and the engine's differ by the seconds between them.
    traffic = pastJobTraffic({ now, days: 40, jobs: 160, skip: (at) => Math.abs(at - since) < 3 * 3600 || Math.abs(at - since10) < 3 * 3600 });
    inWindow = traffic.filter((event) => event.created_at >= since);
    relay = await startRelay();
    for (const event of traffic) await relay.inject(event);
  });

  after(async () => {
    await relay?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const engines: Engine[] = [];
  after(async () => {
    for (const engine of engines) await engine.dispose();
  });

  /** An engine with only the Nostr module, small pages and quick retries; `onProgress` sees every backfill notification. */
  async function startEngine(options: {
    dbPath?: string; collect?: boolean; settings?: Record<string, unknown>; debug?: boolean; relayUrl?: string; maxWaitMs?: number; pageSize?: number;
    onProgress?: (status: HistoryBackfillStatus, engine: Engine) => void;
  } = {}) {
    let engine: Engine | undefined;
    const progress: HistoryBackfillStatus[] = [];
    engine = await Engine.start(
      {
        dbPath: options.dbPath, collect: options.collect ?? true, debugMethods: options.debug,
        settings: { relays: [options.relayUrl ?? relay.url], backfillDays: 30, historyDays: 90, rawWindowHours: RAW_WINDOW_HOURS, ...options.settings },
      },
      {
        modules: [createNostrModule({ relayTuning: { pageSize: options.pageSize ?? PAGE_SIZE, backoffBaseMs: 50, backoffCapMs: 200, ...(options.maxWaitMs ? { maxWaitMs: options.maxWaitMs } : {}) } })],
        log: { log: () => undefined },
        notify: (notification: EngineNotification) => {
          if (notification.topic !== 'nostr.historyBackfill') return;
          progress.push(notification.payload);
          if (engine) options.onProgress?.(notification.payload, engine);
        },
      },
    );
    engines.push(engine);
    return { engine, progress };
  }

  const finished = (engine: Engine) => eventually('the history backfill to finish', async () => {
    const status = await engine.call('nostr.historyBackfill', {});
    return status.state === 'done' ? status : undefined;
  }, 60_000);

  /** The day series of the last 90 days against the oracle over the events of the window (the last 30 days unless told). */
  async function assertRollupsMatch(engine: Engine, window = inWindow): Promise<void> {
    const series = await engine.call('nostr.activity', { window: '90d', bucket: '1d', now });
    const oracle = new NostrOracle().add(window);
    const expected = oracleSeries(oracle, DAY, series.covers.from, now);
    const pick = (point: { t: number; requests: number; results: number; feedback: number; successes: number; errors: number; satsRequested: number; satsProven: number; users: number | null; dvms: number }) =>
      ({ t: point.t, requests: point.requests, results: point.results, feedback: point.feedback, successes: point.successes, errors: point.errors, satsRequested: point.satsRequested, satsProven: point.satsProven, users: point.users, dvms: point.dvms });
    assert.deepEqual(series.points.map(pick), expected.map(pick));
    const requests = window.filter((event) => event.kind === 5050).length;
    assert.equal(series.points.reduce((sum, point) => sum + point.requests, 0), requests, 'every request of the window counted once');
  }

  it('fills the rollups with the window only, raw rows only inside the raw window, in many pages', async () => {
    assert.ok(inWindow.length > PAGE_SIZE * 10, 'more events than ten pages');
    const { engine } = await startEngine();
    const status = await finished(engine);
    assert.equal(status.fraction, 1);
    assert.ok(status.relays[0].events >= inWindow.length, `the relay sent every event of the window (${status.relays[0].events} of ${inWindow.length})`);
    await assertRollupsMatch(engine);

    const rawCutoff = now - RAW_WINDOW_HOURS * 3600;
    const recent = inWindow.filter((event) => event.created_at >= rawCutoff + 60);
    const old = inWindow.filter((event) => event.created_at < rawCutoff - 60);
    assert.ok(recent.length > 0 && old.length > 0);
    for (const event of recent) assert.ok(await engine.call('nostr.event', { id: event.id }), `raw event ${event.id.slice(0, 8)} inside the raw window is kept`);
    for (const event of old) assert.equal(await engine.call('nostr.event', { id: event.id }), null, `event ${event.id.slice(0, 8)} older than the raw window has no raw row`);
  });

  it('resumes after a restart where it stopped, counting nothing twice', async () => {
    const dbPath = path.join(dir, 'restart.sqlite');
    let stopping: Promise<void> | undefined;
    await startEngine({
      dbPath,
      // Stopped as a closing editor stops it: between two pages, with the pages so far stored.
      onProgress: (status, engine) => {
        if (!stopping && status.state === 'running' && status.accepted > 0) stopping = engine.dispose();
      },
    });
    await eventually('the first engine to stop mid-run', () => stopping !== undefined);
    await stopping;

    const { engine: idle } = await startEngine({ dbPath, collect: false });
    const stored = await idle.call('nostr.historyBackfill', {});
    await idle.dispose();
    const row = stored.relays[0];
    assert.equal(row.state, 'waiting');
    assert.ok(row.fraction > 0 && row.fraction < 1, `stopped part way (${row.fraction})`);

    const { engine, progress } = await startEngine({ dbPath });
    const resumed = await eventually('the resumed run', () => progress.find((status) => status.state === 'running' && status.relays[0]?.state === 'running'));
    assert.equal(resumed.relays[0].reachedUntil, row.reachedUntil, 'the second run starts where the first one stored its last page');
    await finished(engine);
    await assertRollupsMatch(engine);
  });

  it('stops when cancelled, stays cancelled across a restart, and goes on when started again', async () => {
    const dbPath = path.join(dir, 'cancel.sqlite');
    let cancelling: Promise<HistoryBackfillStatus> | undefined;
    const { engine: first } = await startEngine({
      dbPath,
      onProgress: (status, engine) => {
        if (!cancelling && status.state === 'running' && status.accepted > 0) cancelling = engine.call('nostr.cancelHistoryBackfill', {});
      },
    });
    await eventually('the cancel to be asked for', () => cancelling !== undefined);
    // What the status bar shows on the click: cancelled at once, while the page in flight still finishes.
    assert.equal((await cancelling!).state, 'cancelled');
    const stopped = await eventually('the run to end as cancelled', async () => {
      const status = await first.call('nostr.historyBackfill', {});
      return status.relays[0]?.state === 'cancelled' ? status : undefined;
    });
    assert.equal(stopped.state, 'cancelled');
    assert.ok(stopped.fraction < 1);
    assert.match(stopped.message, /cancelled/);
    await first.dispose();

    const { engine } = await startEngine({ dbPath });
    const after = await engine.call('nostr.historyBackfill', {});
    assert.equal(after.state, 'cancelled', 'a cancel holds across a restart');
    assert.equal(after.relays[0].reachedUntil, stopped.relays[0].reachedUntil);
    await engine.call('nostr.startHistoryBackfill', {});
    await finished(engine);
    await assertRollupsMatch(engine);
  });

  it('brings the zap receipts of the back-filled days too: sats proven per day as computed independently', async () => {
    const proofRelay = await startRelay();
    try {
      const withProofs = pastJobTraffic({ now, days: 40, jobs: 160, proofs: true, skip: (at) => Math.abs(at - since) < 3 * 3600 });
      for (const event of withProofs) await proofRelay.inject(event);
      // The relay honours NIP-09: a request its customer deleted is gone from it, and so from what a backfill can see.
      const deleted = new Set(withProofs.filter((event) => event.kind === 5).flatMap((event) => event.tags.filter((tag) => tag[0] === 'e').map((tag) => tag[1])));
      const window = withProofs.filter((event) => event.created_at >= since && !deleted.has(event.id));
      const { engine } = await startEngine({ relayUrl: proofRelay.url });
      await finished(engine);
      await assertRollupsMatch(engine, window);

      const rawCutoff = now - RAW_WINDOW_HOURS * 3600;
      const paidOld = window.filter((event) => event.kind === 9735 && event.created_at < rawCutoff - 60).length;
      assert.ok(paidOld > 10, `payments older than the raw window are in the fixture (${paidOld})`);
      const series = await engine.call('nostr.activity', { window: '90d', bucket: '1d', now });
      assert.ok(series.points.filter((point) => point.t < rawCutoff - DAY).reduce((sum, point) => sum + point.satsProven, 0) > 0, 'sats proven in back-filled days');

      // Asked in filters of 20 kinds, the results (6050) show the DVMs long before the zapped feedback (7000, the
      // last filter) comes: the receipts wait for it.
      const strict = await startRelay({ options: { maxFilterKinds: 20 } });
      try {
        for (const event of withProofs) await strict.inject(event);
        const { engine: split } = await startEngine({ relayUrl: strict.url });
        await finished(split);
        await assertRollupsMatch(split, window);
      } finally {
        await strict.stop();
      }
    } finally {
      await proofRelay.stop();
    }
  });

  /** The settings an engine of `startEngine` runs with, with another backfillDays: what `engine.configure` takes whole. */
  const withDays = (backfillDays: number) => ({ settings: { relays: [relay.url], backfillDays, historyDays: 90, rawWindowHours: RAW_WINDOW_HOURS } });

  it('a longer backfillDays set while a run is under way covers the whole new window, with no gap', async () => {
    const startedAt = Math.floor(Date.now() / 1000);
    // The run's first page ends; the next one, further back, stays in flight until the test releases it: the window is
    // made longer while the 10-day run is certainly under way, however fast this machine would have finished it.
    const gate = await startEoseGate(relay.url, (filters) => filters.some((filter) => filter.until !== undefined && filter.until < startedAt));
    try {
      const { engine } = await startEngine({ relayUrl: gate.url, settings: { backfillDays: 10 }, maxWaitMs: 600_000 });
      const held = await eventually('a page of the 10-day run in flight, with a page stored before it', async () => {
        const status = await engine.call('nostr.historyBackfill', {});
        return status.state === 'running' && status.accepted > 0 && gate.held().length > 0 ? status : undefined;
      });
      assert.equal(held.days, 10);
      assert.ok(held.relays[0].fraction > 0 && held.relays[0].fraction < 1, `part way down the 10 days (${held.relays[0].fraction})`);
      assert.ok(gate.held().flat().every((filter) => filter.since === undefined || filter.since >= since10 - 60), 'the page in flight is one of the 10-day run');

      await engine.call('engine.configure', { settings: { ...withDays(30).settings, relays: [gate.url] } });
      // Released only once the 30-day plan is stored: a pass that kept the row it read would now end its page and
      // write that row over the new plan, and stop at the old start.
      await eventually('the 30-day plan to be stored', async () => {
        const status = await engine.call('nostr.historyBackfill', {});
        return status.relays[0] !== undefined && status.relays[0].since < since10 - DAY;
      });
      gate.release();
      const status = await finished(engine);
      assert.equal(status.days, 30);
      assert.equal(status.relays[0].since, status.since);
      // Every event of the 30 days counted once: the days below the old start were fetched too.
      await assertRollupsMatch(engine);
    } finally {
      await gate.stop();
    }
  });

  it('a shorter backfillDays set while a page is in flight asks that page again from the new start', async () => {
    const stalling = await startRelayWithoutEose();
    try {
      for (const event of traffic) stalling.publish(event as unknown as Event);
      const startedAt = Math.floor(Date.now() / 1000);
      // The run's first page ends; the next one, further back, stays open: the run is held mid-way, wherever the
      // machine's speed would have taken it.
      stalling.eoseFor = (filters) => filters.some((filter) => filter.until !== undefined && filter.until >= startedAt);
      // The job pages (not the zap receipts and deletions asked with them).
      const history = () => stalling.openFilters().filter((filter) => filter.until !== undefined && filter.kinds?.includes(5050));
      const { engine } = await startEngine({ relayUrl: stalling.url, maxWaitMs: 600_000 });
      await eventually('a history page the relay leaves open', async () => {
        const status = await engine.call('nostr.historyBackfill', {});
        return status.accepted > 0 && history().length > 0;
      });
      assert.ok(history().every((filter) => filter.since! < since10 - DAY), 'the 30-day run asks below the 10-day start');
      await engine.call('engine.configure', { settings: { ...withDays(10).settings, relays: [stalling.url] } });
      await eventually('the page in flight asked again from the new start', () =>
        history().length > 0 && history().every((filter) => filter.since! >= since10 - 60));
      const status = await engine.call('nostr.historyBackfill', {});
      assert.equal(status.days, 10);
      assert.equal(status.relays[0].since, status.since);
      await engine.call('nostr.cancelHistoryBackfill', {});
    } finally {
      await stalling.stop();
    }
  });

  it('stops at the size budget and says so', async () => {
    const dbPath = path.join(dir, 'budget.sqlite');
    const { engine: filler } = await startEngine({ dbPath, collect: false, debug: true, settings: { sizeBudgetMB: 8 } });
    await filler.call('engine.debugFill', { megabytes: 7.6 });
    await filler.dispose();

    const { engine } = await startEngine({ dbPath, settings: { sizeBudgetMB: 8 } });
    const status = await eventually('the run to stop at the budget', async () => {
      const current = await engine.call('nostr.historyBackfill', {});
      return current.state === 'budget' ? current : undefined;
    });
    assert.equal(status.accepted, 0);
    assert.match(status.message, /size budget \(swarmscope\.storage\.sizeBudgetMB\)/);
  });

  it('retries a relay that drops the connection mid-run, saying so, and loses nothing', async () => {
    let dropped: Promise<void> | undefined;
    const { engine, progress } = await startEngine({
      maxWaitMs: 2_000,
      onProgress: (status) => {
        if (!dropped && status.state === 'running' && status.accepted > 0) dropped = relay.restart();
      },
    });
    await eventually('the relay to be dropped mid-run', () => dropped !== undefined);
    await dropped;
    await finished(engine);
    const retrying = progress.find((status) => status.relays[0]?.state === 'retrying');
    assert.ok(retrying, 'the status said the relay is being retried');
    assert.ok(retrying.relays[0].errors > 0 && retrying.relays[0].lastError, 'with the error');
    await assertRollupsMatch(engine);
  });

  it('asks a relay that refuses 2,001 kinds in one filter again in filters of 20', async () => {
    const strict = await startRelay({ options: { maxFilterKinds: 20 } });
    try {
      for (const event of traffic) await strict.inject(event);
      const { engine } = await startEngine({ relayUrl: strict.url });
      await finished(engine);
      await assertRollupsMatch(engine);
    } finally {
      await strict.stop();
    }
  });

  it('a cancel ends a page the relay never finishes at once, instead of waiting for it', async () => {
    const stalling = await startRelayWithoutEose();
    try {
      for (const event of traffic) stalling.publish(event as unknown as Event);
      const startedAt = Math.floor(Date.now() / 1000);
      // The run's first page ends (EOSE); the next one, further back, never does.
      stalling.eoseFor = (filters) => filters.some((filter) => filter.until !== undefined && filter.until >= startedAt);
      const history = () => stalling.openFilters().filter((filter) => filter.until !== undefined);
      // An EOSE wait longer than the test: only the cancel can end that page.
      const { engine } = await startEngine({ relayUrl: stalling.url, maxWaitMs: 600_000 });
      await eventually('a history page the relay leaves open', async () => {
        const status = await engine.call('nostr.historyBackfill', {});
        return status.accepted > 0 && history().length > 0;
      });
      await engine.call('nostr.cancelHistoryBackfill', {});
      await eventually('the stalled history page to be closed', () => history().length === 0);
    } finally {
      await stalling.stop();
    }
  });
});
