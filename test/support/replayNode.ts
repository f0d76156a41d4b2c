import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A subtensor node on loopback that answers JSON-RPC 2.0 over WebSocket from responses recorded on finney
 * (test/fixtures/subtensor). `@polkadot/api` connects to it exactly as to a real node: the init calls, metadata
 * v15 and the subscriptions it opens are answered here; everything else comes from the chosen seed.
 *
 * What is not recorded is answered with a JSON-RPC error, never with silence, so that a client waiting on a
 * missing answer fails fast and says why.
 */

export const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'subtensor');
export const FINNEY_GENESIS = '0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03';

/** Substrate's own error for state that a pruned (non-archive) node has dropped (sc-rpc, code 4003). */
export const STATE_DISCARDED_CODE = 4003;
export function stateDiscardedMessage(hash: string): string {
  return `Client error: Api called for an unknown Block: State already discarded for ${hash}`;
}

type RecordedAnswer = { result?: unknown; error?: { code: number; message: string } } | { __cycle__: RecordedAnswer[] };
export type RecordedRpc = Record<string, Record<string, Record<string, RecordedAnswer>>>;

export interface ReplayNodeOptions {
  readonly seed: string;
  readonly port?: number;
  /** Answer like a pruned node: state at any block but the recorded head is "already discarded". */
  readonly pruned?: boolean;
  /**
   * Answer like an archive node for past blocks, by serving the recorded head state at every past block (only
   * one block's state was recorded). Lets backfill, progress and cancellation be tested; values are the head's.
   */
  readonly archive?: boolean;
  /**
   * Answer `chain_getBlockHash` with the head's hash for every block number, as a node that ignores the parameter
   * would. Its headers still tell the truth, so a client that checks a hash's header number can tell.
   */
  readonly inconsistent?: boolean;
  /**
   * Another chain: `chain_getBlockHash(0)` answers this genesis hash instead of finney's, as a testnet or a local
   * node would; everything else is the seed's.
   */
  readonly genesisHash?: string;
  /**
   * Seeds whose runtime calls and storage are answered too, at this seed's head: each seed is one block's state, so
   * a test that needs a subnet list, a metagraph and a weights matrix from one node can have them (values as
   * recorded at their own blocks; the block they are read at is this seed's).
   */
  readonly alsoFrom?: readonly string[];
}

export interface ReplayRequest {
  readonly method: string;
  readonly params: readonly unknown[];
}

export interface ReplayNode {
  readonly url: string;
  readonly port: number;
  readonly headHash: string;
  readonly headNumber: number;
  /** Every request received, in order (tests read which calls the client made). */
  readonly requests: ReplayRequest[];
  /** Closes the server and drops every client, as a killed node would. */
  stop(): Promise<void>;
  /** Listens again on the same port after `stop`. */
  start(): Promise<void>;
  restart(): Promise<void>;
  setPruned(pruned: boolean): void;
}

let fixtureCache: { rpc: RecordedRpc; metadataV15: string } | undefined;

export function loadRecordedRpc(): { rpc: RecordedRpc; metadataV15: string } {
  fixtureCache ??= {
    rpc: JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, 'finney-recorded-rpc.subset.json'), 'utf8')) as RecordedRpc,
    metadataV15: fs.readFileSync(path.join(FIXTURE_DIR, 'metadata-v15-spec343.hex'), 'utf8').trim(),
  };
  return fixtureCache;
}

/** The recorded `state_call` answer of a seed, as hex (tests decode it independently of the client). */
export function recordedStateCall(seed: string, runtimeMethod: string): string {
  const calls = loadRecordedRpc().rpc[seed]?.state_call ?? {};
  for (const [params, answer] of Object.entries(calls)) {
    if ((JSON.parse(params) as unknown[])[0] === runtimeMethod && 'result' in answer) return answer.result as string;
  }
  throw new Error(`seed ${seed} has no recorded ${runtimeMethod}`);
}

class RpcError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** Recorded params use the Python SDK's spelling ("0100" for 0x0100, a trailing null for "at head"); normalise both sides. */
function canonicalParams(params: readonly unknown[]): string {
  const normalised = params.map((value) => (typeof value === 'string' && /^(0x)?[0-9a-fA-F]*$/.test(value) && value.length > 0 && (value.startsWith('0x') || value.length % 2 === 0) ? value.replace(/^0x/, '').toLowerCase() : value));
  while (normalised.length > 0 && (normalised[normalised.length - 1] === null || normalised[normalised.length - 1] === undefined)) normalised.pop();
  return JSON.stringify(normalised);
}

interface Header { parentHash: string; number: string; [key: string]: unknown }

export async function startReplayNode(options: ReplayNodeOptions): Promise<ReplayNode> {
  const { rpc, metadataV15 } = loadRecordedRpc();
  const seed = rpc[options.seed];
  if (!seed) throw new Error(`no recorded seed ${options.seed}`);
  const methodsSeed = Object.values(rpc).find((candidate) => candidate.rpc_methods);
  const rpcMethods = methodsSeed ? Object.values(methodsSeed.rpc_methods)[0] : undefined;

  // Index the seed by method and normalised params.
  const index = new Map<string, RecordedAnswer>();
  for (const [method, byParams] of Object.entries(seed)) {
    for (const [params, answer] of Object.entries(byParams)) index.set(`${method}${canonicalParams(JSON.parse(params) as unknown[])}`, answer);
  }
  const cycles = new Map<string, number>();

  const headHash = resultOf(Object.values(seed.chain_getHead ?? {})[0]) as string;
  const headers = new Map<string, Header>();
  for (const [params, answer] of Object.entries(seed.chain_getHeader ?? {})) {
    const hash = (JSON.parse(params) as (string | null)[])[0] ?? headHash;
    headers.set(hash, resultOf(answer) as Header);
  }
  const head = headers.get(headHash);
  if (!head) throw new Error(`seed ${options.seed} has no header for its head`);
  const headNumber = Number.parseInt(head.number, 16);
  const runtimeVersion = resultOf(Object.values(seed.state_getRuntimeVersion ?? {}).at(-1));
  // Metadata v15 without its Option + compact length: the raw bytes state_getMetadata returns.
  const rawMetadata = `0x${metadataV15.replace(/^0x/, '').slice(2 + compactPrefixHexLength(metadataV15.replace(/^0x/, '').slice(2)))}`;

  const storage = recordedStorage(seed);
  const borrowedCalls = new Map<string, RecordedAnswer>();
  for (const other of options.alsoFrom ?? []) {
    const borrowed = rpc[other];
    if (!borrowed) throw new Error(`no recorded seed ${other}`);
    for (const [params, answer] of Object.entries(borrowed.state_call ?? {})) {
      const [name, data] = JSON.parse(params) as [string, string];
      borrowedCalls.set(canonicalParams([name, data]), answer);
    }
    const more = recordedStorage(borrowed);
    for (const [key, value] of more.values) if (!storage.values.has(key) || storage.values.get(key) === null) storage.values.set(key, value);
    storage.sortedKeys = [...new Set([...storage.sortedKeys, ...more.sortedKeys])].sort();
    storage.listedPrefixes.push(...more.listedPrefixes);
  }

  let pruned = options.pruned ?? false;
  let nextSubscription = 1;
  const requests: ReplayRequest[] = [];

  const syntheticHash = (block: number) => `0x${'5e'.repeat(24)}${block.toString(16).padStart(16, '0')}`;
  const syntheticNumber = (hash: string) => (hash.startsWith(`0x${'5e'.repeat(24)}`) ? Number.parseInt(hash.slice(50), 16) : undefined);

  function lookup(method: string, rawParams: readonly unknown[]): unknown {
    const params = options.archive ? rawParams.map((p) => (typeof p === 'string' && syntheticNumber(p) !== undefined ? headHash : p)) : rawParams;
    const key = `${method}${canonicalParams(params)}`;
    let answer = index.get(key);
    // polkadot-js omits "at" for the head; the recorder often spelled it out.
    if (!answer) answer = index.get(`${method}${canonicalParams([...params.filter((p) => p !== null && p !== undefined), headHash])}`);
    if (!answer && params.at(-1) === headHash) answer = index.get(`${method}${canonicalParams(params.slice(0, -1))}`);
    if (!answer) throw new RpcError(-32000, `replay node: no recorded answer for ${method}${JSON.stringify(params).slice(0, 200)} in seed ${options.seed}`);
    if ('__cycle__' in answer) {
      const turn = cycles.get(key) ?? 0;
      cycles.set(key, turn + 1);
      answer = answer.__cycle__[Math.min(turn, answer.__cycle__.length - 1)];
    }
    if ('error' in answer && answer.error) throw new RpcError(answer.error.code, answer.error.message);
    return (answer as { result?: unknown }).result ?? null;
  }

  /** The block a state query names; throws the pruned node's error for old state. */
  function checkState(at: unknown): void {
    if (typeof at !== 'string' || at === headHash) return;
    if (pruned) throw new RpcError(STATE_DISCARDED_CODE, stateDiscardedMessage(at));
  }

  function storageValue(key: string, at: unknown): unknown {
    checkState(at);
    const recorded = storage.values.get(key.toLowerCase());
    if (recorded !== undefined) return recorded;
    return lookup('state_getStorageAt', [key, typeof at === 'string' ? at : headHash]);
  }

  /**
   * `state_getKeysPaged` over every key the seed recorded, as a node pages its trie: sorted, after `startKey`. A
   * prefix the recording never listed is an error, not an empty map: the replay cannot know what is under it.
   */
  function keysPaged(prefix: string, count: number, startKey: unknown, at: unknown): string[] {
    checkState(at);
    const lowerPrefix = prefix.toLowerCase();
    if (!storage.listedPrefixes.some((listed) => lowerPrefix.startsWith(listed))) {
      throw new RpcError(-32000, `replay node: the keys under ${prefix} were not recorded in seed ${options.seed}`);
    }
    const from = typeof startKey === 'string' && startKey.length > 0 ? startKey.toLowerCase() : '';
    return storage.sortedKeys.filter((key) => key.startsWith(lowerPrefix) && key > from).slice(0, count);
  }

  function answer(method: string, params: readonly unknown[], send: (message: unknown) => void): unknown {
    switch (method) {
      case 'system_chain': return 'Bittensor';
      case 'system_name': return 'Subtensor Node (replay)';
      case 'system_version': return 'replay';
      case 'system_chainType': return 'Live';
      case 'system_properties': return { ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' };
      case 'system_health': return { peers: 1, isSyncing: false, shouldHavePeers: true };
      case 'rpc_methods':
        if (!rpcMethods) throw new RpcError(-32000, 'replay node: no recorded rpc_methods');
        return resultOf(rpcMethods);
      case 'chain_getHead':
      case 'chain_getFinalizedHead':
      case 'chain_getFinalisedHead':
        return headHash;
      case 'chain_getBlockHash': {
        const block = params[0];
        if (block === undefined || block === null || options.inconsistent) return headHash;
        const number = typeof block === 'string' ? Number.parseInt(block, block.startsWith('0x') ? 16 : 10) : Number(block);
        if (number === 0) return options.genesisHash ?? FINNEY_GENESIS;
        if (number === headNumber) return headHash;
        if (number > headNumber) return null; // not produced yet, as a real node answers
        // Headers of older blocks survive pruning (only their state goes); their hashes are synthesized here.
        return syntheticHash(number);
      }
      case 'chain_getHeader': {
        const at = params[0];
        if (at === undefined || at === null || at === headHash) return head;
        const recorded = headers.get(at as string);
        if (recorded) return recorded;
        const number = syntheticNumber(at as string);
        if (number !== undefined) return { ...head, number: `0x${number.toString(16)}`, parentHash: syntheticHash(number - 1) };
        return null;
      }
      case 'state_getRuntimeVersion':
      case 'chain_getRuntimeVersion':
        checkState(params[0]);
        return runtimeVersion;
      case 'state_getMetadata':
        checkState(params[0]);
        return rawMetadata;
      case 'state_call': {
        const [name, data, at] = params as [string, string, string | undefined];
        checkState(at);
        if (name === 'Metadata_metadata_versions') return '0x080e0000000f000000';
        if (name === 'Metadata_metadata_at_version') {
          if (String(data).replace(/^0x/, '') === '0f000000') return metadataV15;
          return '0x00'; // None: only v15 was recorded
        }
        const borrowed = borrowedCalls.get(canonicalParams([name, data]));
        if (borrowed && !index.has(`state_call${canonicalParams([name, data, at ?? headHash])}`)) return resultOf(borrowed);
        return lookup('state_call', [name, data, at ?? headHash]);
      }
      case 'state_getStorage':
      case 'state_getStorageAt':
        return storageValue(params[0] as string, params[1]);
      case 'state_getKeysPaged':
      case 'state_getKeysPagedAt':
        return keysPaged(params[0] as string, Number(params[1]), params[2], params[3]);
      case 'state_queryStorageAt': {
        const [keys, at] = params as [string[], string | undefined];
        const changes = keys.map((key) => [key, storageValue(key, at)]);
        return [{ block: at ?? headHash, changes }];
      }
      case 'state_subscribeStorage': {
        const keys = params[0] as string[];
        const changes = keys.map((key) => [key, storageValue(key, undefined)]);
        return subscribe('state_storage', { block: headHash, changes }, send);
      }
      case 'state_subscribeRuntimeVersion':
      case 'chain_subscribeRuntimeVersion':
        return subscribe('state_runtimeVersion', runtimeVersion, send);
      case 'chain_subscribeNewHeads':
      case 'chain_subscribeNewHead':
      case 'subscribe_newHead':
        return subscribe('chain_newHead', head, send);
      case 'chain_subscribeFinalizedHeads':
      case 'chain_subscribeFinalisedHeads':
        return subscribe('chain_finalizedHead', head, send);
      case 'chain_subscribeAllHeads':
        return subscribe('chain_allHead', head, send);
      default:
        if (/^(state|chain)_unsubscribe|^unsubscribe_/.test(method)) return true;
        if (seed[method]) return lookup(method, params);
        throw new RpcError(-32601, `Method not found: ${method}`);
    }
  }

  /** Answers with a subscription id, then pushes the current value once, as a node does on subscribe. */
  function subscribe(notificationMethod: string, value: unknown, send: (message: unknown) => void): string {
    const subscription = `replay-${nextSubscription++}`;
    setImmediate(() => send({ jsonrpc: '2.0', method: notificationMethod, params: { subscription, result: value } }));
    return subscription;
  }

  function handle(socket: WebSocket, raw: string): void {
    const send = (message: unknown) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
      return;
    }
    const batch = Array.isArray(parsed) ? parsed : [parsed];
    const replies = batch.map((request) => {
      const { id, method, params } = (request ?? {}) as { id?: unknown; method?: unknown; params?: unknown };
      if (typeof method !== 'string') return { jsonrpc: '2.0', id: id ?? null, error: { code: -32600, message: 'Invalid Request' } };
      const list = Array.isArray(params) ? params : [];
      requests.push({ method, params: list });
      try {
        return { jsonrpc: '2.0', id, result: answer(method, list, send) };
      } catch (error) {
        const code = error instanceof RpcError ? error.code : -32603;
        return { jsonrpc: '2.0', id, error: { code, message: (error as Error).message } };
      }
    });
    send(Array.isArray(parsed) ? replies : replies[0]);
  }

  let server: WebSocketServer | undefined;
  let port = options.port ?? 0;

  async function start(): Promise<void> {
    if (server) return;
    const created = new WebSocketServer({ host: '127.0.0.1', port, maxPayload: 64 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      created.once('listening', resolve);
      created.once('error', reject);
    });
    port = (created.address() as AddressInfo).port;
    created.on('connection', (socket) => socket.on('message', (data) => handle(socket, data.toString())));
    server = created;
  }

  async function stop(): Promise<void> {
    const closing = server;
    server = undefined;
    if (!closing) return;
    for (const client of closing.clients) client.terminate();
    await new Promise<void>((resolve) => closing.close(() => resolve()));
  }

  await start();
  return {
    get url() {
      return `ws://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    headHash,
    headNumber,
    requests,
    stop,
    start,
    restart: async () => {
      await stop();
      await start();
    },
    setPruned: (value) => {
      pruned = value;
    },
  };
}

/**
 * The storage a seed saw: every key named in its storage calls, the value recorded for it (null where the key was
 * listed by `state_getKeysPaged` but never read), and the prefixes whose keys were listed in full. A seed is one
 * block's state, so keys need no block.
 */
function recordedStorage(seed: Record<string, Record<string, RecordedAnswer>>): { values: Map<string, string | null>; sortedKeys: string[]; listedPrefixes: string[] } {
  const values = new Map<string, string | null>();
  const keys = new Set<string>();
  const listedPrefixes = new Set<string>();
  for (const [params, answer] of Object.entries(seed.state_getKeysPaged ?? {})) {
    listedPrefixes.add(String((JSON.parse(params) as unknown[])[0]).toLowerCase());
    for (const key of (resultOf(answer) as string[] | null) ?? []) keys.add(key.toLowerCase());
  }
  for (const answer of Object.values(seed.state_queryStorageAt ?? {})) {
    for (const { changes } of (resultOf(answer) as { changes: [string, string | null][] }[] | null) ?? []) {
      for (const [key, value] of changes) {
        keys.add(key.toLowerCase());
        values.set(key.toLowerCase(), value);
      }
    }
  }
  for (const [params, answer] of Object.entries(seed.state_getStorageAt ?? {})) {
    const key = ((JSON.parse(params) as string[])[0] ?? '').toLowerCase();
    if ('result' in answer && answer.result !== undefined) {
      keys.add(key);
      if (!values.has(key)) values.set(key, answer.result as string | null);
    }
  }
  return { values, sortedKeys: [...keys].sort(), listedPrefixes: [...listedPrefixes] };
}

function resultOf(answer: RecordedAnswer | undefined): unknown {
  if (!answer) return undefined;
  if ('__cycle__' in answer) return resultOf(answer.__cycle__.at(-1));
  return answer.result;
}

/** Hex characters taken by a SCALE compact integer at the start of `hex`. */
function compactPrefixHexLength(hex: string): number {
  const mode = Number.parseInt(hex.slice(0, 2), 16) & 0b11;
  if (mode === 0) return 2;
  if (mode === 1) return 4;
  if (mode === 2) return 8;
  return 2 + 2 * ((Number.parseInt(hex.slice(0, 2), 16) >> 2) + 4);
}

let runtimeCache: import('../../src/core/bittensor/scale/portableTypes').RuntimeTypes | undefined;

/** Spec 343's portable types and runtime APIs, from the recorded metadata v15 (no connection). */
export function recordedRuntime(): import('../../src/core/bittensor/scale/portableTypes').RuntimeTypes {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runtimeTypesFromOpaqueMetadataHex } = require('../../src/core/bittensor/runtimeTypes') as typeof import('../../src/core/bittensor/runtimeTypes');
  runtimeCache ??= runtimeTypesFromOpaqueMetadataHex(loadRecordedRpc().metadataV15, 343);
  return runtimeCache;
}

/** The recorded metagraph of netuid 1 at block 6,852,690, decoded by the engine's own decoder. */
export function recordedMetagraphSnapshot(): import('../../src/core/bittensor/model').MetagraphSnapshot {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { metagraphCallPlan } = require('../../src/core/bittensor/metagraphCalls') as typeof import('../../src/core/bittensor/metagraphCalls');
  const { decodeMetagraph } = require('../../src/core/bittensor/metagraphDecoder') as typeof import('../../src/core/bittensor/metagraphDecoder');
  const { TypeDecoder } = require('../../src/core/bittensor/scale/scaleDecoder') as typeof import('../../src/core/bittensor/scale/scaleDecoder');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const runtime = recordedRuntime();
  const hex = (name: string) => Buffer.from(recordedStateCall('metagraph', name).slice(2), 'hex');
  return decodeMetagraph(new TypeDecoder(runtime), metagraphCallPlan(runtime, 1), {
    netuid: 1,
    block: 6_852_690,
    neuronsLite: new Uint8Array(hex('NeuronInfoRuntimeApi_get_neurons_lite')),
    metagraph: new Uint8Array(hex('SubnetInfoRuntimeApi_get_selective_mechagraph')),
  });
}
