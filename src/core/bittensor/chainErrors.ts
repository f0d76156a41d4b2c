import { describeError } from '../util/errors';

/** The endpoint is a pruned node and no longer has the state of the block asked for (substrate code 4003). */
export class StateDiscardedError extends Error {
  constructor(readonly endpoint: string, readonly block: number | string, cause: string) {
    super(
      `${endpoint} no longer has the state of block ${block}: it is a pruned (non-archive) node that keeps only recent ` +
        `state ("${cause}"). Set swarmscope.bittensor.archiveEndpoint to an archive node to read past blocks.`,
    );
  }
}

export class ChainTimeoutError extends Error {}

/** A block the chain cannot have: negative, not an integer, or beyond the node's head. */
export class BlockOutOfRangeError extends RangeError {}

/** The node contradicts itself (a block hash whose header carries another number): nothing it said is stored. */
export class InconsistentNodeError extends Error {}

export class NotConnectedError extends Error {}

/** substrate's sc-rpc answers 4003 "… State already discarded for 0x…" for pruned state (and older nodes "UnknownBlock"). */
export function isStateDiscarded(error: unknown): boolean {
  const message = describeError(error);
  return /State already discarded|4003:|UnknownBlock: State/i.test(message);
}

/**
 * WebSocket failures reach us as DOM-style events ({type, message?, error?}), which describeError would print as
 * "{}"; say what they are.
 */
export function describeChainError(error: unknown): string {
  if (error instanceof Error) return describeError(error);
  if (typeof error === 'object' && error !== null) {
    const event = error as { message?: unknown; error?: unknown; type?: unknown };
    if (typeof event.message === 'string' && event.message) return event.message;
    if (event.error instanceof Error) return describeError(event.error);
    return `the WebSocket ${event.type === 'close' ? 'closed' : 'could not be opened'} (connection refused or dropped)`;
  }
  return describeError(error);
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChainTimeoutError(`${what} did not answer within ${Math.round(ms / 100) / 10} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
