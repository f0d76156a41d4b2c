import type { Event } from 'nostr-tools/pure';
import { RelayCollector, type RelayCollectorTuning, type RelayCursor } from '../../src/core/collectors/relayCollector';
import type { Logger } from '../../src/core/util/logger';
import type { CollectorStatus } from '../../src/protocol/engineProtocol';
import { eventually } from './eventually';

/**
 * The real RelayCollector with its outputs recorded, for integration tests against loopback relays: what it
 * delivered (by id), batch sizes, the states it passed through, what it dropped, and what it logged.
 */

/** Short waits so that reconnects and pages happen within a test. */
export const FAST_TUNING: RelayCollectorTuning = { backoffBaseMs: 100, backoffCapMs: 400, pageSize: 7, maxWaitMs: 5_000, flushMs: 20, peopleRefreshMs: 100 };

export class MemoryCursor implements RelayCursor {
  readonly values = new Map<string, number>();
  get(relay: string) {
    return this.values.get(relay);
  }
  set(relay: string, createdAt: number) {
    this.values.set(relay, createdAt);
  }
}

export interface CollectorHarness {
  readonly collector: RelayCollector;
  readonly cursor: MemoryCursor;
  readonly received: Map<string, Event>;
  readonly batches: number[];
  readonly states: CollectorStatus['state'][];
  readonly dropped: Map<string, number>;
  readonly logged: string[];
}

export function startCollecting(relays: string[], tuning: RelayCollectorTuning = FAST_TUNING, cursor = new MemoryCursor()): CollectorHarness {
  const received = new Map<string, Event>();
  const batches: number[] = [];
  const states: CollectorStatus['state'][] = [];
  const dropped = new Map<string, number>();
  const logged: string[] = [];
  const log: Logger = {
    log: (level, message) => {
      logged.push(`${level}: ${message}`);
      if (process.env.DEBUG_RELAY) console.log(Date.now() % 100000, level, message);
    },
  };
  const collector: RelayCollector = new RelayCollector({
    relays,
    cursor,
    log,
    tuning,
    onEvents: (_relay, events) => {
      batches.push(events.length);
      for (const event of events as Event[]) received.set(event.id, event);
    },
    onStatusChange: () => {
      const state = collector.status()[0]?.state;
      if (state && states[states.length - 1] !== state) states.push(state);
    },
    onDropped: (reason, count) => dropped.set(reason, (dropped.get(reason) ?? 0) + count),
  });
  collector.start();
  return { collector, cursor, received, batches, states, dropped, logged };
}

export async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  await eventually(what, condition, timeoutMs);
}
