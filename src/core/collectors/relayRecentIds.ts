/**
 * Ids a relay connection delivered recently, so that the overlap between a backfill and the live stream (and
 * between consecutive backfills) is not handed to the engine twice. Bounded: the oldest ids are forgotten first;
 * a forgotten duplicate is still caught by the engine's own de-duplication.
 */
export class RelayRecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Returns false when the id was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      // A Set iterates in insertion order: the first entry is the oldest.
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }
}
