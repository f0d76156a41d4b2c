import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chainWalk, type ChainAnswer, type ChainDirection, type ChainQuestion } from '../../src/core/nostr/chainWalk';
import { MAX_CHAIN_DEPTH } from '../../src/core/nostr/traceRows';
import type { ChainLink } from '../../src/core/nostr/traceTypes';

/**
 * The chain walk both stores drive (sqliteTraceQuery.ts synchronously, pgTrace.ts with await), answered here from
 * sub-job links in memory: what it returns, and that it asks each job's kind once, for jobs it keeps only.
 */

/** child → its parent jobs (what `i` tags of type job link). */
type Links = Readonly<Record<string, readonly string[]>>;

function walk(links: Links, kinds: Readonly<Record<string, number>>, start: string, direction: ChainDirection): { result: ChainLink[]; asked: ChainQuestion[] } {
  const parentsOf = (id: string) => links[id] ?? [];
  const childrenOf = (id: string) => Object.keys(links).filter((child) => links[child]!.includes(id));
  const asked: ChainQuestion[] = [];
  const answer = (question: ChainQuestion): ChainAnswer => {
    asked.push(question);
    if (question.ask === 'kind') return kinds[question.id] ?? null;
    return question.direction === 'parents' ? parentsOf(question.id) : childrenOf(question.id);
  };
  const steps = chainWalk(start, direction, new Map([[5999, 'my kind']]));
  let step = steps.next();
  while (!step.done) step = steps.next(answer(step.value));
  return { result: step.value, asked };
}

const pick = (links: ChainLink[]) => links.map(({ requestId, depth, via, kindName }) => [requestId, depth, via, kindName]);

test('a diamond: every job once, at its nearest depth, through the first job that reached it', () => {
  const links: Links = { b1: ['a'], b2: ['a'], d: ['b1', 'b2'], e: ['d'] };
  const kinds = { a: 5000, b1: 5001, b2: 5002, d: 5999, e: 5004 };
  assert.deepEqual(pick(walk(links, kinds, 'a', 'children').result), [
    ['b1', 1, 'a', 'summarization'], ['b2', 1, 'a', 'translation'], ['d', 2, 'b1', 'my kind'], ['e', 3, 'd', 'kind 5004'],
  ]);
  assert.deepEqual(pick(walk(links, kinds, 'e', 'parents').result), [
    ['d', 1, 'e', 'my kind'], ['b1', 2, 'd', 'summarization'], ['b2', 2, 'd', 'translation'], ['a', 3, 'b1', 'text extraction'],
  ]);
});

test('a job whose request was never seen is named so; a cycle ends; the start is never its own link', () => {
  const { result, asked } = walk({ a: ['c', 'unseen'], b: ['a'], c: ['b'] }, { a: 5000, b: 5001, c: 5002 }, 'a', 'parents');
  assert.deepEqual(pick(result), [['c', 1, 'a', 'translation'], ['unseen', 1, 'a', 'not seen'], ['b', 2, 'c', 'summarization']]);
  assert.deepEqual(asked.filter((question) => question.ask === 'kind').map(({ id }) => id), ['c', 'unseen', 'b'], 'a kind read once per kept job');
});

test(`a line longer than ${MAX_CHAIN_DEPTH} jobs is cut at that depth, nearest first`, () => {
  const ids = Array.from({ length: MAX_CHAIN_DEPTH + 5 }, (_, i) => `j${i}`);
  const links: Links = Object.fromEntries(ids.slice(1).map((id, i) => [id, [ids[i]!]]));
  const { result, asked } = walk(links, {}, ids.at(-1)!, 'parents');
  assert.deepEqual(result.map((link) => link.depth), Array.from({ length: MAX_CHAIN_DEPTH }, (_, i) => i + 1));
  assert.equal(result.at(-1)!.requestId, ids.at(-1 - MAX_CHAIN_DEPTH));
  assert.equal(asked.filter((question) => question.ask === 'neighbours').length, MAX_CHAIN_DEPTH, 'no links read past the cut');
});
