import { JOB_KIND_MAX, NIP89_HANDLER_KIND, type PeopleSets } from './relayFilters';

const HEX_PUBKEY = /^[0-9a-f]{64}$/;

/** How many DVMs and users were followed at some moment (see `RelayPeople.since`). */
export interface PeopleMark {
  readonly dvms: number;
  readonly users: number;
}

export const NOBODY: PeopleMark = { dvms: 0, users: 0 };

/**
 * The pubkeys the collector's second subscription follows, learned from the raw job traffic it sees: authors of
 * results and feedback (6000–7000) or of a NIP-89 announcement with a job `k` tag are DVMs; authors of requests
 * (5000–5999) are users. Learned before verification (the engine verifies), so the sets are capped: a flood of
 * forged events can cost a few extra filter entries, never unbounded memory.
 */
export class RelayPeople {
  private readonly dvms = new Set<string>();
  private readonly users = new Set<string>();
  private version = 0;
  private overflowReported = false;

  constructor(
    private readonly capacity: number,
    private readonly onOverflow: (message: string) => void,
  ) {}

  /** Bumped whenever a set grew; the collector re-issues its people subscription when it changed. */
  get revision(): number {
    return this.version;
  }

  get size(): number {
    return this.dvms.size + this.users.size;
  }

  snapshot(): PeopleSets {
    return { dvms: [...this.dvms], users: [...this.users] };
  }

  /**
   * Everyone followed after `mark` (an earlier `mark()`), so a relay connection can backfill only the newcomers.
   * Sets iterate in insertion order and nobody is ever removed, so the newcomers are the tails.
   */
  since(mark: PeopleMark): PeopleSets {
    const { dvms, users } = this.snapshot();
    return { dvms: dvms.slice(mark.dvms), users: users.slice(mark.users) };
  }

  mark(): PeopleMark {
    return { dvms: this.dvms.size, users: this.users.size };
  }

  add(sets: { dvms?: readonly string[]; users?: readonly string[] }): void {
    for (const pubkey of sets.dvms ?? []) this.put(this.dvms, pubkey);
    for (const pubkey of sets.users ?? []) this.put(this.users, pubkey);
  }

  learn(event: unknown): void {
    if (typeof event !== 'object' || event === null) return;
    const { kind, pubkey, tags } = event as { kind?: unknown; pubkey?: unknown; tags?: unknown };
    if (typeof kind !== 'number' || typeof pubkey !== 'string') return;
    if (kind >= 5000 && kind <= 5999) this.put(this.users, pubkey);
    else if (kind >= 6000 && kind <= JOB_KIND_MAX) this.put(this.dvms, pubkey);
    else if (kind === NIP89_HANDLER_KIND && announcesJobKind(tags)) this.put(this.dvms, pubkey);
  }

  private put(set: Set<string>, pubkey: string): void {
    if (set.has(pubkey) || !HEX_PUBKEY.test(pubkey)) return;
    if (this.dvms.size + this.users.size >= this.capacity) {
      if (!this.overflowReported) {
        this.overflowReported = true;
        this.onOverflow(`following at most ${this.capacity} DVM and user pubkeys for profiles, deletions and zaps; newer ones are not followed`);
      }
      return;
    }
    set.add(pubkey);
    this.version++;
  }
}

function announcesJobKind(tags: unknown): boolean {
  if (!Array.isArray(tags)) return false;
  return tags.some((tag) => Array.isArray(tag) && tag[0] === 'k' && /^5\d{3}$/.test(String(tag[1])));
}
