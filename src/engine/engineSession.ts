import type { EngineMethod, EngineOwnerInfo, EngineStartParams, ParamsOf, ResultOf } from '../protocol/engineProtocol';
import type { EngineOptions } from './engine';
import { EngineConnection } from './engineConnection';
import { openEngine, type OwnedEngine } from './ownedEngine';

/** What a command needs of an engine: to ask it something. An in-process Engine is one too. */
export interface EngineCaller {
  call<M extends EngineMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
}

export interface EngineSessionOptions extends EngineOptions {
  /** Called when the session uses another process's engine (at the start, or after a hand-over). */
  readonly onJoin?: (owner: EngineOwnerInfo) => void;
}

/** Times one call is re-sent after its engine went away before answering; each time a new owner had to be found. */
const MAX_RESENDS = 5;

/**
 * Methods that only read the database. Any other method is taken as a write (the safe side: a method missing here
 * costs one needless flush of the owner's database, never an unflushed answer).
 */
const READ_METHODS: ReadonlySet<string> = new Set([
  'engine.status', 'engine.pins', 'nostr.metrics', 'nostr.dvms', 'nostr.dvm', 'nostr.kinds', 'nostr.kind', 'nostr.trace',
  'nostr.recentJobs', 'nostr.event', 'nostr.series', 'nostr.dvmAnnouncement', 'bittensor.metagraph', 'bittensor.neurons',
  'bittensor.hotkeys', 'bittensor.churn', 'bittensor.groups', 'bittensor.groupSeries', 'bittensor.groupMembers',
  'bittensor.churnHistory', 'bittensor.traces', 'bittensor.frames', 'bittensor.metagraphDiff', 'bittensor.status',
]);

/**
 * The engine for one CLI command: its own, in-process, if it can take the database; else the owner's, over the
 * database's socket. If that owner goes away mid-command (its window closed, its `ingest` finished), the call it did
 * not answer is sent again to whichever engine owns the database next (this one, if it takes the lock). Every
 * method the CLI sends is safe to send twice: ingest and pins de-duplicate, reads read, a publish re-sends the same
 * signed event.
 */
export class EngineSession implements EngineCaller {
  private target: Promise<{ owned: OwnedEngine } | { connection: EngineConnection }> | undefined;
  private closed = false;
  /** True once a method that may write was sent: its answer is on disk only after a flush. */
  wrote = false;

  private constructor(private readonly params: EngineStartParams, private readonly options: EngineSessionOptions) {}

  /** Opens the database's engine or joins its owner; `owned` says which (the in-process engine, if ours). */
  static async open(params: EngineStartParams, options: EngineSessionOptions): Promise<{ session: EngineSession; owned: OwnedEngine | undefined }> {
    const session = new EngineSession(params, options);
    const target = await session.connect();
    return { session, owned: 'owned' in target ? target.owned : undefined };
  }

  async call<M extends EngineMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    if (!READ_METHODS.has(method)) this.wrote = true;
    for (let resend = 0; ; resend++) {
      const target = await this.connect();
      if ('owned' in target) return target.owned.engine.call(method, params);
      try {
        return await target.connection.request(method, params);
      } catch (error) {
        // An error the owner answered is the answer; only a connection that broke first is a reason to ask again.
        if (!target.connection.closed || resend >= MAX_RESENDS) throw error;
        this.target = undefined;
      }
    }
  }

  /** Closes our own engine (flushing it and handing the database on) or our connection to the owner's. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const target = await this.target?.catch(() => undefined);
    if (!target) return;
    if ('owned' in target) await target.owned.close();
    else target.connection.close();
  }

  private connect(): Promise<{ owned: OwnedEngine } | { connection: EngineConnection }> {
    if (this.closed) return Promise.reject(new Error('the engine session is closed'));
    this.target ??= this.findEngine();
    return this.target;
  }

  private async findEngine(): Promise<{ owned: OwnedEngine } | { connection: EngineConnection }> {
    for (let attempt = 0; ; attempt++) {
      const opened = await openEngine(this.params, this.options);
      if (opened.role === 'owner') return { owned: opened.engine };
      try {
        const connection = await EngineConnection.connect(opened.owner, { onNotification: () => undefined, log: this.options.log });
        this.options.onJoin?.(opened.owner);
        return { connection };
      } catch (error) {
        // The owner is letting go of the database (or just took it and is not listening yet): look again shortly.
        if (attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(500, 20 * 2 ** attempt)));
      }
    }
  }
}
