import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeNewNodes, type Point } from '../../webview/common/graphLayout';

/** Where the graph view (webview/common/graphView.ts) puts nodes that join a drawn graph, so that nothing drawn moves. */

const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

test('only new nodes get a place; drawn nodes are left where they are', () => {
  const drawn = new Map<string, Point>([['request', { x: 0, y: 0 }], ['dvm', { x: 300, y: 40 }]]);
  const placed = placeNewNodes(['request', 'result'], [{ from: 'result', to: 'request' }], drawn, { x: 1000, y: 1000 });
  assert.deepEqual([...placed.keys()], ['result']);
  assert.deepEqual(drawn.get('request'), { x: 0, y: 0 }, 'the input map is not changed');
});

test('a new node goes beside the drawn neighbour it is linked to, not at the view centre', () => {
  const drawn = new Map<string, Point>([['request', { x: 500, y: -200 }]]);
  const placed = placeNewNodes(['feedback'], [{ from: 'feedback', to: 'request' }], drawn, { x: 0, y: 0 }, 120);
  assert.equal(Math.round(distance(placed.get('feedback')!, { x: 500, y: -200 })), 120);
});

test('many children of one node get distinct places around it', () => {
  const drawn = new Map<string, Point>([['request', { x: 0, y: 0 }]]);
  const ids = Array.from({ length: 30 }, (_, i) => `feedback-${i}`);
  const placed = placeNewNodes(ids, ids.map((id) => ({ from: id, to: 'request' })), drawn, { x: 0, y: 0 }, 100);
  assert.equal(placed.size, 30);
  const points = [...placed.values()];
  for (let i = 0; i < points.length; i++) {
    assert.ok(distance(points[i], { x: 0, y: 0 }) >= 100 - 1e-9, 'none sits on the request');
    for (let j = i + 1; j < points.length; j++) assert.ok(distance(points[i], points[j]) > 10, `feedback ${i} and ${j} do not overlap`);
  }
});

test('a chain of new nodes hangs off the drawn node it reaches, whatever order it arrives in', () => {
  const drawn = new Map<string, Point>([['root', { x: 0, y: 0 }]]);
  // sub-job-2 → sub-job-1 → root, listed leaf first.
  const links = [{ from: 'sub-job-2', to: 'sub-job-1' }, { from: 'sub-job-1', to: 'root' }];
  const placed = placeNewNodes(['sub-job-2', 'sub-job-1'], links, drawn, { x: 9_999, y: 9_999 }, 100);
  assert.equal(Math.round(distance(placed.get('sub-job-1')!, { x: 0, y: 0 })), 100);
  assert.equal(Math.round(distance(placed.get('sub-job-2')!, placed.get('sub-job-1')!)), 100);
});

test('nodes linked to nothing drawn go around the view centre, with their own neighbours beside them', () => {
  const placed = placeNewNodes(['customer', 'request', 'lonely'], [{ from: 'customer', to: 'request' }], new Map(), { x: 50, y: 50 }, 100);
  assert.equal(placed.size, 3);
  assert.equal(Math.round(distance(placed.get('customer')!, { x: 50, y: 50 })), 100);
  assert.equal(Math.round(distance(placed.get('request')!, placed.get('customer')!)), 100);
  assert.notDeepEqual(placed.get('lonely'), placed.get('customer'));
});

test('an id listed twice is placed once', () => {
  const placed = placeNewNodes(['a', 'a'], [], new Map(), { x: 0, y: 0 });
  assert.equal(placed.size, 1);
});
