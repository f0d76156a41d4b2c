import type { RemoteChange } from '../core/store/remoteChange';
import { BackfillCancelled, backfillBlocks, backfillEnd, runBackfill, type BackfillEnd } from '../core/bittensor/backfill';
import type { BittensorStore, SnapshotInfo } from '../core/bittensor/bittensorStore';
import type { ChainScope } from '../core/bittensor/chainGenesisScope';
import { ChainClient, type ChainStatus } from '../core/bittensor/chainClient';
import { ChainReader } from '../core/bittensor/chainReader';
import { churnBetween } from '../core/bittensor/churn';
import { groupMembers } from '../core/bittensor/groupMembers';
import { hotkeyAlerts } from '../core/bittensor/hotkeyAlerts';
import { metagraphDiff } from '../core/bittensor/metagraphDiff';
import type { MetagraphSnapshot, NeuronRow } from '../core/bittensor/model';
import { neuronPage } from '../core/bittensor/neuronPage';
import { recordSnapshot } from '../core/bittensor/snapshotRecording';
import { untoldAlerts } from '../core/bittensor/untoldAlerts';
import { chainEndpointRefusal, type Settings } from '../core/config/settings';
import { describeError } from '../core/util/errors';
import { SerialQueue } from '../core/util/serialQueue';
import type { CollectorStatus } from '../protocol/engineProtocol';
import type { ChainStatusPayload } from '../protocol/bittensorProtocol';
import type { EngineContext, EngineModule, EngineModuleFactory, Handlers } from './engineModule';
import { refuseIfReadOnly } from './readOnlyStore';
import { SubnetListing } from './subnetListing';
import { weightsHandlers } from './weightsHandlers';

/**
 * The Bittensor domain of the engine: a chain client per endpoint (created on first use, so that @polkadot/api
 * loads only when the chain is needed), snapshots of the tracked subnets on new heads, the stored history and its
 * derived figures, and alerts on pinned ('hotkey') keys.
 */
export const bittensorModule: EngineModuleFactory = {
  name: 'bittensor',
  create: (context) => new BittensorModule(context),
};

class BittensorModule implements EngineModule {
  /** Everything stored; the module never holds a database handle. */
  private readonly data: BittensorStore;
  private client: ChainClient | undefined;
  private archive: ChainClient | undefined;
  private readonly readers = new WeakMap<ChainClient, ChainReader>();
  private collecting = false;
  private snapshotting = false;
  private readonly backfills = new Map<number, AbortController>();
  /** Each running backfill's progress, and each subnet's last ended one: what a panel shown again asks for, having missed the notifications. */
  private readonly backfillProgress = new Map<number, { done: number; total: number; block: number | null }>();
  private readonly backfillEnds = new Map<number, BackfillEnd>();
  /** Ongoing conditions announced by an earlier engine, already logged once by this one. */
  private readonly loggedOngoing = new Set<string>();
  /** Endpoint and chain pairs a read-only store could not record, already logged. */
  private readonly unrecordedChains = new Set<string>();
  private readonly listing: SubnetListing;
  /** Chain status changes are handled one after another: a newer status must not overtake the chain switch of an older one. */
  private readonly statusQueue = new SerialQueue();
  readonly handlers: Handlers;

  constructor(private readonly context: EngineContext) {
    this.data = context.storage.openBittensor();
    const { snapshots, chain, history } = this.data;
    this.listing = new SubnetListing({
      context, subnets: this.data.subnets, chain, client: () => this.mainClient(), existingClient: () => this.client,
      reader: (client) => this.reader(client),
      // On a store that may only be read the listing is the team collector's: reading it from the chain could not be kept.
      refusal: () => this.refusal() ?? context.storage.readOnlyReason, takeSnapshot: (netuid) => this.takeSnapshot(netuid),
    });
    this.handlers = {
      'bittensor.subnets': ({ refresh }) => {
        if (refresh) refuseIfReadOnly(context.storage, 'updating the subnet list');
        return this.listing.list(refresh ?? false);
      },
      'bittensor.listStatus': () => this.listing.status(),
      'bittensor.snapshot': ({ netuid, block }) => {
        refuseIfReadOnly(context.storage, 'a snapshot');
        return this.takeSnapshot(netuid, block);
      },
      'bittensor.metagraph': async ({ netuid, block }) => {
        const info = await snapshots.find(netuid, block, await chain.scope());
        return info ? snapshots.read(info) : null;
      },
      'bittensor.neurons': async ({ netuid, group, sort, limit, filter }) => {
        const info = await this.newestOnChain(netuid, await chain.scope());
        return info ? neuronPage(await snapshots.read(info), { group, sort, limit, filter }) : null;
      },
      'bittensor.hotkeys': async ({ hotkeys }) => {
        const found: { netuid: number; block: number; neuron: NeuronRow }[] = [];
        const scope = await chain.scope();
        for (const netuid of await chain.netuids()) {
          const info = await this.newestOnChain(netuid, scope);
          if (!info) continue;
          found.push(...(await snapshots.read(info, hotkeys)).neurons.map((neuron) => ({ netuid, block: info.block, neuron })));
        }
        return found;
      },
      'bittensor.churn': async ({ netuid }) => {
        const [current, previous] = await snapshots.latestTwo(netuid, await chain.scope());
        if (!current || !previous) return null;
        return churnBetween(await snapshots.read(previous), await snapshots.read(current));
      },
      'bittensor.groups': ({ netuid, by, limit, offset, historyLimit, ...range }) => history.groups(netuid, by, range, { limit, offset, historyLimit }),
      'bittensor.groupSeries': ({ netuid, by, keys, top, maxPoints, ...range }) =>
        history.groupSeries(netuid, by, { keys, top }, range, maxPoints),
      'bittensor.groupMembers': async ({ netuid, by, key, block }) => {
        const info = await snapshots.find(netuid, block, await chain.scope());
        return info ? groupMembers(await snapshots.read(info), by, key) : null;
      },
      'bittensor.overview': async ({ netuid, readHead, ...range }) => {
        const head = readHead ? (await this.mainClient().head()).block : this.client?.status().headBlock ?? null;
        return history.overview(netuid, head, range);
      },
      'bittensor.churnHistory': ({ netuid, limit, ...range }) => history.churn(netuid, range, limit),
      'bittensor.traces': ({ netuid, field, select, maxPoints, ...range }) =>
        history.traces(netuid, field, select, range, maxPoints),
      'bittensor.frames': ({ netuid, role, offset, limit, ...range }) =>
        history.frames(netuid, role, range, { offset, limit }),
      'bittensor.metagraphDiff': async ({ netuid, block }) => {
        const scope = await chain.scope();
        const info = await snapshots.find(netuid, block, scope);
        if (!info) return null;
        const previous = await snapshots.find(netuid, info.block - 1, scope);
        return metagraphDiff(previous ? await snapshots.read(previous) : null, await snapshots.read(info));
      },
      'bittensor.backfill': (params) => {
        refuseIfReadOnly(context.storage, 'a backfill of past blocks');
        return this.backfill(params);
      },
      'bittensor.cancelBackfill': ({ netuid }) => {
        let cancelled = 0;
        for (const [key, controller] of this.backfills) {
          if (netuid === undefined || key === netuid) {
            controller.abort();
            cancelled++;
          }
        }
        return { cancelled };
      },
      'bittensor.backfillStatus': ({ netuid }) => {
        const progress = this.backfillProgress.get(netuid);
        return progress ? { running: true, ...progress } : { running: false, lastEnd: this.backfillEnds.get(netuid) ?? null };
      },
      'bittensor.status': () => this.chainStatus(),
      ...weightsHandlers({
        snapshots, chain, history,
        mainClient: () => this.mainClient(), historyClient: () => this.historyClient(), reader: (client) => this.reader(client),
      }),
    };
  }

  private settings(): Settings {
    return this.context.settings();
  }

  /**
   * The newest complete snapshot of a subnet read from the endpoint's chain (another chain's are kept, not used).
   * `scope` is ChainStore.scope(), read once by the caller for all its subnets: on a team store each read is two queries.
   */
  private async newestOnChain(netuid: number, scope: ChainScope): Promise<SnapshotInfo | undefined> {
    const block = await this.data.chain.latestBlock(netuid);
    return block === null ? undefined : this.data.snapshots.find(netuid, block, scope);
  }

  /**
   * Why the chain must not be read now (a refused endpoint setting), or undefined. While there is one, no client
   * exists: a chain read fails with this reason rather than go to any endpoint the user did not choose.
   */
  private refusal(): string | undefined {
    return chainEndpointRefusal(this.settings());
  }

  private mainClient(): ChainClient {
    const endpoint = this.settings().subtensorEndpoint;
    const refusal = this.refusal();
    if (refusal !== undefined || endpoint === null) throw new Error(`the chain is not read: ${refusal ?? 'no endpoint'}`);
    this.client ??= new ChainClient({
      endpoint,
      log: this.context.log,
      followHeads: this.collecting,
      onStatus: (status) => this.onChainStatus(status),
      onHead: () => this.onHead(),
    });
    return this.client;
  }

  /** Past blocks come from the archive endpoint when one is set; otherwise the main one (which may have pruned them). */
  private historyClient(): ChainClient {
    const main = this.mainClient();
    const endpoint = this.settings().archiveEndpoint;
    if (!endpoint || endpoint === this.settings().subtensorEndpoint) return main;
    this.archive ??= new ChainClient({ endpoint, log: this.context.log });
    return this.archive;
  }

  /** One reader per client, so that its decoders (built once per runtime version) are reused by every read. */
  private reader(client: ChainClient): ChainReader {
    let reader = this.readers.get(client);
    if (!reader) {
      reader = new ChainReader(client, this.context.log, (reason) => this.context.countDropped(reason));
      this.readers.set(client, reader);
    }
    return reader;
  }

  async startCollecting(): Promise<void> {
    this.collecting = true;
    const refusal = this.refusal();
    if (refusal !== undefined) {
      // Stays collecting in intent: onSettings starts the client once the setting is fixed.
      this.context.log.log('warn', `bittensor: the chain collector is stopped: ${refusal}`);
      this.onChainStatus(null);
      return;
    }
    const client = this.mainClient();
    try {
      await client.connect();
    } catch (error) {
      // The client keeps retrying with backoff; snapshots follow the first head after it connects.
      this.context.log.log('warn', `bittensor: ${describeError(error)}`);
      return;
    }
    await this.listing.list(true).catch((error) => this.context.log.log('warn', `bittensor: subnet list: ${describeError(error)}`));
    await this.snapshotDueSubnets();
  }

  private onHead(): void {
    if (!this.collecting) return;
    this.snapshotDueSubnets().catch((error) => this.context.log.log('warn', `bittensor: snapshot failed: ${describeError(error)}`));
  }

  /** A tracked subnet is due every snapshotIntervalBlocks, and at least once per tempo. */
  private async snapshotDueSubnets(): Promise<void> {
    if (this.snapshotting) return;
    const head = this.client?.status().headBlock;
    if (head === null || head === undefined) return;
    this.snapshotting = true;
    try {
      // Read when first needed, and again after a snapshot was taken: storing the first one may name the chain.
      let scope: ChainScope | undefined;
      for (const netuid of this.settings().trackedSubnets) {
        scope ??= await this.data.chain.scope();
        const latest = await this.newestOnChain(netuid, scope);
        const tempo = latest ? (await this.data.snapshots.facts(latest)).tempo : null;
        const every = Math.min(this.settings().snapshotIntervalBlocks, tempo ? tempo + 1 : Number.MAX_SAFE_INTEGER);
        if (latest && head - latest.block < every) continue;
        scope = undefined;
        try {
          await this.takeSnapshot(netuid);
        } catch (error) {
          this.context.log.log('warn', `bittensor: snapshot of subnet ${netuid} failed: ${describeError(error)}`);
        }
      }
    } finally {
      this.snapshotting = false;
    }
  }

  private async takeSnapshot(netuid: number, block?: number): Promise<MetagraphSnapshot> {
    const client = block === undefined ? this.mainClient() : this.historyClient();
    const snapshot = await this.reader(client).snapshot(netuid, block);
    await this.storeSnapshot(snapshot, client);
    this.context.notify({ topic: 'bittensor.changed', payload: { netuids: [netuid] } });
    return snapshot;
  }

  /** Stores a snapshot read by `client`, naming its chain, and raises alerts when it is that chain's newest. */
  private async storeSnapshot(snapshot: MetagraphSnapshot, client: ChainClient): Promise<void> {
    const { chain, snapshots } = this.data;
    const { headBlock, genesisHash } = client.status();
    // Read once (its genesis is ChainStore.current()), and again only when this snapshot is the first to name the chain.
    let scope = await chain.scope();
    // Before the endpoint has named a chain (an archive read first), the chain read from is the one the views show.
    if (genesisHash && scope.genesis === null) {
      await chain.connectedTo(genesisHash);
      scope = await chain.scope();
    }
    const previousBlock = await chain.latestBlock(snapshot.netuid, snapshot.block);
    const previousInfo = previousBlock === null ? undefined : await snapshots.find(snapshot.netuid, previousBlock, scope);
    // A client that has not told its chain reads the current one (as ChainStore counts rows nobody attributed).
    await recordSnapshot(this.data, snapshot, { now: Math.floor(Date.now() / 1000), headBlock }, genesisHash ?? scope.genesis);
    this.context.storage.markDirty();
    // Alerts follow the newest data only; a backfilled past block says nothing about the watched keys now.
    const newest = await chain.latestBlock(snapshot.netuid);
    if (newest === snapshot.block) {
      const previous = previousInfo ? await snapshots.read(previousInfo, this.pinnedHotkeys()) : undefined;
      this.raiseAlerts(previous, snapshot, headBlock ?? snapshot.block);
    }
  }

  private pinnedHotkeys(): string[] {
    return this.context.pins.list('hotkey').map((pin) => pin.key);
  }

  /** Tells what is new about the watched hotkeys; what was told before (in this engine or a previous one) is not repeated. */
  private raiseAlerts(previous: MetagraphSnapshot | undefined, current: MetagraphSnapshot, headBlock: number): void {
    const watched = this.pinnedHotkeys();
    if (watched.length === 0) return;
    const found = hotkeyAlerts(watched, previous, current, headBlock);
    // The alerts view marks the storage dirty itself, once each raise or clear reached it.
    const { untold, ongoing } = untoldAlerts(this.context.alerts, current.netuid, current.block, found, Math.floor(Date.now() / 1000));
    for (const alert of ongoing) {
      const key = `${alert.kind}:${alert.netuid}:${alert.hotkey}`;
      if (this.loggedOngoing.has(key)) continue;
      this.loggedOngoing.add(key);
      this.context.log.log('info', `bittensor: still so, announced before and not again: ${alert.message}`);
    }
    for (const alert of untold) {
      this.context.log.log('warn', `bittensor alert: ${alert.message}`);
      this.context.notify({ topic: 'bittensor.alert', payload: alert });
    }
  }

  private async backfill({ netuid, fromBlock, toBlock, step }: { netuid: number; fromBlock: number; toBlock: number; step: number }) {
    if (this.backfills.has(netuid)) throw new Error(`a backfill of subnet ${netuid} is already running`);
    const range = { netuid, fromBlock, toBlock, step };
    const total = backfillBlocks(range).length;
    const controller = new AbortController();
    this.backfills.set(netuid, controller);
    this.backfillProgress.set(netuid, { done: 0, total, block: null });
    let stored = 0;
    try {
      // Inside the try: a refused endpoint must not leave the subnet marked as backfilling.
      const client = this.historyClient();
      const reader = this.reader(client);
      const snapshots = await runBackfill(
        range,
        (block) => reader.snapshot(netuid, block),
        (snapshot) => this.storeSnapshot(snapshot, client),
        (progress) => {
          stored = progress.done;
          this.backfillProgress.set(netuid, { done: progress.done, total: progress.total, block: progress.block });
          this.context.notify({ topic: 'bittensor.backfillProgress', payload: progress });
        },
        controller.signal,
      );
      // Announced as well as answered: a long run outlives the request's timeout, and panels follow the notification.
      this.ended(backfillEnd(range, snapshots, total));
      this.context.notify({ topic: 'bittensor.changed', payload: { netuids: [netuid] } });
      return { snapshots };
    } catch (error) {
      this.ended(backfillEnd(range, stored, total, error));
      if (error instanceof BackfillCancelled || stored > 0) this.context.notify({ topic: 'bittensor.changed', payload: { netuids: [netuid] } });
      throw error;
    } finally {
      this.backfills.delete(netuid);
      this.backfillProgress.delete(netuid);
    }
  }

  private ended(end: BackfillEnd): void {
    this.backfillEnds.set(end.netuid, end);
    this.context.notify({ topic: 'bittensor.backfillEnded', payload: end });
  }

  private chainStatus(): ChainStatusPayload {
    const refusal = this.refusal();
    if (refusal !== undefined) return { endpoint: '', state: 'stopped', headBlock: null, specVersion: null, lastError: `stopped: ${refusal}` };
    const status = this.client?.status();
    return {
      endpoint: status?.endpoint ?? this.settings().subtensorEndpoint ?? '',
      state: status?.state ?? 'idle',
      headBlock: status?.headBlock ?? null,
      specVersion: status?.specVersion ?? null,
      lastError: status?.lastError ?? null,
    };
  }

  /** `null`: the client is gone (a refused setting); the payload then says why. */
  private onChainStatus(status: ChainStatus | null): void {
    this.statusQueue.run(async () => {
      // A chain that could not be recorded is logged, and the status is announced all the same.
      try {
        // Only a connection to the endpoint now set names the current chain (a client being disposed still reports its own).
        if (status?.state === 'connected' && status.genesisHash && status.endpoint === this.settings().subtensorEndpoint) await this.onChain(status.endpoint, status.genesisHash);
      } catch (error) {
        this.context.log.log('warn', `bittensor: recording the chain failed: ${describeError(error)}`);
      }
      this.context.notify({ topic: 'bittensor.chainStatus', payload: status === null ? this.chainStatus() : {
        endpoint: status.endpoint, state: status.state, headBlock: status.headBlock, specVersion: status.specVersion, lastError: status.lastError,
      } });
    }).catch((error) => this.context.log.log('warn', `bittensor: chain status: ${describeError(error)}`));
  }

  /**
   * The endpoint answered with its genesis hash. Another chain than before: the stored rows stay (they are the
   * other chain's history) but every view re-reads, now without them, and the subnet list must be read afresh.
   */
  private async onChain(endpoint: string, genesis: string): Promise<void> {
    const readOnly = this.context.storage.readOnlyReason;
    if (readOnly !== undefined) {
      // Recording the chain is a write: the views keep showing the chain the team's collector recorded. Said once per
      // endpoint and chain, not at every reconnect.
      const recorded = await this.data.chain.current();
      const key = `${endpoint} ${genesis}`;
      if (recorded !== genesis && !this.unrecordedChains.has(key)) {
        this.unrecordedChains.add(key);
        this.context.log.log('info', `bittensor: ${endpoint} is on chain ${genesis}, the team store's data on ${recorded ?? 'no chain yet'}; the store may only be read here (${readOnly}), so that chain is not recorded here`);
      }
      return;
    }
    const { changed, previous } = await this.data.chain.connectedTo(genesis);
    if (!changed) return;
    this.context.storage.markDirty();
    this.listing.reset(endpoint);
    this.context.log.log('warn', `bittensor: ${endpoint} is another chain (genesis ${genesis}) than the stored data (genesis ${previous}); that data is kept but not shown`);
    this.context.notify({ topic: 'bittensor.changed', payload: { netuids: [...new Set([...(await this.data.snapshots.netuids()), ...this.settings().trackedSubnets])] } });
  }

  collectorStatus(): readonly CollectorStatus[] {
    const refusal = this.refusal();
    // An error, not merely stopped: the status bar and Health list it with the setting to fix.
    if (refusal !== undefined) return [{ name: 'subtensor (no endpoint)', state: 'error', detail: 'stopped until the setting is fixed', lastError: `stopped: ${refusal}` }];
    const status = this.chainStatus();
    const retry = this.client?.status().retryInMs;
    const detail = status.state === 'connected'
      ? `head #${status.headBlock ?? '?'}, spec ${status.specVersion ?? '?'}`
      : status.state === 'retrying' ? `reconnecting${retry ? ` in ${Math.round(retry / 100) / 10} s` : ''}` : undefined;
    return [{
      name: `subtensor ${status.endpoint}`,
      state: status.state,
      ...(detail ? { detail } : {}),
      ...(status.lastError ? { lastError: status.lastError } : {}),
    }];
  }

  onSettings(settings: Settings, previous: Settings): void {
    const refusedChanged = chainEndpointRefusal(settings) !== chainEndpointRefusal(previous);
    if (settings.archiveEndpoint !== previous.archiveEndpoint || refusedChanged) {
      const old = this.archive;
      this.archive = undefined;
      void old?.dispose();
    }
    if (settings.subtensorEndpoint !== previous.subtensorEndpoint || refusedChanged) {
      const old = this.client;
      this.client = undefined;
      this.listing.reset(settings.subtensorEndpoint);
      void old?.dispose();
      if (this.collecting) this.startCollecting().catch(() => undefined);
    }
  }

  async maintain(now: number): Promise<void> {
    const settings = this.settings();
    const { retention, snapshots } = this.data;
    const result = await retention.apply({
      now, rawWindowHours: settings.rawWindowHours, historyDays: settings.historyDays, pinnedHotkeys: this.pinnedHotkeys(),
    });
    const head = this.client?.status().headBlock;
    if (head) await retention.prunePoints(head - Math.ceil(settings.historyDays * 7_200));
    if (result.neuronRows + result.rollupRows + result.snapshots > 0) this.context.storage.markDirty();
    // Weights staleness grows with the head even without a new snapshot.
    if (head && settings.trackedSubnets.length > 0) {
      const scope = await this.data.chain.scope();
      for (const netuid of settings.trackedSubnets) {
        const latest = await this.newestOnChain(netuid, scope);
        if (latest) this.raiseAlerts(undefined, await snapshots.read(latest, this.pinnedHotkeys()), head);
      }
    }
  }

  /** Another collector saved snapshots in the shared store: the subnets it names are read again. */
  onRemoteChange(change: RemoteChange): void {
    if (change.domain !== 'bittensor') return;
    if (change.netuids === 'all') this.context.notify({ topic: 'engine.reload', payload: { domain: 'bittensor' } });
    else this.context.notify({ topic: 'bittensor.changed', payload: { netuids: [...change.netuids] } });
  }

  evictOldest(bytes: number): Promise<number> {
    return this.data.retention.evictOldest(bytes, this.pinnedHotkeys());
  }

  async dispose(): Promise<void> {
    this.collecting = false;
    for (const controller of this.backfills.values()) controller.abort();
    // A chain switch being recorded finishes before the storage closes under it.
    await this.statusQueue.idle();
    await Promise.all([this.client?.dispose(), this.archive?.dispose()]);
    this.client = undefined;
    this.archive = undefined;
  }
}
