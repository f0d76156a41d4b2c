/**
 * Drivers for the store walks (chainWalk.ts, componentWalk.ts): a walk is a generator that yields what it needs read
 * and is handed the answer, so it reads nothing itself. The sql.js adapter answers synchronously, the PostgreSQL one
 * with await; these run a walk to its end either way.
 */
export function walkSync<Q, A, R>(walk: Generator<Q, R, A>, answer: (question: Q) => A): R {
  let step = walk.next();
  while (!step.done) step = walk.next(answer(step.value));
  return step.value;
}

export async function walkAsync<Q, A, R>(walk: Generator<Q, R, A>, answer: (question: Q) => Promise<A>): Promise<R> {
  let step = walk.next();
  while (!step.done) step = walk.next(await answer(step.value));
  return step.value;
}
