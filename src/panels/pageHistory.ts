/**
 * Back / Forward over the pages one panel visited, like a browser's: visiting a page drops what was ahead of the
 * current one; visiting the page already shown changes nothing. Bounded, so a long click-through keeps the newest
 * `limit` pages. No vscode, so it is unit-tested in plain Node.
 */
export class PageHistory<T> {
  private readonly entries: T[];
  private index = 0;

  constructor(
    first: T,
    private readonly same: (a: T, b: T) => boolean,
    private readonly limit = 50,
  ) {
    this.entries = [first];
  }

  get current(): T {
    return this.entries[this.index];
  }

  get canBack(): boolean {
    return this.index > 0;
  }

  get canForward(): boolean {
    return this.index < this.entries.length - 1;
  }

  /** Returns whether the current page changed. */
  visit(entry: T): boolean {
    if (this.same(entry, this.current)) return false;
    this.entries.splice(this.index + 1, this.entries.length, entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    this.index = this.entries.length - 1;
    return true;
  }

  back(): boolean {
    if (!this.canBack) return false;
    this.index--;
    return true;
  }

  forward(): boolean {
    if (!this.canForward) return false;
    this.index++;
    return true;
  }
}
