/**
 * A panel's re-read of the engine: reads never overlap, and a change announced during one is read after it, once
 * however many arrived (the store may have moved on while the last read was in flight).
 */
export class SerialRead {
  private reading = false;
  private again = false;

  constructor(
    private readonly readOnce: () => Promise<void>,
    private readonly stopped: () => boolean,
  ) {}

  async run(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.again = false;
        await this.readOnce();
      } while (this.again && !this.stopped());
    } finally {
      this.reading = false;
    }
  }
}
