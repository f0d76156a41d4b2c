import { describeError } from '../util/errors';
import type { Logger } from '../util/logger';
import type { ChainClient } from './chainClient';
import { StateDiscardedError } from './chainErrors';
import { asNumber, chainText, fixedPointBits } from './decodedValues';
import { metagraphCallPlan } from './metagraphCalls';
import { decodeMetagraph } from './metagraphDecoder';
import type { MetagraphSnapshot } from './model';
import { findRuntimeMethod, findStorageItem, type RuntimeTypes } from './scale/portableTypes';
import { encodeU16 } from './scale/scaleEncoder';
import { u64f64ToNumber } from './scaling';
import { TypeDecoder } from './scale/scaleDecoder';
import { readStorageMap } from './storageReader';
import type { SubnetListing } from './bittensorStore';
import type { RawWeightRow } from './weightsAnalysis';

/**
 * Reads from a ChainClient what the engine stores: metagraph snapshots (at the head or at a past block) and the
 * subnet list. Decoding uses the runtime's own metadata at that block (see scale/scaleDecoder.ts).
 */
export class ChainReader {
  private readonly decoders = new Map<number, TypeDecoder>();

  constructor(private readonly client: ChainClient, private readonly log: Logger, private readonly countDropped: (reason: string) => void) {}

  private decoderFor(runtime: RuntimeTypes): TypeDecoder {
    let decoder = this.decoders.get(runtime.specVersion);
    if (!decoder) {
      decoder = new TypeDecoder(runtime);
      this.decoders.set(runtime.specVersion, decoder);
    }
    return decoder;
  }

  /** The block number and hash to read: the head, or a given past block. */
  async resolveBlock(block?: number): Promise<{ block: number; hash: string }> {
    if (block === undefined) return this.client.head();
    return { block, hash: await this.client.blockHash(block) };
  }

  async snapshot(netuid: number, block?: number): Promise<MetagraphSnapshot> {
    const at = await this.resolveBlock(block);
    const runtime = await this.client.runtimeTypesAt(at.hash, at.block);
    const plan = metagraphCallPlan(runtime, netuid);
    const neuronsLite = await this.client.stateCall(plan.neuronsLite.name, plan.neuronsLite.argsHex, at.hash, at.block);
    let metagraph: Uint8Array | undefined;
    if (plan.metagraph) {
      try {
        metagraph = await this.client.stateCall(plan.metagraph.name, plan.metagraph.argsHex, at.hash, at.block);
      } catch (error) {
        if (error instanceof StateDiscardedError) throw error;
        // Without it the snapshot lacks the stake split, registration blocks and subnet facts, but is still right.
        this.countDropped('bittensor: metagraph runtime API failed');
        this.log.log('warn', `bittensor: ${plan.metagraph.name} failed at block ${at.block} (${describeError(error)}); using get_neurons_lite alone`);
      }
    }
    try {
      const snapshot = decodeMetagraph(this.decoderFor(runtime), plan, { netuid, block: at.block, blockHash: at.hash, neuronsLite, metagraph });
      if (snapshot.n === 0 && snapshot.tempo === null) throw new Error(`subnet ${netuid} does not exist at block ${at.block}`);
      return snapshot;
    } catch (error) {
      this.countDropped('bittensor: undecodable answer');
      throw error;
    }
  }

  /**
   * The weights every UID of a subnet has set (storage `SubtensorModule.Weights(netuid, uid)`: no runtime API returns
   * the whole matrix), at the head or a past block.
   */
  async weights(netuid: number, block?: number): Promise<{ block: number; rows: RawWeightRow[] }> {
    const at = await this.resolveBlock(block);
    const runtime = await this.client.runtimeTypesAt(at.hash, at.block);
    const item = findStorageItem(runtime, 'SubtensorModule', 'Weights');
    if (!item) throw new Error(`the runtime (spec ${runtime.specVersion}) has no SubtensorModule.Weights storage`);
    try {
      const entries = await readStorageMap(this.client, this.decoderFor(runtime), item, [encodeU16(netuid)], at);
      const rows = entries.map(({ keys, value }) => ({ uid: asNumber(keys[0]), weights: (value as unknown[][]).map(([target, weight]) => [asNumber(target), asNumber(weight)] as const) }));
      return { block: at.block, rows: rows.sort((a, b) => a.uid - b.uid) };
    } catch (error) {
      if (!(error instanceof StateDiscardedError)) this.countDropped('bittensor: undecodable answer');
      throw error;
    }
  }

  /**
   * Every subnet from the subnet-list runtime APIs (get_all_dynamic_info for names, tempo and reserves;
   * get_subnets_info_v2 for UIDs, limits, register cost and identity names) and the alpha price from the swap
   * pallet's `AlphaSqrtPrice` where the runtime has one. Any of them may be missing on a runtime or an endpoint;
   * what the others give is still returned, with `problems` saying what is missing. Rejects only when neither list
   * API answers.
   */
  async subnets(): Promise<{ block: number; listings: SubnetListing[]; problems: string[] }> {
    const at = await this.client.head();
    const runtime = await this.client.runtimeTypesAt(at.hash, at.block);
    const decoder = this.decoderFor(runtime);
    const byNetuid = new Map<number, { -readonly [K in keyof SubnetListing]: SubnetListing[K] }>();
    const entry = (netuid: number) => {
      let found = byNetuid.get(netuid);
      if (!found) {
        found = { netuid, name: `subnet ${netuid}`, tempo: null, uids: 0, maxUids: null, maxValidators: null, burnRao: null, priceTao: null };
        byNetuid.set(netuid, found);
      }
      return found;
    };
    const failures: string[] = [];
    const call = async (api: string, method: string): Promise<unknown[] | undefined> => {
      const found = findRuntimeMethod(runtime, api, method);
      if (!found) {
        failures.push(`${api}.${method} is not in runtime ${runtime.specVersion}`);
        return undefined;
      }
      try {
        const bytes = await this.client.stateCall(`${api}_${method}`, '0x', at.hash, at.block);
        return decoder.decodeExact(found.output, bytes, `${api}_${method}`) as unknown[];
      } catch (error) {
        failures.push(`${api}_${method}: ${describeError(error)}`);
        return undefined;
      }
    };
    const dynamic = await call('SubnetInfoRuntimeApi', 'get_all_dynamic_info');
    for (const info of (dynamic ?? []) as (Record<string, unknown> | null)[]) {
      if (!info) continue;
      const subnet = entry(info.netuid as number);
      const name = chainText(info.subnet_name).trim();
      if (name) subnet.name = name;
      subnet.tempo = info.tempo as number;
      const alphaIn = info.alpha_in as number;
      subnet.priceTao = alphaIn ? (info.tao_in as number) / alphaIn : null;
    }
    const infos = await call('SubnetInfoRuntimeApi', 'get_subnets_info_v2');
    for (const info of (infos ?? []) as (Record<string, unknown> | null)[]) {
      if (!info) continue;
      const subnet = entry(info.netuid as number);
      subnet.uids = info.subnetwork_n as number;
      subnet.maxUids = info.max_allowed_uids as number;
      subnet.maxValidators = info.max_allowed_validators as number;
      subnet.burnRao = info.burn as number;
      subnet.tempo ??= info.tempo as number;
      const identityName = chainText((info.identity as Record<string, unknown> | null)?.subnet_name).trim();
      if (identityName && subnet.name === `subnet ${subnet.netuid}`) subnet.name = identityName;
    }
    if (!dynamic && !infos) throw new Error(`no subnet list from ${this.client.endpoint}: ${failures.join('; ')}`);
    for (const [netuid, price] of await this.alphaPrices(runtime, at, failures)) entry(netuid).priceTao = price;
    for (const failure of failures) this.log.log('warn', `bittensor: subnet list partly unavailable: ${failure}`);
    return { block: at.block, listings: [...byNetuid.values()].sort((a, b) => a.netuid - b.netuid), problems: failures };
  }

  /**
   * Alpha prices in TAO from `Swap.AlphaSqrtPrice` (U64F64, squared): since the swap pallet, the price is its pool's,
   * not tao_in / alpha_in. Netuid 0 (root) is priced in TAO itself. Empty when the runtime has no swap pallet.
   */
  private async alphaPrices(runtime: RuntimeTypes, at: { block: number; hash: string }, failures: string[]): Promise<Map<number, number>> {
    const prices = new Map<number, number>();
    const item = findStorageItem(runtime, 'Swap', 'AlphaSqrtPrice');
    if (!item) return prices;
    prices.set(0, 1);
    try {
      for (const { keys, value } of await readStorageMap(this.client, this.decoderFor(runtime), item, [], at)) {
        const netuid = asNumber(keys[0]);
        const sqrtPrice = u64f64ToNumber(fixedPointBits(value));
        if (netuid !== 0) prices.set(netuid, sqrtPrice * sqrtPrice);
      }
    } catch (error) {
      failures.push(`Swap.AlphaSqrtPrice: ${describeError(error)}`);
    }
    return prices;
  }
}
