import type { ChangeSet } from './jobAssembler';

export interface ChangePayload {
  dvms: string[];
  kinds: number[];
  jobs: string[];
}

/** More ids than this in one notification are cut; views refresh their roots when a list is full. */
const MAX_IDS = 1_000;

/**
 * Merges the change sets of ingest batches into at most one `nostr.changed` notification per interval. The first
 * change after a quiet interval goes out at once (relay → tree latency), later ones wait for the interval's end.
 */
export class ChangeCoalescer {
  private pending: { dvms: Set<string>; kinds: Set<number>; jobs: Set<string> } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastEmit = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly emit: (payload: ChangePayload) => void,
    private readonly intervalMs = 100,
  ) {}

  add(changes: ChangeSet): void {
    if (changes.dvms.size === 0 && changes.kinds.size === 0 && changes.jobs.size === 0) return;
    this.pending ??= { dvms: new Set(), kinds: new Set(), jobs: new Set() };
    for (const dvm of changes.dvms) this.pending.dvms.add(dvm);
    for (const kind of changes.kinds) this.pending.kinds.add(kind);
    for (const job of changes.jobs) this.pending.jobs.add(job);
    if (this.timer) return;
    const wait = this.lastEmit + this.intervalMs - performance.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) return;
    this.lastEmit = performance.now();
    this.emit({
      dvms: [...pending.dvms].slice(0, MAX_IDS),
      kinds: [...pending.kinds].slice(0, MAX_IDS),
      jobs: [...pending.jobs].slice(0, MAX_IDS),
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }
}
