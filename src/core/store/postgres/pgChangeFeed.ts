import type pg from 'pg';
import { Backoff } from '../../util/backoff';
import { describeError } from '../../util/errors';
import type { Logger } from '../../util/logger';
import type { RemoteChange, RemoteChangeListener } from '../remoteChange';
import { CHANGE_CHANNELS, readChangeNotice } from './pgChangeNotices';

export interface PgChangeFeedOptions {
  /**
   * Where the listening connection comes from: a pool of its own (openPgPool with one connection), so that a new one
   * after a loss is made with the same password lookup and connect timeout as the store's.
   */
  readonly pool: pg.Pool;
  /** This process's application_name: notices it sent itself are not reported (its engine knows what it wrote). */
  readonly origin: string;
  readonly log?: Logger;
  /** Delays between reconnection attempts. */
  readonly backoff?: Backoff;
}

/**
 * The LISTEN side of the live feed (pgChangeNotices.ts has the NOTIFY side): one connection held for LISTEN on the
 * Swarmscope channels, turning other processes' notices into RemoteChange callbacks. A lost connection (server
 * restart, an administrator's pg_terminate_backend, a network cut the server reports) is logged and made again with
 * backoff; once back, listeners get `{ domain: 'all' }`, since notices sent meanwhile were never delivered to us.
 */
export class PgChangeFeed {
  private readonly listeners = new Set<RemoteChangeListener>();
  private readonly backoff: Backoff;
  /** Gives the listening connection up (ended, not pooled: it still LISTENs); undefined while there is none. */
  private drop: (() => void) | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  private constructor(private readonly options: PgChangeFeedOptions) {
    this.backoff = options.backoff ?? new Backoff(500, 30_000);
  }

  /** Resolves once listening: a change committed after this is reported. Throws if the first connection fails. */
  static async start(options: PgChangeFeedOptions): Promise<PgChangeFeed> {
    const feed = new PgChangeFeed(options);
    await feed.listen();
    return feed;
  }

  /** Calls `listener` for each change another process commits; returns the unsubscribe. */
  subscribe(listener: RemoteChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops listening for good and gives the connection back (the caller ends the pool). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.drop?.();
    this.drop = undefined;
  }

  private async listen(): Promise<void> {
    const client = await this.options.pool.connect();
    let released = false;
    const release = (error?: Error) => {
      if (released) return false;
      released = true;
      if (this.drop === drop) this.drop = undefined;
      client.removeAllListeners('notification');
      client.release(error ?? true);
      return true;
    };
    const drop = () => void release();
    const onLost = (error?: Error) => {
      if (!release(error) || this.closed) return;
      this.options.log?.log('warn', `PostgreSQL change feed lost its connection (${error ? describeError(error) : 'closed by the server'}); other collectors' writes are not shown until it is back`);
      this.scheduleReconnect();
    };
    // A checked-out client has no error handler of the pool's: without ours, a terminated backend would end the process.
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (notice) => this.deliver(notice));
    try {
      await client.query(CHANGE_CHANNELS.map((channel) => `LISTEN ${channel};`).join(' '));
    } catch (error) {
      release();
      throw error;
    }
    if (this.closed) release();
    else this.drop = drop;
  }

  private scheduleReconnect(): void {
    const delay = this.backoff.next();
    this.retry = setTimeout(() => {
      this.listen().then(
        () => {
          if (this.closed) return;
          this.options.log?.log('info', `PostgreSQL change feed is back after ${this.backoff.attempts} attempt(s)`);
          this.backoff.reset();
          this.emit({ domain: 'all' });
        },
        (error) => {
          if (this.closed) return;
          this.options.log?.log('debug', `PostgreSQL change feed: reconnecting failed (${describeError(error)})`);
          this.scheduleReconnect();
        },
      );
    }, delay);
    // A feed waiting to reconnect must not keep a CLI process alive on its own.
    this.retry.unref?.();
  }

  private deliver(notice: pg.Notification): void {
    const read = readChangeNotice(notice.channel, notice.payload);
    if (!read) {
      this.options.log?.log('debug', `PostgreSQL change feed: ignored an unreadable notice on ${notice.channel}`);
      return;
    }
    if (read.from === this.options.origin) return;
    this.emit(read.change);
  }

  private emit(change: RemoteChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.options.log?.log('error', `PostgreSQL change feed: a listener failed (${describeError(error)})`);
      }
    }
  }
}
