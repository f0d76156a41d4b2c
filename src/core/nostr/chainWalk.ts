import type { ChainLink } from './traceTypes';
import { kindName } from './kindRegistry';
import { MAX_CHAIN_DEPTH } from './traceRows';

export type ChainDirection = 'parents' | 'children';

/** What the walk needs read next: a job's sub-job links one way, or a job's kind. */
export type ChainQuestion =
  | { readonly ask: 'neighbours'; readonly id: string; readonly direction: ChainDirection }
  | { readonly ask: 'kind'; readonly id: string };

/** The answer to a question: for 'neighbours', the linked request ids; for 'kind', the job's kind (null: not seen). */
export type ChainAnswer = readonly string[] | number | null;

export type ChainWalk = Generator<ChainQuestion, ChainLink[], ChainAnswer>;

/**
 * A job's chain one way (its parents' parents, or its children's children), breadth first up to MAX_CHAIN_DEPTH,
 * each job once, with its depth and the job it was reached through. The walk reads nothing itself: it yields what
 * it needs and is handed the answer, so the sql.js adapter drives it synchronously and the PostgreSQL adapter with
 * await, and both walk the same way.
 */
export function* chainWalk(start: string, direction: ChainDirection, names: ReadonlyMap<number, string>): ChainWalk {
  const links: ChainLink[] = [];
  const seen = new Set([start]);
  let frontier = [start];
  for (let depth = 1; depth <= MAX_CHAIN_DEPTH && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const from of frontier) {
      // Each question has one answer type (ChainAnswer); the casts name which.
      const linked = (yield { ask: 'neighbours', id: from, direction }) as readonly string[];
      for (const id of linked) {
        if (seen.has(id)) continue;
        seen.add(id);
        next.push(id);
        const kind = (yield { ask: 'kind', id }) as number | null;
        links.push({ requestId: id, kind, kindName: kind === null ? 'not seen' : kindName(kind, names).name, depth, via: from });
      }
    }
    frontier = next;
  }
  return links;
}
