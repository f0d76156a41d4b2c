import type { ChainStore, SnapshotStore, SubnetHistoryStore } from '../core/bittensor/bittensorStore';
import type { ChainClient } from '../core/bittensor/chainClient';
import type { ChainReader } from '../core/bittensor/chainReader';
import { stakeCorrelation } from '../core/bittensor/stakeCorrelation';
import { buildWeightsMatrix } from '../core/bittensor/weightsAnalysis';
import {
  sampleEvenly, validatorWeightsHistory, WEIGHTS_HISTORY_POINTS_DEFAULT, WEIGHTS_HISTORY_POINTS_MAX, WEIGHTS_HISTORY_TOP_MAX,
} from '../core/bittensor/weightsHistory';
import { withStructure } from '../core/bittensor/weightsStructure';
import type { Handlers } from './engineModule';

/** What the weights requests borrow from the Bittensor module: its stores and its chain clients. */
export interface WeightsHandlerDeps {
  readonly snapshots: SnapshotStore;
  readonly chain: ChainStore;
  readonly history: SubnetHistoryStore;
  /** The main endpoint's client (the head). */
  mainClient(): ChainClient;
  /** The archive endpoint's client when one is set (past blocks), else the main one. */
  historyClient(): ChainClient;
  reader(client: ChainClient): ChainReader;
}

const SNAPSHOT_BLOCKS_MAX = 1_000;
const TOP_DEFAULT = 10;

/**
 * The weights panel's engine requests. Weights are read from the chain on demand, never stored (a matrix is up to
 * 256 × 1,024 pairs per block); the stored snapshots give the blocks to read at and, for each, the hotkeys and stake.
 */
export function weightsHandlers(deps: WeightsHandlerDeps): Handlers {
  const { snapshots, chain, history } = deps;
  const stored = async (netuid: number, limit: number) => (await snapshots.list(netuid, limit, await chain.scope())).filter((info) => info.complete);
  return {
    'bittensor.weights': async ({ netuid, block }) => {
      const client = block === undefined ? deps.mainClient() : deps.historyClient();
      const read = await deps.reader(client).weights(netuid, block);
      // Hotkeys, stake and names from the stored snapshot nearest to (not after) that block, when there is one.
      const info = await snapshots.find(netuid, read.block, await chain.scope());
      const neurons = info ? (await snapshots.read(info)).neurons : null;
      return withStructure(buildWeightsMatrix(netuid, read.block, read.rows, neurons), neurons);
    },
    'bittensor.snapshotBlocks': async ({ netuid, limit }) =>
      (await stored(netuid, Math.min(Math.max(1, limit ?? SNAPSHOT_BLOCKS_MAX), SNAPSHOT_BLOCKS_MAX))).map(({ block, blockTime }) => ({ block, time: blockTime })),
    'bittensor.weightsHistory': async ({ netuid, hotkey, top, maxPoints, fromBlock, toBlock }) => {
      const inRange = (await stored(netuid, 100_000))
        .filter((info) => info.block >= (fromBlock ?? 0) && info.block <= (toBlock ?? Number.MAX_SAFE_INTEGER))
        .reverse();
      const picked = sampleEvenly(inRange, Math.min(Math.max(1, maxPoints ?? WEIGHTS_HISTORY_POINTS_DEFAULT), WEIGHTS_HISTORY_POINTS_MAX));
      const infoAt = new Map(picked.map((info) => [info.block, info]));
      const reader = deps.reader(deps.historyClient());
      return validatorWeightsHistory(netuid, hotkey, picked.map((info) => info.block), Math.min(Math.max(1, top ?? TOP_DEFAULT), WEIGHTS_HISTORY_TOP_MAX), {
        uidAt: async (block) => (await snapshots.read(infoAt.get(block)!, [hotkey])).neurons[0]?.uid ?? null,
        readRow: async (block, uid) => (await reader.weights(netuid, block)).rows.find((row) => row.uid === uid) ?? null,
      });
    },
    'bittensor.stakeCorrelation': async ({ netuid, select, maxPoints, ...range }) =>
      stakeCorrelation(await history.traces(netuid, 'stake', select, range, maxPoints)),
  };
}
