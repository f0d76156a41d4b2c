import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withStructure } from '../../src/core/bittensor/weightsStructure';
import type { WeightsMatrix, WeightsView } from '../../src/protocol/bittensorProtocol';
import { isFromWeights, isToWeights, isWeightsMatrix, MAX_CORRELATED_HOTKEYS, weightsProtocol } from '../../src/protocol/weightsPanelProtocol';

/** A small consistent matrix: three validators over four targets, cosines computed from the rows. */
function sampleMatrix(): WeightsView {
  return withStructure(bareMatrix(), null);
}

function bareMatrix(): WeightsMatrix {
  const rows = [
    { uid: 4, hotkey: '5F3sa2TJAWMqDhXG6jhV4N8ko9SxwGy8TpaNS1repo5EYjQX', stake: 120_000.5, validatorPermit: true, lastUpdate: 6_852_600, weights: [[0, 0.5], [7, 0.25], [9, 0.25]] as [number, number][] },
    { uid: 2, hotkey: '<img src=x onerror=alert(1)>', stake: 90_000, validatorPermit: true, lastUpdate: 6_852_610, weights: [[0, 0.5], [7, 0.25], [9, 0.25]] as [number, number][] },
    { uid: 11, hotkey: null, stake: null, validatorPermit: null, lastUpdate: null, weights: [[12, 1]] as [number, number][] },
  ];
  return {
    netuid: 1,
    block: 6_852_690,
    rows,
    targets: [0, 7, 9, 12],
    agreement: {
      uids: [4, 2, 11],
      cosine: [1, 1, 0, 1, 1, 0, 0, 0, 1],
      withConsensus: [{ uid: 4, cosine: 0.93 }, { uid: 2, cosine: 0.93 }, { uid: 11, cosine: 0.2 }],
      nearDuplicates: [{ a: 4, b: 2, cosine: 1 }],
    },
  };
}

/** A copy with one field replaced through a JSON round trip (what postMessage's structured clone delivers). */
function altered(change: (matrix: any) => void): unknown {
  const copy = JSON.parse(JSON.stringify(sampleMatrix()));
  change(copy);
  return copy;
}

test('webview → host: refresh, and pick with a block or none (ready is the panel envelope\'s, not the panel\'s)', () => {
  assert.equal(isFromWeights({ type: 'refresh' }), true);
  assert.equal(isFromWeights({ type: 'pick', block: 3_263_158 }), true);
  assert.equal(isFromWeights({ type: 'pick' }), true, 'the head');
  assert.equal(isFromWeights({ type: 'pick', block: -1 }), false);
  assert.equal(isFromWeights({ type: 'pick', block: '100' }), false);
  assert.equal(isFromWeights({ type: 'pick', block: 1.5 }), false);
  assert.equal(isFromWeights({ type: 'ready' }), false);
  assert.equal(isFromWeights({ type: 'openKind', kind: 5050 }), false);
  assert.equal(isFromWeights({ type: 'Refresh' }), false);
  assert.equal(isFromWeights({}), false);
  assert.equal(isFromWeights('refresh'), false);
  assert.equal(isFromWeights(null), false);
  assert.equal(isFromWeights([{ type: 'ready' }]), false);
});

test('host → webview: loading and error name a netuid; errors carry a message', () => {
  assert.equal(isToWeights({ type: 'loading', netuid: 1 }), true);
  assert.equal(isToWeights({ type: 'loading', netuid: 1, block: 100 }), true);
  assert.equal(isToWeights({ type: 'loading', netuid: 1, block: 'head' }), false);
  assert.equal(isToWeights({ type: 'error', netuid: 3, message: 'pruned', block: 100 }), true);
  assert.equal(isToWeights({ type: 'error', netuid: 3, message: 'pruned', block: -100 }), false);
  assert.equal(isToWeights({ type: 'loading', netuid: 0 }), true);
  assert.equal(isToWeights({ type: 'loading' }), false);
  assert.equal(isToWeights({ type: 'loading', netuid: -1 }), false);
  assert.equal(isToWeights({ type: 'loading', netuid: 1.5 }), false);
  assert.equal(isToWeights({ type: 'loading', netuid: '1' }), false);
  assert.equal(isToWeights({ type: 'error', netuid: 3, message: 'the archive node has discarded block 100' }), true);
  assert.equal(isToWeights({ type: 'error', netuid: 3 }), false);
  assert.equal(isToWeights({ type: 'error', message: 'no netuid' }), false);
  assert.equal(isToWeights({ type: 'snapshot', netuid: 1 }), false);
  assert.equal(isToWeights(undefined), false);
});

test('a well-formed matrix passes, with untrusted hotkey text kept as data and null snapshot fields allowed', () => {
  assert.equal(isToWeights({ type: 'matrix', matrix: sampleMatrix(), readAt: 1_763_700_000_000 }), true);
  assert.equal(isToWeights(JSON.parse(JSON.stringify({ type: 'matrix', matrix: sampleMatrix(), readAt: 1_763_700_000_000 }))), true);
  const empty = withStructure({ netuid: 9, block: 100, rows: [], targets: [], agreement: { uids: [], cosine: [], withConsensus: [], nearDuplicates: [] } }, null);
  assert.equal(isToWeights({ type: 'matrix', matrix: empty, readAt: 1 }), true, 'the empty state (no UID set weights) is a valid matrix');
  assert.equal(isToWeights({ type: 'matrix', matrix: sampleMatrix() }), false, 'readAt missing');
  assert.equal(isToWeights({ type: 'matrix', matrix: sampleMatrix(), readAt: 'now' }), false, 'readAt not a number');
  assert.equal(isToWeights({ type: 'matrix' }), false);
  assert.equal(isToWeights({ type: 'matrix', matrix: null }), false);
});

test('a malformed matrix is refused, whichever part is wrong', () => {
  const cases: [string, (matrix: any) => void][] = [
    ['netuid missing', (m) => delete m.netuid],
    ['block not an integer', (m) => { m.block = 6.5; }],
    ['block negative', (m) => { m.block = -1; }],
    ['rows not an array', (m) => { m.rows = {}; }],
    ['row uid a string', (m) => { m.rows[0].uid = '4'; }],
    ['hotkey a number', (m) => { m.rows[1].hotkey = 5; }],
    ['stake not finite (NaN survives as null in JSON, so use a string)', (m) => { m.rows[0].stake = 'lots'; }],
    ['validator permit a number', (m) => { m.rows[0].validatorPermit = 1; }],
    ['last update fractional', (m) => { m.rows[0].lastUpdate = 10.5; }],
    ['weights not an array', (m) => { m.rows[0].weights = 'all'; }],
    ['weight pair with three items', (m) => { m.rows[0].weights[0] = [0, 0.5, 1]; }],
    ['weight above 1', (m) => { m.rows[2].weights[0][1] = 65535; }],
    ['weight negative', (m) => { m.rows[0].weights[1][1] = -0.25; }],
    ['weight target negative', (m) => { m.rows[0].weights[0][0] = -1; }],
    ['targets not ascending', (m) => { m.targets = [7, 0, 9, 12]; }],
    ['targets with a duplicate', (m) => { m.targets = [0, 7, 7, 12]; }],
    ['agreement missing', (m) => delete m.agreement],
    ['cosine not uids²', (m) => { m.agreement.cosine.pop(); }],
    ['cosine above 1', (m) => { m.agreement.cosine[1] = 1.5; }],
    ['cosine a string', (m) => { m.agreement.cosine[4] = '1'; }],
    ['agreement uid negative', (m) => { m.agreement.uids[0] = -4; }],
    ['withConsensus entry without uid', (m) => { delete m.agreement.withConsensus[0].uid; }],
    ['withConsensus not an array', (m) => { m.agreement.withConsensus = null; }],
    ['nearDuplicates pair with a string uid', (m) => { m.agreement.nearDuplicates[0].b = 'two'; }],
  ];
  for (const [name, change] of cases) {
    const matrix = altered(change);
    assert.equal(isWeightsMatrix(matrix), false, name);
    assert.equal(isToWeights({ type: 'matrix', matrix, readAt: 1 }), false, name);
  }
});

test('a weight a float rounding step past 1 still passes (a single weight normalised by its own sum)', () => {
  assert.equal(isWeightsMatrix(altered((m) => { m.rows[2].weights[0][1] = 1 + 1e-12; })), true);
  assert.equal(isWeightsMatrix(altered((m) => { m.rows[2].weights[0][1] = 1.001; })), false);
});

test('the clusters, map and names must fit the agreement, or the matrix is refused', () => {
  const cases: [string, (matrix: any) => void][] = [
    ['no structure', (m) => { delete m.structure; }],
    ['a cluster naming a UID not in the agreement', (m) => { m.structure.clusters.clusters[0].uids.push(99); }],
    ['an empty cluster', (m) => { m.structure.clusters.clusters.push({ uids: [], meanCosine: 1 }); }],
    ['a mean cosine past 1', (m) => { m.structure.clusters.clusters[0].meanCosine = 2; }],
    ['a point missing', (m) => { m.structure.embedding.points.pop(); }],
    ['a point that is not a number', (m) => { m.structure.embedding.points[0][1] = null; }],
    ['the map\'s UIDs in another order', (m) => { m.structure.embedding.uids.reverse(); }],
    ['an identity that is markup in an object', (m) => { m.structure.identities.push({ uid: 4, name: { html: '<b>x</b>' } }); }],
  ];
  assert.equal(isToWeights({ type: 'matrix', matrix: altered(() => undefined), readAt: 1 }), true);
  for (const [name, change] of cases) assert.equal(isToWeights({ type: 'matrix', matrix: altered(change), readAt: 1 }), false, name);
  // Identity names are text: markup in a string is data, not refused.
  assert.equal(isToWeights({ type: 'matrix', matrix: altered((m) => { m.structure.identities.push({ uid: 4, name: '<img src=x onerror=alert(1)>' }); }), readAt: 1 }), true);
});

test('the requests check their params on the host and their results in the page', () => {
  const { blocks, validatorHistory, stakeCorrelation } = weightsProtocol.requests;
  assert.equal(blocks.params({}), true);
  assert.equal(blocks.result([{ block: 10, time: 1 }]), true);
  assert.equal(blocks.result([{ block: -10, time: 1 }]), false);
  const hotkey = '5F3sa2TJAWMqDhXG6jhV4N8ko9SxwGy8TpaNS1repo5EYjQX';
  assert.equal(validatorHistory.params({ hotkey, top: 10, maxPoints: 16 }), true);
  assert.equal(validatorHistory.params({ hotkey, top: 0, maxPoints: 16 }), false);
  assert.equal(validatorHistory.params({ hotkey, top: 10, maxPoints: 1_000 }), false, 'each point is a chain read: bounded');
  assert.equal(validatorHistory.params({ hotkey: 'x'.repeat(65), top: 10, maxPoints: 16 }), false);
  const history = { netuid: 1, hotkey, targets: [3, 7], points: [{ block: 5, uid: 2, weights: [0.5, 0.25], rest: 0.25 }, { block: 6, uid: null, weights: [0, 0], rest: 0 }] };
  assert.equal(validatorHistory.result(history), true);
  assert.equal(validatorHistory.result({ ...history, points: [{ block: 5, uid: 2, weights: [0.5], rest: 0 }] }), false, 'a weight per target');
  assert.equal(stakeCorrelation.params({ hotkeys: [hotkey] }), true);
  assert.equal(stakeCorrelation.params({ hotkeys: [] }), false);
  assert.equal(stakeCorrelation.params({ hotkeys: Array.from({ length: MAX_CORRELATED_HOTKEYS + 1 }, () => hotkey) }), false);
  const correlation = { netuid: 1, series: [{ key: hotkey, hotkey, uid: 4 }, { key: 'b', hotkey: 'b', uid: null }], coefficients: [1, -0.5, -0.5, null], aligned: [5, 5, 5, 2] };
  assert.equal(stakeCorrelation.result(correlation), true);
  assert.equal(stakeCorrelation.result({ ...correlation, coefficients: [1, -0.5, -0.5] }), false);
  assert.equal(stakeCorrelation.result({ ...correlation, coefficients: [1, -1.5, -0.5, 1] }), false);
});
