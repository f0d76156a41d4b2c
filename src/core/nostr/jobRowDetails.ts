import type { JobSummary } from './nostrTypes';
import type { People } from './peopleCache';

/** Enough of an input to tell jobs apart; the trace shows the whole request. */
const INPUT_KEPT = 200;

/** withRowDetails given each request's stored tags JSON (`tagsOf`: undefined once the raw request is gone) and the people. */
export function rowDetailsOf(jobs: readonly JobSummary[], tagsOf: (requestId: string) => unknown, people: People): JobSummary[] {
  return jobs.map((job) => {
    const tags = tagsOf(job.requestId);
    const input = typeof tags === 'string' ? inputTagOfJson(tags)?.[1].slice(0, INPUT_KEPT) : undefined;
    const name = job.customer ? people.name(job.customer) : undefined;
    return {
      ...job,
      ...(input !== undefined ? { input } : {}),
      ...(job.customer ? { customerNpub: people.npub(job.customer) } : {}),
      ...(name !== undefined ? { customerName: name } : {}),
    };
  });
}

/** The first `i` tag of tags stored as JSON; none when that JSON is damaged. */
export function inputTagOfJson(tags: string): readonly string[] | undefined {
  try {
    return inputTagOf(JSON.parse(tags));
  } catch {
    return undefined;
  }
}

/** The first `i` tag (value, type, …) of a tags array; "My jobs" shows its type too. */
export function inputTagOf(tags: unknown): readonly string[] | undefined {
  if (!Array.isArray(tags)) return undefined;
  return tags.find((candidate): candidate is string[] => Array.isArray(candidate) && candidate[0] === 'i' && typeof candidate[1] === 'string');
}
