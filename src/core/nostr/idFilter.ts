/**
 * A set of event ids kept as numbers (their first 48 bits): ~20 bytes an entry instead of a 64-char string.
 * May answer "maybe" for an id it never saw (two ids sharing 48 bits), never "no" for one it did: a cheap
 * "is a database lookup needed at all?" test on the ingest path.
 */
export class IdFilter {
  private readonly prefixes = new Set<number>();

  add(hexId: string): void {
    this.prefixes.add(prefixOf(hexId));
  }

  /** Adds the hex text of an id's first 6 bytes (SQL: `hex(substr(id, 1, 6))`). */
  addPrefixHex(hex: string): void {
    this.prefixes.add(Number.parseInt(hex, 16));
  }

  mayHave(hexId: string): boolean {
    return this.prefixes.has(prefixOf(hexId));
  }

  get size(): number {
    return this.prefixes.size;
  }
}

function prefixOf(hexId: string): number {
  return Number.parseInt(hexId.slice(0, 12), 16);
}
