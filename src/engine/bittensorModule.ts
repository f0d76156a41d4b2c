import { bittensorMigrations } from '../core/bittensor/bittensorMigrations';
import { BackfillCancelled, runBackfill } from '../core/bittensor/backfill';
import { ChainClient, type ChainStatus } from '../core/bittensor/chainClient';
import { ChainReader } from '../core/bittensor/chainReader';
import { animationFrames } from '../core/bittensor/animationQuery';
import { churnBetween } from '../core/bittensor/churn';
import { churnHistory } from '../core/bittensor/churnHistoryQuery';
import { groupingHistory, groupMembers, groupSeries, groupsTable } from '../core/bittensor/groupQueries';
import { blockRangeOf } from '../core/bittensor/historySql';
import { hotkeyAlerts } from '../core/bittensor/hotkeyAlerts';
import { metagraphDiff } from '../core/bittensor/metagraphDiff';
import type { MetagraphSnapshot, WeightsMatrix } from '../core/bittensor/model';
import { recordSnapshot } from '../core/bittensor/snapshotRecording';
import { SnapshotRepo } from '../core/bittensor/snapshotRepo';
import { applyRetention, evictOldestSnapshots } from '../core/bittensor/snapshotRetention';
import { subnetSummaries } from '../core/bittensor/subnetSummaries';
import { SubnetRepo } from '../core/bittensor/subnetRepo';
import { subnetOverview } from '../core/bittensor/overviewQuery';
import { traces } from '../core/bittensor/traceQuery';
import { buildWeightsMatrix } from '../core/bittensor/weightsAnalysis';
import { chainEndpointRefusal, type Settings } from '../core/config/settings';
import { describeError } from '../core/util/errors';
import type { CollectorStatus } from '../protocol/engineProtocol';
import type { ChainStatusPayload } from '../protocol/bittensorProtocol';
import type { EngineContext, EngineModule, EngineModuleFactory, Handlers } from './engineModule';

/**
 * The Bittensor domain of the engine: a chain client per endpoint (created on first use, so that @polkadot/api
 * loads only when the chain is needed), snapshots of the tracked subnets on new heads, the stored history and its
 * derived figures, and alerts on pinned ('hotkey') keys.
 */
export const bittensorModule: EngineModuleFactory = {
  name: 'bittensor',
  migrations: bittensorMigrations,
  create: (context) => new BittensorModule(context),
};

class BittensorModule implements EngineModule {
  private readonly snapshots: SnapshotRepo;
  private readonly subnets: SubnetRepo;
  private client: ChainClient | undefined;
  private archive: ChainClient | undefined;
  private readonly readers = new WeakMap<ChainClient, ChainReader>();
  private collecting = false;
  /** The chain's subnet list was asked for at least once (some nodes cannot answer; do not ask on every read). */
  private listingTried = false;
  private snapshotting = false;
  private readonly backfills = new Map<number, AbortController>();
  /** Alerts already raised: events by block, weights staleness until it clears. */
  private readonly raised = new Set<string>();
  readonly handlers: Handlers;

  private get db() {
    return this.context.store.db;
  }

  constructor(private readonly context: EngineContext) {
    this.snapshots = new SnapshotRepo(context.store.db);
    this.subnets = new SubnetRepo(context.store.db);
    this.handlers = {
      'bittensor.subnets': ({ refresh }) => this.subnetList(refresh ?? false),
      'bittensor.snapshot': ({ netuid, block }) => this.takeSnapshot(netuid, block),
      'bittensor.metagraph': ({ netuid, block }) => {
        const info = this.snapshots.find(netuid, block);
        return info ? this.snapshots.read(info) : null;
      },
      'bittensor.neurons': ({ netuid, group, sort, limit }) => {
        const info = this.snapshots.find(netuid);
        if (!info) return null;
        const { neurons } = this.snapshots.read(info);
        const rows = group === 'validators' ? neurons.filter((neuron) => neuron.validatorPermit) : neurons;
        const key = group === 'validators' || sort === 'stake' ? 'stake' : 'incentive';
        rows.sort((a, b) => b[key] - a[key] || a.uid - b.uid);
        return { block: info.block, total: rows.length, rows: rows.slice(0, Math.max(0, limit)) };
      },
      'bittensor.hotkeys': ({ hotkeys }) => this.snapshots.netuids().flatMap((netuid) => {
        const info = this.snapshots.find(netuid);
        if (!info) return [];
        return this.snapshots.read(info, hotkeys).neurons.map((neuron) => ({ netuid, block: info.block, neuron }));
      }),
      'bittensor.churn': ({ netuid }) => {
        const [current, previous] = this.snapshots.latestTwo(netuid);
        if (!current || !previous) return null;
        return churnBetween(this.snapshots.read(previous), this.snapshots.read(current));
      },
      'bittensor.groups': ({ netuid, by, block, limit, offset, historyLimit }) => {
        const info = this.snapshots.find(netuid, block);
        if (!info) return null;
        return { ...groupsTable(this.db, info, by, limit, offset), history: groupingHistory(this.db, netuid, by, { toBlock: info.block }, historyLimit) };
      },
      'bittensor.groupSeries': ({ netuid, by, keys, top, maxPoints, ...range }) =>
        groupSeries(this.db, this.snapshots, netuid, by, { keys, top }, blockRangeOf(this.db, netuid, range), maxPoints),
      'bittensor.groupMembers': ({ netuid, by, key, block }) => {
        const info = this.snapshots.find(netuid, block);
        return info ? groupMembers(this.snapshots, info, by, key) : null;
      },
      'bittensor.overview': async ({ netuid, readHead }) => {
        const head = readHead ? (await this.mainClient().head()).block : this.client?.status().headBlock ?? null;
        return subnetOverview(this.db, this.subnets, netuid, head);
      },
      'bittensor.churnHistory': ({ netuid, limit, ...range }) => churnHistory(this.db, netuid, blockRangeOf(this.db, netuid, range), limit),
      'bittensor.traces': ({ netuid, field, select, maxPoints, ...range }) =>
        traces(this.db, this.snapshots, netuid, field, select, blockRangeOf(this.db, netuid, range), maxPoints),
      'bittensor.frames': ({ netuid, role, offset, limit, ...range }) =>
        animationFrames(this.db, netuid, role, blockRangeOf(this.db, netuid, range), { offset, limit }),
      'bittensor.metagraphDiff': ({ netuid, block }) => {
        const info = this.snapshots.find(netuid, block);
        if (!info) return null;
        const previous = this.snapshots.find(netuid, info.block - 1);
        return metagraphDiff(previous ? this.snapshots.read(previous) : null, this.snapshots.read(info));
      },
      'bittensor.backfill': (params) => this.backfill(params),
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
      'bittensor.status': () => this.chainStatus(),
      'bittensor.weights': ({ netuid, block }) => this.weights(netuid, block),
    };
  }

  /** Read on demand, not stored: the matrix is large and only its latest state is asked for. */
  private async weights(netuid: number, block?: number): Promise<WeightsMatrix> {
    const client = block === undefined ? this.mainClient() : this.historyClient();
    const read = await this.reader(client).weights(netuid, block);
    // Hotkeys and stake from the stored snapshot nearest to (not after) that block, when there is one.
    const info = this.snapshots.find(netuid, read.block);
    return buildWeightsMatrix(netuid, read.block, read.rows, info ? this.snapshots.read(info).neurons : null);
  }

  private settings(): Settings {
    return this.context.settings();
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
    await this.subnetList(true).catch((error) => this.context.log.log('warn', `bittensor: subnet list: ${describeError(error)}`));
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
      for (const netuid of this.settings().trackedSubnets) {
        const latest = this.snapshots.find(netuid);
        const tempo = latest ? this.snapshots.facts(latest).tempo : null;
        const every = Math.min(this.settings().snapshotIntervalBlocks, tempo ? tempo + 1 : Number.MAX_SAFE_INTEGER);
        if (latest && head - latest.block < every) continue;
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
    this.store(snapshot, client.status().headBlock);
    this.context.notify({ topic: 'bittensor.changed', payload: { netuids: [netuid] } });
    return snapshot;
  }

  private store(snapshot: MetagraphSnapshot, headBlock: number | null): void {
    const previousInfo = this.snapshots.latestTwo(snapshot.netuid).find((info) => info.block < snapshot.block);
    recordSnapshot({ snapshots: this.snapshots, subnets: this.subnets }, snapshot, { now: Math.floor(Date.now() / 1000), headBlock });
    this.context.store.markDirty();
    // Alerts follow the newest data only; a backfilled past block says nothing about the watched keys now.
    const newest = this.snapshots.latestBlock(snapshot.netuid);
    if (newest === snapshot.block) {
      const previous = previousInfo ? this.snapshots.read(previousInfo, this.pinnedHotkeys()) : undefined;
      this.raiseAlerts(previous, snapshot, headBlock ?? snapshot.block);
    }
  }

  private pinnedHotkeys(): string[] {
    return this.context.pins.list('hotkey').map((pin) => pin.key);
  }

  private raiseAlerts(previous: MetagraphSnapshot | undefined, current: MetagraphSnapshot, headBlock: number): void {
    const watched = this.pinnedHotkeys();
    if (watched.length === 0) return;
    const alerts = hotkeyAlerts(watched, previous, current, headBlock);
    const stale = new Set(alerts.filter((alert) => alert.kind === 'weights-stale').map((alert) => `weights-stale|${alert.netuid}|${alert.hotkey}`));
    for (const key of [...this.raised]) {
      if (key.startsWith(`weights-stale|${current.netuid}|`) && !stale.has(key)) this.raised.delete(key);
    }
    for (const alert of alerts) {
      const key = alert.kind === 'weights-stale' ? `weights-stale|${alert.netuid}|${alert.hotkey}` : `${alert.kind}|${alert.netuid}|${alert.hotkey}|${current.block}`;
      if (this.raised.has(key)) continue;
      this.raised.add(key);
      this.context.log.log('warn', `bittensor alert: ${alert.message}`);
      this.context.notify({ topic: 'bittensor.alert', payload: alert });
    }
  }

  /**
   * Answers from the store at once: a tree must never wait on a slow or dead node. The first call starts loading
   * the listing in the background and notifies `bittensor.changed` when it lands; an explicit refresh waits for
   * the chain, so that the command's progress and error reflect the real outcome.
   */
  private async subnetList(refresh: boolean) {
    const tracked = this.settings().trackedSubnets;
    if (refresh) await this.loadListing(tracked);
    else if (!this.listingTried && this.subnets.listing().length === 0 && this.refusal() === undefined) {
      this.loadListing(tracked).then(
        () => this.context.notify({ topic: 'bittensor.changed', payload: { netuids: [...tracked] } }),
        (error) => this.context.log.log('warn', `bittensor: could not list subnets: ${describeError(error)}`),
      );
    }
    const summaries = subnetSummaries(this.context.store.db, this.subnets, tracked, this.client?.status().headBlock ?? null);
    if (refresh) this.context.notify({ topic: 'bittensor.changed', payload: { netuids: summaries.map((s) => s.netuid) } });
    return summaries;
  }

  private async loadListing(tracked: readonly number[]): Promise<void> {
    this.listingTried = true;
    try {
      const { block, listings } = await this.reader(this.mainClient()).subnets();
      this.subnets.replaceListing(listings, block);
      this.context.store.markDirty();
    } catch (error) {
      // Some endpoints (and the replay node) cannot list subnets; tracked subnets still come from snapshots.
      this.context.log.log('warn', `bittensor: ${describeError(error)}`);
      for (const netuid of tracked) {
        if (this.snapshots.latestBlock(netuid) === null) await this.takeSnapshot(netuid);
      }
    }
  }

  private async backfill({ netuid, fromBlock, toBlock, step }: { netuid: number; fromBlock: number; toBlock: number; step: number }) {
    if (this.backfills.has(netuid)) throw new Error(`a backfill of subnet ${netuid} is already running`);
    const controller = new AbortController();
    this.backfills.set(netuid, controller);
    const client = this.historyClient();
    const reader = this.reader(client);
    try {
      const snapshots = await runBackfill(
        { netuid, fromBlock, toBlock, step },
        (block) => reader.snapshot(netuid, block),
        (snapshot) => this.store(snapshot, client.status().headBlock),
        (progress) => this.context.notify({ topic: 'bittensor.backfillProgress', payload: progress }),
        controller.signal,
      );
      this.context.notify({ topic: 'bittensor.changed', payload: { netuids: [netuid] } });
      return { snapshots };
    } catch (error) {
      if (error instanceof BackfillCancelled) this.context.notify({ topic: 'bittensor.changed', payload: { netuids: [netuid] } });
      throw error;
    } finally {
      this.backfills.delete(netuid);
    }
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
    this.context.notify({ topic: 'bittensor.chainStatus', payload: status === null ? this.chainStatus() : {
      endpoint: status.endpoint, state: status.state, headBlock: status.headBlock, specVersion: status.specVersion, lastError: status.lastError,
    } });
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
      void old?.dispose();
      if (this.collecting) this.startCollecting().catch(() => undefined);
    }
  }

  maintain(now: number): void {
    const settings = this.settings();
    const result = applyRetention(this.context.store.db, {
      now, rawWindowHours: settings.rawWindowHours, historyDays: settings.historyDays, pinnedHotkeys: this.pinnedHotkeys(),
    });
    const head = this.client?.status().headBlock;
    if (head) this.subnets.prunePoints(head - Math.ceil(settings.historyDays * 7_200));
    if (result.neuronRows + result.rollupRows + result.snapshots > 0) this.context.store.markDirty();
    // Weights staleness grows with the head even without a new snapshot.
    if (head) {
      for (const netuid of settings.trackedSubnets) {
        const latest = this.snapshots.find(netuid);
        if (latest) this.raiseAlerts(undefined, this.snapshots.read(latest, this.pinnedHotkeys()), head);
      }
    }
  }

  evictOldest(bytes: number): number {
    return evictOldestSnapshots(this.context.store.db, bytes, this.pinnedHotkeys());
  }

  async dispose(): Promise<void> {
    this.collecting = false;
    for (const controller of this.backfills.values()) controller.abort();
    await Promise.all([this.client?.dispose(), this.archive?.dispose()]);
    this.client = undefined;
    this.archive = undefined;
  }
}
