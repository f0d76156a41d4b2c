import type { ApiPromise, WsProvider } from '@polkadot/api';
import { Backoff } from '../util/backoff';
import { describeError } from '../util/errors';
import type { Logger } from '../util/logger';
import {
  BlockOutOfRangeError, describeChainError, InconsistentNodeError, isStateDiscarded, NotConnectedError, StateDiscardedError, withTimeout,
} from './chainErrors';
import { runtimeTypesFromMetadata, type MetadataLike } from './runtimeTypes';
import type { RuntimeTypes } from './scale/portableTypes';
import { fromHex } from './scale/scaleEncoder';

/**
 * One subtensor endpoint over @polkadot/api's WsProvider. @polkadot/api is loaded on the first `connect` only
 * (it is ~1 MB of code): importing this file costs nothing. The provider's own fixed-delay reconnect is off; a
 * lost connection is rebuilt here with bounded exponential backoff, and the status says what is going on meanwhile.
 */

export type ChainState = 'idle' | 'connecting' | 'connected' | 'retrying' | 'stopped';

export interface ChainStatus {
  readonly endpoint: string;
  readonly state: ChainState;
  readonly headBlock: number | null;
  readonly headHash: string | null;
  readonly specVersion: number | null;
  /** The hash of block 0, which names the chain (finney, a testnet, a local node); known once connected. */
  readonly genesisHash: string | null;
  readonly lastError: string | null;
  readonly retryInMs: number | null;
}

export interface ChainClientOptions {
  readonly endpoint: string;
  readonly log: Logger;
  readonly connectTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly backoff?: Backoff;
  /** Follow new heads (the collector); one-shot CLI reads leave it off. */
  readonly followHeads?: boolean;
  readonly onStatus?: (status: ChainStatus) => void;
  readonly onHead?: (block: number, hash: string) => void;
}

type PolkadotApi = typeof import('@polkadot/api');
let polkadot: Promise<PolkadotApi> | undefined;

/** The one place @polkadot/api is loaded. */
function loadPolkadot(): Promise<PolkadotApi> {
  polkadot ??= import('@polkadot/api');
  return polkadot;
}

export class ChainClient {
  private api: ApiPromise | undefined;
  private provider: WsProvider | undefined;
  private connecting: Promise<ApiPromise> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private unsubscribeHeads: (() => void) | undefined;
  private readonly backoff: Backoff;
  private readonly runtimeCache = new Map<number, RuntimeTypes>();
  private readonly waiters = new Set<() => void>();
  private stopped = false;
  private current: ChainStatus;

  constructor(private readonly options: ChainClientOptions) {
    this.backoff = options.backoff ?? new Backoff(1_000, 60_000);
    this.current = { endpoint: options.endpoint, state: 'idle', headBlock: null, headHash: null, specVersion: null, genesisHash: null, lastError: null, retryInMs: null };
  }

  get endpoint(): string {
    return this.options.endpoint;
  }

  status(): ChainStatus {
    return this.current;
  }

  /** Connects (once; concurrent callers share the attempt). Rejects on failure, and keeps retrying in the background. */
  connect(): Promise<ApiPromise> {
    if (this.stopped) return Promise.reject(new NotConnectedError(`the chain client for ${this.endpoint} is stopped`));
    if (this.api) return Promise.resolve(this.api);
    this.connecting ??= this.attempt().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** The connected API, waiting up to the connect timeout for a reconnect in progress. */
  async ready(): Promise<ApiPromise> {
    if (this.api) return this.api;
    if (this.current.state === 'retrying') {
      const timeoutMs = this.options.connectTimeoutMs ?? 15_000;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        this.waiters.add(done);
      });
      if (this.api) return this.api;
      throw new NotConnectedError(`not connected to ${this.endpoint}: ${this.current.lastError ?? 'reconnecting'}`);
    }
    return this.connect();
  }

  private async attempt(): Promise<ApiPromise> {
    this.setStatus({ state: 'connecting', retryInMs: null });
    const { ApiPromise, WsProvider } = await loadPolkadot();
    const provider = new WsProvider(this.endpoint, false, {}, this.options.requestTimeoutMs ?? 60_000);
    this.provider = provider;
    // Without listeners, provider errors would surface as unhandled events.
    provider.on('error', (error: unknown) => this.setStatus({ lastError: `connection error: ${describeChainError(error)}` }));
    try {
      await provider.connect();
      const api = await withTimeout(
        ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true }),
        this.options.connectTimeoutMs ?? 15_000,
        `connecting to ${this.endpoint}`,
      );
      if (this.stopped) {
        await api.disconnect().catch(() => undefined);
        throw new NotConnectedError('stopped while connecting');
      }
      this.api = api;
      this.backoff.reset();
      provider.on('disconnected', () => this.onDisconnected(provider));
      this.setStatus({ state: 'connected', lastError: null, specVersion: api.runtimeVersion.specVersion.toNumber(), genesisHash: api.genesisHash.toHex() });
      this.options.log.log('info', `bittensor: connected to ${this.endpoint} (spec ${this.current.specVersion})`);
      if (this.options.followHeads) await this.followHeads(api);
      else await this.readHead(api);
      for (const wake of [...this.waiters]) wake();
      return api;
    } catch (error) {
      await provider.disconnect().catch(() => undefined);
      if (this.provider === provider) this.provider = undefined;
      const message = describeChainError(error);
      this.options.log.log('warn', `bittensor: cannot connect to ${this.endpoint}: ${message}`);
      this.scheduleRetry(message);
      throw new NotConnectedError(`cannot connect to ${this.endpoint}: ${message}`);
    }
  }

  private async readHead(api: ApiPromise): Promise<void> {
    const header = await withTimeout(api.rpc.chain.getHeader(), this.options.requestTimeoutMs ?? 60_000, 'chain_getHeader');
    this.setStatus({ headBlock: header.number.toNumber(), headHash: header.hash.toHex() });
  }

  private async followHeads(api: ApiPromise): Promise<void> {
    const unsubscribe = await api.rpc.chain.subscribeNewHeads((header) => {
      const block = header.number.toNumber();
      const hash = header.hash.toHex();
      this.setStatus({ headBlock: block, headHash: hash });
      this.options.onHead?.(block, hash);
    });
    this.unsubscribeHeads = unsubscribe;
  }

  private onDisconnected(provider: WsProvider): void {
    if (provider !== this.provider || this.stopped) return;
    const api = this.api;
    this.api = undefined;
    this.provider = undefined;
    this.unsubscribeHeads = undefined;
    api?.disconnect().catch(() => undefined);
    this.options.log.log('warn', `bittensor: lost the connection to ${this.endpoint}`);
    this.scheduleRetry(`connection to ${this.endpoint} lost`);
  }

  private scheduleRetry(reason: string): void {
    if (this.stopped || this.retryTimer) return;
    const delay = this.backoff.next();
    this.setStatus({ state: 'retrying', lastError: reason, retryInMs: delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().catch(() => undefined);
    }, delay);
  }

  private setStatus(change: Partial<ChainStatus>): void {
    this.current = { ...this.current, ...change };
    this.options.onStatus?.(this.current);
  }

  /** A raw JSON-RPC call with the request timeout, state-discarded errors turned into a clear message. */
  async rpc<T>(method: string, params: unknown[], block?: number | string): Promise<T> {
    await this.ready();
    const provider = this.provider;
    if (!provider) throw new NotConnectedError(`not connected to ${this.endpoint}: ${this.current.lastError ?? 'disconnected'}`);
    try {
      // The provider directly: the answer is raw hex (decoded here), with none of @polkadot/api's codec work.
      return await withTimeout(provider.send<T>(method, params), this.options.requestTimeoutMs ?? 60_000, method);
    } catch (error) {
      if (isStateDiscarded(error)) throw new StateDiscardedError(this.endpoint, block ?? String(params.at(-1)), describeError(error));
      throw error;
    }
  }

  /** `state_call` of a runtime API; the answer's raw bytes. */
  async stateCall(name: string, argsHex: string, blockHash: string, block?: number): Promise<Uint8Array> {
    const hex = await this.rpc<string>('state_call', [name, argsHex, blockHash], block ?? blockHash);
    return fromHex(hex);
  }

  /**
   * The hash of a past block. A number the chain cannot have (negative, beyond the head) is refused before the node
   * is asked, and the hash the node names must have a header with that very number: a node that answers the head's
   * hash for any number would otherwise have us store head data labelled with another block.
   */
  async blockHash(block: number): Promise<string> {
    if (!Number.isSafeInteger(block) || block < 0) throw new BlockOutOfRangeError(`block ${block} is not a block number (an integer, 0 or more)`);
    const known = this.current.headBlock;
    // The cached head is enough to accept a block; only a refusal is worth asking the node for its newest head.
    const head = known !== null && block <= known ? known : (await this.head()).block;
    if (block > head) throw new BlockOutOfRangeError(`block ${block} is in the future: the head of ${this.endpoint} is block ${head}`);
    const hash = await this.rpc<string | null>('chain_getBlockHash', [block], block);
    if (!hash || /^0x0+$/.test(hash)) throw new Error(`${this.endpoint} does not know block ${block} (the head is ${head})`);
    const numbered = await this.headerNumber(hash);
    if (numbered !== block) {
      throw new InconsistentNodeError(`${this.endpoint} answered the hash of block ${block} with ${hash}, whose header is block ${numbered}; nothing was read at it`);
    }
    return hash;
  }

  /** The head as the node sees it now: its hash first, then the number from that block's own header (one block, by construction). */
  async head(): Promise<{ block: number; hash: string }> {
    const hash = await this.rpc<string | null>('chain_getBlockHash', []);
    if (!hash) throw new InconsistentNodeError(`${this.endpoint} named no head block`);
    const block = await this.headerNumber(hash);
    if (this.current.headBlock === null || block >= this.current.headBlock) this.setStatus({ headBlock: block, headHash: hash });
    return { block, hash };
  }

  private async headerNumber(hash: string): Promise<number> {
    const header = await this.rpc<{ number?: unknown } | null>('chain_getHeader', [hash], hash);
    const number = typeof header?.number === 'string' ? Number.parseInt(header.number, 16) : Number.NaN;
    if (!Number.isSafeInteger(number)) throw new InconsistentNodeError(`${this.endpoint} named block hash ${hash} but has no header for it`);
    return number;
  }

  /** The portable types and runtime APIs of the runtime that produced `blockHash` (cached per spec version). */
  async runtimeTypesAt(blockHash: string, block?: number): Promise<RuntimeTypes> {
    const api = await this.ready();
    try {
      const decorated = await withTimeout(api.at(blockHash), this.options.requestTimeoutMs ?? 60_000, `runtime at ${blockHash}`);
      const specVersion = decorated.runtimeVersion.specVersion.toNumber();
      let runtime = this.runtimeCache.get(specVersion);
      if (!runtime) {
        runtime = runtimeTypesFromMetadata(decorated.registry.metadata as unknown as MetadataLike, specVersion);
        this.runtimeCache.set(specVersion, runtime);
      }
      return runtime;
    } catch (error) {
      if (isStateDiscarded(error)) throw new StateDiscardedError(this.endpoint, block ?? blockHash, describeError(error));
      throw error;
    }
  }

  async dispose(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    for (const wake of [...this.waiters]) wake();
    try {
      this.unsubscribeHeads?.();
    } catch {
      /* the connection may already be gone */
    }
    const api = this.api;
    const provider = this.provider;
    this.api = undefined;
    this.provider = undefined;
    if (this.connecting) await this.connecting.catch(() => undefined);
    if (api) await api.disconnect().catch(() => undefined);
    else if (provider) await provider.disconnect().catch(() => undefined);
    this.setStatus({ state: 'stopped', retryInMs: null });
  }
}
