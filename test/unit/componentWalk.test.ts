import assert from 'node:assert/strict';
import { test } from 'node:test';
import { componentWalk, type TraceComponent } from '../../src/core/nostr/componentWalk';
import { MAX_GRAPH_JOBS } from '../../src/core/nostr/traceRows';
import { walkSync } from '../../src/core/util/walkDriver';

/**
 * The walk over a trace's whole graph that both stores drive (sqliteTraceQuery.ts synchronously, pgTrace.ts with
 * await), answered here from sub-job links in memory: which jobs it keeps, in what order, with which parents, and
 * that it asks each job's links once.
 */

/** child → its parent jobs (what `i` tags of type job link). */
type Links = Readonly<Record<string, readonly string[]>>;

function walk(links: Links, start: string): { result: TraceComponent; asked: string[] } {
  const asked: string[] = [];
  const result = walkSync(componentWalk(start), (id) => {
    asked.push(id);
    return { parents: links[id] ?? [], children: Object.keys(links).filter((child) => links[child]!.includes(id)) };
  });
  return { result, asked };
}

test('branches: from one sub-job, its parent, the sibling sub-jobs and their children, nearest first, each with its direct parents', () => {
  const links: Links = { b1: ['a'], b2: ['a'], b3: ['a'], c: ['b2'], d: ['c'] };
  const { result, asked } = walk(links, 'b1');
  assert.deepEqual([...result.parents], [['b1', ['a']], ['a', []], ['b2', ['a']], ['b3', ['a']], ['c', ['b2']], ['d', ['c']]]);
  assert.equal(result.truncated, false);
  assert.deepEqual(asked, ['b1', 'a', 'b2', 'b3', 'c', 'd'], 'each job\'s links asked once');
});

test('a diamond and a cycle end, each job once; a job with no links is its own graph', () => {
  const diamond = walk({ b1: ['a'], b2: ['a'], d: ['b1', 'b2'] }, 'd');
  assert.deepEqual([...diamond.result.parents], [['d', ['b1', 'b2']], ['b1', ['a']], ['b2', ['a']], ['a', []]]);
  const cycle = walk({ a: ['c'], b: ['a'], c: ['b'] }, 'a');
  assert.deepEqual([...cycle.result.parents], [['a', ['c']], ['c', ['b']], ['b', ['a']]]);
  assert.deepEqual(cycle.asked, ['a', 'c', 'b']);
  assert.deepEqual(walk({}, 'alone').result, { parents: new Map([['alone', []]]), truncated: false });
});

/** A line of `length` jobs, j0 the parent of j1 and so on. */
function line(length: number): { links: Links; ids: string[] } {
  const ids = Array.from({ length }, (_, i) => `j${i}`);
  return { links: Object.fromEntries(ids.slice(1).map((id, i) => [id, [ids[i]!]])), ids };
}

test(`a graph of more than ${MAX_GRAPH_JOBS} jobs is cut there, nearest kept, and says so; one of exactly ${MAX_GRAPH_JOBS} is whole`, () => {
  const long = line(MAX_GRAPH_JOBS + 5);
  const cut = walk(long.links, 'j0');
  assert.equal(cut.result.truncated, true);
  assert.deepEqual([...cut.result.parents.keys()], long.ids.slice(0, MAX_GRAPH_JOBS));
  assert.ok(cut.asked.length <= MAX_GRAPH_JOBS, 'no links read past the cut');

  const whole = walk(line(MAX_GRAPH_JOBS).links, 'j0');
  assert.equal(whole.result.truncated, false);
  assert.equal(whole.result.parents.size, MAX_GRAPH_JOBS);
});

test(`a job with more sub-jobs than the cap keeps itself and its first ${MAX_GRAPH_JOBS - 1} sub-jobs, each read once`, () => {
  const children = Array.from({ length: MAX_GRAPH_JOBS + 20 }, (_, i) => `s${i}`);
  const star: Links = Object.fromEntries(children.map((child) => [child, ['hub']]));
  const { result, asked } = walk(star, 'hub');
  assert.equal(result.truncated, true);
  assert.deepEqual([...result.parents.keys()], ['hub', ...children.slice(0, MAX_GRAPH_JOBS - 1)]);
  assert.deepEqual(asked, ['hub', ...children.slice(0, MAX_GRAPH_JOBS - 1)]);
});
