import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TraceNode } from '../../src/protocol/nostrProtocol';
import { applyTraceDelta, isEmptyDelta, traceDelta } from '../../src/protocol/traceDelta';
import type { TracePanelGraph, TracePanelRow } from '../../src/protocol/tracePanelProtocol';
import { expandJson, internJson } from '../../src/protocol/tracePanelWire';

/**
 * The trace panel's wire (tracePanelWire.ts: long strings sent once) and its live deltas (traceDelta.ts: only what
 * changed), both pure: what the page rebuilds must equal what the host had, whatever the text holds.
 */

const hex = (n: number) => n.toString(16).padStart(64, '0');

test('interned JSON comes back exactly, with each long string sent once; text that looks like a reference survives', () => {
  const value = {
    ids: [hex(1), hex(1), hex(2)],
    nested: { id: hex(1), short: 'ok', hash: '#0', hashLong: '#not a reference at all', empty: '', n: 3, no: null, yes: true, list: [-1, 0, 1, [0], []] },
    same: [{ a: 1, b: 'x' }, { a: 2, b: 'y' }, { b: 'z', a: 3 }],
    unicode: 'é\u202E'.repeat(10),
  };
  const wire = internJson(value);
  assert.deepEqual(expandJson(JSON.parse(JSON.stringify(wire))), value);
  assert.equal(wire.strings.filter((text) => text === hex(1)).length, 1, 'a repeated id is in the table once');
  assert.equal(wire.shapes.filter((keys) => keys.join() === 'a,b').length, 1, 'objects of the same keys share one shape');
  assert.ok(JSON.stringify(wire).length < JSON.stringify(value).length);
});

test('a malformed wire is refused, not half read', () => {
  assert.deepEqual(expandJson({ strings: ['a'], shapes: [], body: [0, '#0'] }), ['a']);
  assert.equal(expandJson({ strings: ['a'], shapes: [], body: [0, '#1'] }), undefined, 'a reference past the table');
  assert.equal(expandJson({ strings: ['a'], shapes: [], body: [0, '#-1'] }), undefined);
  assert.equal(expandJson({ strings: [1], shapes: [], body: [0] }), undefined, 'a table that is not strings');
  assert.equal(expandJson({ strings: [], shapes: [['a']], body: [2, 1] }), undefined, 'a shape past the table');
  assert.equal(expandJson({ strings: [], shapes: [['a']], body: [1, 1, 2] }), undefined, 'more values than the shape has keys');
  assert.equal(expandJson({ strings: [], shapes: [], body: { raw: 1 } }), undefined, 'a plain object is not of the wire');
  assert.equal(expandJson(null), undefined);
  const polluted = expandJson({ strings: [], shapes: [['__proto__']], body: [1, [1, 1]] }) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(polluted), Object.prototype, 'a __proto__ key does not set the prototype');
});

const request = hex(10);
const node = (id: string, label = id): TraceNode => ({ id, type: 'feedback', label, requestId: request });
const row = (id: string, createdAt: number): TracePanelRow => ({
  id, kind: 7000, role: 'feedback', pubkey: hex(99), createdAt, relays: [], requestId: request, sinceRequestSec: createdAt, asked: false,
});
const graph = (rows: TracePanelRow[], nodes: TraceNode[]): TracePanelGraph => ({
  askedId: request, requestId: request, truncated: false,
  jobs: [{ requestId: request, kind: 5050, kindName: 'text generation', customer: null, createdAt: 0, cancelled: false, encrypted: false, parents: [], missing: false }],
  nodes, edges: nodes.map((each) => ({ from: each.id, to: `request:${request}`, type: 'feedback-for' as const })), timeline: rows, dvms: [],
});

test('a delta carries only what is new or changed, each with its place, and applying it rebuilds the new graph', () => {
  const before = graph([row(hex(1), 1), row(hex(3), 3)], [node('a'), node('b')]);
  const after = graph([row(hex(1), 1), row(hex(2), 2), { ...row(hex(3), 3), status: 'success' }, row(hex(4), 4)], [node('a'), node('b', 'renamed'), node('c')]);
  const delta = traceDelta(before, after)!;
  assert.deepEqual(delta.timeline.map(({ index, item }) => [index, item.id]), [[1, hex(2)], [2, hex(3)], [3, hex(4)]]);
  assert.deepEqual(delta.nodes.map(({ item }) => item.id), ['b', 'c']);
  assert.deepEqual(delta.edges.map(({ item }) => item.from), ['c']);
  assert.deepEqual(applyTraceDelta(before, delta), after);
  assert.ok(isEmptyDelta(traceDelta(after, after)!, after), 'nothing changed: an empty delta');
  assert.ok(!isEmptyDelta(delta, before));
  assert.ok(!isEmptyDelta(traceDelta(before, { ...before, askedId: hex(1) })!, before), 'the asked event moved');
});

test('what a delta cannot say goes whole: an event gone, or kept rows in another order', () => {
  const before = graph([row(hex(1), 1), row(hex(2), 2)], [node('a')]);
  assert.equal(traceDelta(before, graph([row(hex(1), 1)], [node('a')])), undefined, 'a row gone');
  assert.equal(traceDelta(before, graph([row(hex(1), 1), row(hex(2), 2)], [])), undefined, 'a node gone');
  assert.equal(traceDelta(before, graph([row(hex(2), 2), row(hex(1), 1)], [node('a')])), undefined, 'two rows swapped');
});
