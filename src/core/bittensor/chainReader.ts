import { describeError } from '../util/errors';
import type { Logger } from '../util/logger';
import type { ChainClient } from './chainClient';
import { StateDiscardedError } from './chainErrors';
import { metagraphCallPlan } from './metagraphCalls';
import { decodeMetagraph } from './metagraphDecoder';
import type { MetagraphSnapshot } from './model';
import { findRuntimeMethod, type RuntimeTypes } from './scale/portableTypes';
import { TypeDecoder } from './scale/scaleDecoder';
import type { SubnetListing } from './subnetRepo';

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
   * Every subnet from the subnet-list runtime APIs (get_all_dynamic_info for names, tempo and price;
   * get_subnets_info_v2 for UIDs, limits and register cost). Either may be missing on a runtime or an endpoint;
   * what one of them gives is still returned. Rejects only when neither answers.
   */
  async subnets(): Promise<{ block: number; listings: SubnetListing[] }> {
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
      const name = new TextDecoder().decode(Uint8Array.from((info.subnet_name as number[]) ?? []));
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
    }
    if (!dynamic && !infos) throw new Error(`no subnet list from ${this.client.endpoint}: ${failures.join('; ')}`);
    for (const failure of failures) this.log.log('warn', `bittensor: subnet list partly unavailable: ${failure}`);
    return { block: at.block, listings: [...byNetuid.values()].sort((a, b) => a.netuid - b.netuid) };
  }
}
