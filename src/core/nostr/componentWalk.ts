import { MAX_GRAPH_JOBS } from './traceRows';

/** A job's direct sub-job links: the jobs it was asked as part of, and the jobs asked as part of it. */
export interface JobLinks {
  readonly parents: readonly string[];
  readonly children: readonly string[];
}

/** The jobs a trace graph shows, in walk order (nearest first), each with its direct parents; `truncated`: cut at MAX_GRAPH_JOBS. */
export interface TraceComponent {
  readonly parents: Map<string, string[]>;
  readonly truncated: boolean;
}

/** Yields the id of the job whose links it needs next, and is handed them. */
export type ComponentWalk = Generator<string, TraceComponent, JobLinks>;

/**
 * Every job linked to `start` through sub-job links, in both directions and at any depth (a sibling sub-job of a
 * shared parent included), with each job's direct parents. Breadth first from `start`, so a cut keeps the nearest;
 * each job's links are asked once. Like chainWalk, it reads nothing itself, so the sql.js adapter drives it
 * synchronously and the PostgreSQL adapter with await, and both walk the same graph the same way.
 */
export function* componentWalk(start: string): ComponentWalk {
  const parents = new Map<string, string[]>();
  const queue = [start];
  const seen = new Set(queue);
  let truncated = false;
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    const links = yield id;
    parents.set(id, [...links.parents]);
    for (const next of [...links.parents, ...links.children]) {
      if (seen.has(next)) continue;
      // At the cap no job is added, but the jobs already found are still read: a job with more sub-jobs than the
      // cap keeps the first of them, not only itself.
      if (seen.size >= MAX_GRAPH_JOBS) {
        truncated = true;
        continue;
      }
      seen.add(next);
      queue.push(next);
    }
  }
  return { parents, truncated };
}
