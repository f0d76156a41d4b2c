import { findRuntimeMethod, typeById, type RuntimeTypes } from './scale/portableTypes';
import { concatBytes, encodeU16, encodeU8, encodeVecU16, toHex } from './scale/scaleEncoder';

/**
 * Which runtime API calls read a subnet's metagraph at a given runtime, and with which SCALE arguments.
 * Newer runtimes first: get_selective_mechagraph (spec ≥ ~320, mechanism 0 = the subnet's main mechanism),
 * then get_selective_metagraph, then get_metagraph; get_neurons_lite is always read too, because only it
 * carries validator_trust.
 */
export interface RuntimeCall {
  /** The `state_call` name, e.g. NeuronInfoRuntimeApi_get_neurons_lite. */
  readonly name: string;
  readonly argsHex: string;
  readonly outputType: number;
}

export interface MetagraphCallPlan {
  readonly neuronsLite: RuntimeCall;
  readonly metagraph: RuntimeCall | undefined;
}

export class MissingRuntimeApiError extends Error {}

export function metagraphCallPlan(runtime: RuntimeTypes, netuid: number): MetagraphCallPlan {
  const lite = findRuntimeMethod(runtime, 'NeuronInfoRuntimeApi', 'get_neurons_lite');
  if (!lite) throw new MissingRuntimeApiError(`the runtime (spec ${runtime.specVersion}) has no NeuronInfoRuntimeApi.get_neurons_lite`);
  const neuronsLite = { name: 'NeuronInfoRuntimeApi_get_neurons_lite', argsHex: toHex(encodeU16(netuid)), outputType: lite.output };

  const mechagraph = findRuntimeMethod(runtime, 'SubnetInfoRuntimeApi', 'get_selective_mechagraph');
  if (mechagraph) {
    const indexes = selectiveIndexes(runtime, mechagraph.output);
    return {
      neuronsLite,
      metagraph: {
        name: 'SubnetInfoRuntimeApi_get_selective_mechagraph',
        argsHex: toHex(concatBytes([encodeU16(netuid), encodeU8(0), encodeVecU16(indexes)])),
        outputType: mechagraph.output,
      },
    };
  }
  const selective = findRuntimeMethod(runtime, 'SubnetInfoRuntimeApi', 'get_selective_metagraph');
  if (selective) {
    const indexes = selectiveIndexes(runtime, selective.output);
    return {
      neuronsLite,
      metagraph: {
        name: 'SubnetInfoRuntimeApi_get_selective_metagraph',
        argsHex: toHex(concatBytes([encodeU16(netuid), encodeVecU16(indexes)])),
        outputType: selective.output,
      },
    };
  }
  const full = findRuntimeMethod(runtime, 'SubnetInfoRuntimeApi', 'get_metagraph');
  if (full) return { neuronsLite, metagraph: { name: 'SubnetInfoRuntimeApi_get_metagraph', argsHex: toHex(encodeU16(netuid)), outputType: full.output } };
  return { neuronsLite, metagraph: undefined };
}

/** Every field of the SelectiveMetagraph struct, by position: the index list that asks for all of them. */
function selectiveIndexes(runtime: RuntimeTypes, optionType: number): number[] {
  const fields = compositeFieldsOf(runtime, unwrapOption(runtime, optionType));
  return fields.map((_, index) => index);
}

function unwrapOption(runtime: RuntimeTypes, id: number): number {
  const type = typeById(runtime, id);
  const def = type.type.def;
  if (type.type.path.join('::') === 'Option' && 'variant' in def) {
    const some = def.variant.variants.find((variant) => variant.name === 'Some');
    if (some) return some.fields[0].type;
  }
  return id;
}

function compositeFieldsOf(runtime: RuntimeTypes, id: number): readonly { name: string | null }[] {
  const def = typeById(runtime, id).type.def;
  if (!('composite' in def)) throw new MissingRuntimeApiError(`type ${id} is not a struct`);
  return def.composite.fields;
}
