/**
 * Groups one relay's raw events into batches for the engine (one verify-and-store transaction per batch is far
 * cheaper than one per event), and tells the owner the newest `created_at` it actually delivered, so the relay's
 * cursor never moves past an event the engine did not get.
 */
export interface RelayEventBatcherOptions {
  readonly flushMs: number;
  readonly maxBatch: number;
  /**
   * Hands a batch over; throwing means the batch was not delivered. A promise is delivery still under way: the
   * batch counts as delivered when it resolves and as failed when it rejects (each batch is reported once).
   */
  readonly deliver: (events: readonly unknown[]) => void | Promise<unknown>;
  /** After a delivered batch: the newest created_at in it (undefined if none carried a number). */
  readonly delivered: (newestCreatedAt: number | undefined, count: number) => void;
  readonly failed: (error: unknown, count: number) => void;
}

export class RelayEventBatcher {
  private buffer: unknown[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RelayEventBatcherOptions) {}

  get pending(): number {
    return this.buffer.length;
  }

  push(event: unknown): void {
    this.buffer.push(event);
    if (this.buffer.length >= this.options.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.flushMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    let delivery: void | Promise<unknown>;
    try {
      delivery = this.options.deliver(batch);
    } catch (error) {
      this.options.failed(error, batch.length);
      return;
    }
    if (delivery === undefined) {
      this.options.delivered(newestCreatedAt(batch), batch.length);
      return;
    }
    delivery.then(
      () => this.options.delivered(newestCreatedAt(batch), batch.length),
      (error: unknown) => this.options.failed(error, batch.length),
    );
  }

  dispose(): void {
    this.flush();
  }
}

function newestCreatedAt(events: readonly unknown[]): number | undefined {
  let newest: number | undefined;
  for (const event of events) {
    const createdAt = (event as { created_at?: unknown }).created_at;
    if (typeof createdAt === 'number' && Number.isFinite(createdAt) && (newest === undefined || createdAt > newest)) newest = createdAt;
  }
  return newest;
}
