import type { ChainStore, SubnetStore } from '../core/bittensor/bittensorStore';
import type { ChainClient } from '../core/bittensor/chainClient';
import type { ChainReader } from '../core/bittensor/chainReader';
import type { SubnetSummary } from '../core/bittensor/model';
import { describeError } from '../core/util/errors';
import type { SubnetListStatus } from '../protocol/bittensorProtocol';
import type { EngineContext } from './engineModule';

export interface SubnetListingOptions {
  readonly context: EngineContext;
  readonly subnets: SubnetStore;
  readonly chain: ChainStore;
  /** The main endpoint's client; throws when the chain must not be read (a refused setting). */
  readonly client: () => ChainClient;
  /** The main client if one exists now (for the head block, without connecting). */
  readonly existingClient: () => ChainClient | undefined;
  readonly reader: (client: ChainClient) => ChainReader;
  /** Why the chain must not be read now, or undefined. */
  readonly refusal: () => string | undefined;
  /** Stores a snapshot of a tracked subnet (the fallback when the node cannot list subnets). */
  readonly takeSnapshot: (netuid: number) => Promise<unknown>;
}

/**
 * The Subnets view's list: the chain's subnet list (when the node can give it) merged with stored snapshots, and how
 * the newest read went, so that the view says when it failed or was partial instead of showing old rows as news.
 */
export class SubnetListing {
  /** Asked at least once (some nodes cannot answer; do not ask on every read). */
  private tried = false;
  private last: Pick<SubnetListStatus, 'outcome' | 'endpoint' | 'problems' | 'at'> = { outcome: 'not-read', endpoint: null, problems: [], at: null };

  constructor(private readonly options: SubnetListingOptions) {}

  /**
   * Answers from the store at once: a tree must never wait on a slow or dead node. The first call starts loading
   * the listing in the background and notifies `bittensor.changed` when it lands; an explicit refresh waits for
   * the chain, so that the command's progress and outcome reflect the real one.
   */
  async list(refresh: boolean): Promise<SubnetSummary[]> {
    const { context, subnets } = this.options;
    const tracked = context.settings().trackedSubnets;
    if (refresh) await this.load(tracked);
    // `tried` is asked again after the read: another list() may have started the load meanwhile.
    else if (!this.tried && this.options.refusal() === undefined && (await subnets.listing()).length === 0 && !this.tried) {
      this.load(tracked).then(
        () => context.notify({ topic: 'bittensor.changed', payload: { netuids: [...tracked] } }),
        (error) => context.log.log('warn', `bittensor: could not list subnets: ${describeError(error)}`),
      );
    }
    const summaries = await subnets.summaries(tracked, this.options.existingClient()?.status().headBlock ?? null);
    if (refresh) context.notify({ topic: 'bittensor.changed', payload: { netuids: summaries.map((s) => s.netuid) } });
    return summaries;
  }

  async status(): Promise<SubnetListStatus> {
    const { chain } = this.options;
    const { subnets, chains } = await chain.elsewhere();
    return { ...this.last, genesis: await chain.current(), otherChains: { subnets, genesis: chains } };
  }

  /** The endpoint now names another node or chain: what was read from the old one says nothing about it. */
  reset(endpoint: string | null): void {
    this.tried = false;
    this.last = { outcome: 'not-read', endpoint, problems: [], at: null };
  }

  private async load(tracked: readonly number[]): Promise<void> {
    const { context } = this.options;
    this.tried = true;
    const endpoint = context.settings().subtensorEndpoint;
    const at = () => Math.floor(Date.now() / 1000);
    try {
      const client = this.options.client();
      const { block, listings, problems } = await this.options.reader(client).subnets();
      await this.options.subnets.replaceListing(listings, block, client.status().genesisHash);
      context.storage.markDirty();
      this.last = { outcome: problems.length > 0 ? 'partial' : 'complete', endpoint, problems, at: at() };
    } catch (error) {
      // Some endpoints (and the replay node) cannot list subnets; tracked subnets still come from snapshots.
      context.log.log('warn', `bittensor: ${describeError(error)}`);
      this.last = { outcome: 'failed', endpoint, problems: [describeError(error)], at: at() };
      for (const netuid of tracked) {
        if ((await this.options.chain.latestBlock(netuid)) === null) await this.options.takeSnapshot(netuid);
      }
    }
  }
}
