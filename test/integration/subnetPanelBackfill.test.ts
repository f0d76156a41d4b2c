import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeError } from '../../src/core/util/errors';
import { silentLogger } from '../../src/core/util/logger';
import { Engine } from '../../src/engine/engine';
import { PendingRequests } from '../../src/engine/pendingRequests';
import { SubnetPanel } from '../../src/panels/subnetPanel';
import { subnetProtocol, type ToSubnet } from '../../src/protocol/subnetPanelProtocol';
import type { EngineRequester } from '../../src/views/engineRequester';
import { eventually } from '../support/eventually';
import { PanelLoopback } from '../support/panelLoopback';
import { startReplayNode, type ReplayNode } from '../support/replayNode';

/**
 * Backfill from the Subnet panel: the panel's host half (SubnetPanel) and the page's Messenger joined by
 * PanelLoopback, an in-process engine, and the replay node as an archive node (it serves the recorded head's state
 * at every past block). The page asks for a range and step; it sees progress, then the end; the snapshots are in
 * the store. Cancel stops a long run: what was stored is exactly what the end message counts.
 */

const HEAD = 6_852_690;
let node: ReplayNode;
let engine: Engine;
let loopback: PanelLoopback<typeof subnetProtocol>;
/** Every panel's notification router: the engine's notifications reach each (only while that panel is visible). */
const routers = new Set<PanelLoopback<typeof subnetProtocol>['router']>();

before(async () => {
  node = await startReplayNode({ seed: 'metagraph', archive: true });
  engine = await Engine.start(
    { dbPath: undefined, settings: { subtensorEndpoint: node.url, archiveEndpoint: node.url, trackedSubnets: [] }, collect: false },
    { notify: (note) => routers.forEach((router) => router.route(note)), log: silentLogger },
  );
  const requester: EngineRequester = { request: (method, params) => engine.call(method, params) };
  loopback = new PanelLoopback(subnetProtocol, (channel) => new SubnetPanel(channel, { engine: requester, actions: { save: async () => undefined } }, 1));
  routers.add(loopback.router);
  loopback.page.ready();
});

after(async () => {
  loopback.session.dispose();
  await engine.dispose();
  await node.stop();
});

/** The panel's messages to the page since `from`, of the backfill kinds. */
function backfillMessages(from = 0, panel = loopback): Extract<ToSubnet, { type: 'backfillProgress' | 'backfillEnded' }>[] {
  return panel.posted.slice(from)
    .map((each) => (each as { message?: ToSubnet }).message)
    .filter((message): message is Extract<ToSubnet, { type: 'backfillProgress' | 'backfillEnded' }> =>
      message?.type === 'backfillProgress' || message?.type === 'backfillEnded');
}

async function storedSnapshots(): Promise<number> {
  return (await engine.call('bittensor.overview', { netuid: 1 }))?.snapshots.stored ?? 0;
}

test('a backfill asked for by the page shows its progress, ends, and stores every snapshot of the range', { timeout: 120_000 }, async () => {
  const from = loopback.posted.length;
  loopback.page.post({ type: 'backfill', fromBlock: HEAD - 300, toBlock: HEAD, step: 100 });
  const ended = await eventually('the end of the backfill', () => backfillMessages(from).find((message) => message.type === 'backfillEnded'), 60_000);
  assert.deepEqual(ended, { type: 'backfillEnded', outcome: 'done', message: 'Backfilled 4 snapshots of subnet 1 (blocks 6852390–6852690 every 100).' });
  const progress = backfillMessages(from).filter((message) => message.type === 'backfillProgress');
  assert.deepEqual(progress.map((p) => [p.done, p.total, p.block]), [[0, 4, null], [1, 4, HEAD - 300], [2, 4, HEAD - 200], [3, 4, HEAD - 100], [4, 4, HEAD]]);
  assert.equal(await storedSnapshots(), 4);
  const frames = await loopback.page.request('frames', { role: 'miners', offset: 0, limit: 64 });
  assert.deepEqual(frames.frames.map((frame) => frame.block), [HEAD - 300, HEAD - 200, HEAD - 100, HEAD]);
});

test('Cancel stops a long backfill; the snapshots stored are the ones the end message counts', { timeout: 120_000 }, async () => {
  const before = await storedSnapshots();
  const from = loopback.posted.length;
  loopback.page.post({ type: 'backfill', fromBlock: HEAD - 3_300, toBlock: HEAD - 301, step: 1 });
  await eventually('progress past the second snapshot', () => backfillMessages(from).some((message) => message.type === 'backfillProgress' && message.done >= 2), 60_000);
  loopback.page.post({ type: 'cancelBackfill' });
  const ended = await eventually('the end of the backfill', () => backfillMessages(from).find((message) => message.type === 'backfillEnded'), 60_000);
  assert.equal(ended.type === 'backfillEnded' && ended.outcome, 'cancelled');
  const stored = Number(/cancelled after (\d+) of 3000 snapshots/.exec(ended.type === 'backfillEnded' ? ended.message : '')?.[1]);
  assert.ok(stored >= 2 && stored < 3000, ended.type === 'backfillEnded' ? ended.message : '');
  assert.equal(await storedSnapshots(), before + stored);
  const lastProgress = backfillMessages(from).filter((message) => message.type === 'backfillProgress').at(-1);
  assert.equal(lastProgress?.type === 'backfillProgress' && lastProgress.done, stored, 'no progress past the stored count');

  // Ended means ended: a new backfill may start at once.
  const again = loopback.posted.length;
  loopback.page.post({ type: 'backfill', fromBlock: HEAD - 100, toBlock: HEAD - 100, step: 1 });
  const next = await eventually('the next backfill', () => backfillMessages(again).find((message) => message.type === 'backfillEnded'), 60_000);
  assert.equal(next.type === 'backfillEnded' && next.outcome, 'done');
});

test('a range the engine would refuse is refused at once, without a run', async () => {
  const from = loopback.posted.length;
  loopback.page.post({ type: 'backfill', fromBlock: 10, toBlock: 5, step: 1 });
  const ended = await eventually('the refusal', () => backfillMessages(from).find((message) => message.type === 'backfillEnded'));
  assert.equal(ended.type === 'backfillEnded' && ended.outcome, 'failed');
  assert.match(ended.type === 'backfillEnded' ? ended.message : '', /^Cannot backfill: backfill needs 0 ≤ fromBlock ≤ toBlock/);
  assert.equal(backfillMessages(from).length, 1, 'no progress for a refused range');
});

test('a netuid the page puts beside a range is not passed on: the panel reads only its own subnet', async () => {
  const answer = (id: number) => loopback.posted.find((each) => (each as { kind?: string; id?: number }).kind === 'response' && (each as { id?: number }).id === id) as
    { ok: boolean; result?: { netuid: number; series: unknown[] } } | undefined;
  // Raw, as a hostile page would post it: the typed Messenger would not let a netuid through.
  loopback.postFromPage({ kind: 'request', id: 9_001, method: 'traces', params: { field: 'stake', top: 5, netuid: 2 } });
  const smuggled = await eventually('the traces answer', () => answer(9_001));
  assert.equal(smuggled.ok, true);
  assert.equal(smuggled.result?.netuid, 1);
  assert.equal(smuggled.result?.series.length, 5, 'subnet 1\'s stored snapshots answered');
});

test('a second backfill while one runs is refused by the engine; the running one goes on and can be cancelled', { timeout: 120_000 }, async () => {
  const from = loopback.posted.length;
  const progressDone = () => Math.max(0, ...backfillMessages(from).flatMap((message) => (message.type === 'backfillProgress' ? [message.done] : [])));
  loopback.page.post({ type: 'backfill', fromBlock: HEAD - 6_300, toBlock: HEAD - 3_301, step: 1 });
  await eventually('the first run under way', () => progressDone() >= 1, 60_000);
  loopback.page.post({ type: 'backfill', fromBlock: HEAD - 100, toBlock: HEAD - 100, step: 1 });
  const notices = () => loopback.posted.slice(from).map((each) => (each as { message?: ToSubnet }).message).filter((message) => message?.type === 'notice');
  const notice = await eventually('the refusal', () => notices()[0]);
  assert.equal(notice?.type === 'notice' && notice.message, 'A backfill of subnet 1 is already running.');
  const seen = progressDone();
  await eventually('the first run going on', () => progressDone() > seen, 60_000);
  loopback.page.post({ type: 'cancelBackfill' });
  const ended = await eventually('the end', () => backfillMessages(from).find((message) => message.type === 'backfillEnded'), 60_000);
  assert.equal(ended.type === 'backfillEnded' && ended.outcome, 'cancelled');
  assert.match(ended.type === 'backfillEnded' ? ended.message : '', /of 3000 snapshots/, 'the end is the first run\'s');
});

test('a backfill that ends while the panel is hidden, its request long timed out, shows its end when the panel is shown again', { timeout: 120_000 }, async () => {
  // The extension's engine client gives up on a request after a while (PendingRequests, as EngineClient uses it):
  // here after 50 ms for the backfill, so that the run outlives its request as a long one does.
  const pending = new PendingRequests(50);
  let timedOut = false;
  const requester: EngineRequester = {
    request: (method, params) => {
      if (method !== 'bittensor.backfill') return engine.call(method, params);
      const answer = pending.open(method, (id) => engine.call(method, params).then(
        (result) => pending.answer({ type: 'response', id, ok: true, result }),
        (error: unknown) => pending.answer({ type: 'response', id, ok: false, error: describeError(error) }),
      ));
      answer.catch(() => { timedOut = true; });
      return answer as Promise<never>;
    },
  };
  const panel = new PanelLoopback(subnetProtocol, (channel) => new SubnetPanel(channel, { engine: requester, actions: { save: async () => undefined } }, 1));
  routers.add(panel.router);
  try {
    panel.page.ready();
    panel.page.post({ type: 'backfill', fromBlock: HEAD - 9_300, toBlock: HEAD - 6_301, step: 1 });
    await eventually('the run under way', () => backfillMessages(0, panel).some((message) => message.type === 'backfillProgress' && message.done >= 1), 60_000);
    await eventually('the request timed out', () => timedOut);

    // Hidden, the panel hears nothing of the run's end.
    panel.session.setVisible(false);
    assert.deepEqual(await engine.call('bittensor.cancelBackfill', { netuid: 1 }), { cancelled: 1 });
    await eventually('the run ended', async () => (await engine.call('bittensor.cancelBackfill', { netuid: 1 })).cancelled === 0, 60_000);

    const shown = panel.posted.length;
    panel.session.setVisible(true);
    panel.reloadPage().ready();
    const ended = await eventually('the end, told to the new page', () => backfillMessages(shown, panel).find((message) => message.type === 'backfillEnded'), 60_000);
    assert.equal(ended.type === 'backfillEnded' && ended.outcome, 'cancelled');
    assert.match(ended.type === 'backfillEnded' ? ended.message : '', /^Backfill of subnet 1 cancelled after \d+ of 3000 snapshots\.$/);
    assert.deepEqual(backfillMessages(shown, panel).filter((message) => message.type === 'backfillProgress'), [], 'no Cancel for a run that is over');
  } finally {
    routers.delete(panel.router);
    panel.session.dispose();
  }
});
