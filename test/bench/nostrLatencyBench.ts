import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateSecretKey } from 'nostr-tools/pure';
import { Engine } from '../../src/engine/engine';
import { EngineClient } from '../../src/engine/engineClient';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import { buildJobRequest, RelayPublisher } from '../support/dvmSimulator';
import { startRelay } from '../support/nostrRelay';

/**
 * Relay → engine → 'nostr.changed' latency on loopback (issue 3 bar: p95 < 500 ms): job requests published one by
 * one; each is timed from just before its EVENT is sent to the notification naming it. The engine runs in a real
 * worker (dist/engine.js, as the extension runs it) when that bundle exists, and in-process too.
 */

const EVENTS = 300;
const PER_EVENT_TIMEOUT_MS = 5_000;

interface EngineUnderTest {
  readonly label: string;
  collectorReady(): Promise<boolean>;
  stop(): Promise<void>;
}

type Listener = (notification: EngineNotification) => void;

export async function runNostrLatencyBench(print: (line: string) => void): Promise<void> {
  const relay = await startRelay();
  try {
    await measure(print, relay.url, await inProcessEngine(relay.url));
    const workerPath = locateWorker();
    if (workerPath) await measure(print, relay.url, await workerEngine(relay.url, workerPath));
    else print('nostr latency (worker): skipped, dist/engine.js not built (run `node esbuild.mjs`)');
  } finally {
    await relay.stop();
  }
}

let listener: Listener = () => undefined;
const dispatch = (notification: EngineNotification) => listener(notification);

async function inProcessEngine(url: string): Promise<EngineUnderTest> {
  const engine = await Engine.start({ dbPath: undefined, settings: settingsFor(url), collect: true }, { notify: dispatch, log: { log: () => undefined } });
  return {
    label: 'in-process',
    collectorReady: async () => isLive(engine.status().collectors, url),
    stop: () => engine.dispose(),
  };
}

async function workerEngine(url: string, workerPath: string): Promise<EngineUnderTest> {
  const client = new EngineClient({
    workerPath,
    startParams: () => ({ dbPath: undefined, settings: settingsFor(url), collect: true }),
    log: { log: () => undefined },
    onNotification: dispatch,
  });
  await client.start();
  return {
    label: 'worker',
    collectorReady: async () => isLive((await client.request('engine.status', {})).collectors, url),
    stop: () => client.stop(),
  };
}

/** The chain collector starts too; a dead loopback port keeps it off the network and out of the figures. */
export function settingsFor(url: string) {
  return { relays: [url], subtensorEndpoint: 'ws://127.0.0.1:1' };
}

export function isLive(collectors: readonly { name: string; state: string; detail?: string }[], url: string): boolean {
  const relay = collectors.find((collector) => collector.name === url);
  return relay?.state === 'connected' && !relay.detail?.includes('backfilling');
}

async function measure(print: (line: string) => void, url: string, engine: EngineUnderTest): Promise<void> {
  const publisher = await RelayPublisher.connect(url);
  const customer = generateSecretKey();
  const latencies: number[] = [];
  let missed = 0;
  try {
    const deadline = Date.now() + 15_000;
    while (!(await engine.collectorReady())) {
      if (Date.now() > deadline) throw new Error(`the ${engine.label} engine's relay collector did not go live`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (let i = 0; i < EVENTS; i++) {
      const request = buildJobRequest({ secretKey: customer, input: `bench ${i}` });
      const seen = new Promise<number | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), PER_EVENT_TIMEOUT_MS);
        listener = (notification) => {
          if (notification.topic === 'nostr.changed' && notification.payload.jobs.includes(request.id)) {
            clearTimeout(timer);
            resolve(performance.now());
          }
        };
      });
      const sent = performance.now();
      await publisher.publish(request);
      const arrived = await seen;
      if (arrived === undefined) missed++;
      else latencies.push(arrived - sent);
    }
  } finally {
    listener = () => undefined;
    publisher.close();
    await engine.stop();
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  print(`nostr latency relay→engine→nostr.changed (${engine.label}, ${EVENTS} events one by one): ` +
    `p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${(latencies[latencies.length - 1] ?? NaN).toFixed(1)} ms` +
    `${missed > 0 ? `, ${missed} not notified within ${PER_EVENT_TIMEOUT_MS} ms` : ''} (goal p95 < 500 ms)`);
}

/** dist/engine.js beside the bench bundle (dist/bench/bench.js) or from the repository root when run from source. */
export function locateWorker(): string | undefined {
  const candidates = [path.join(__dirname, '..', 'engine.js'), path.join(__dirname, '..', '..', 'dist', 'engine.js')];
  return candidates.find((candidate) => fs.existsSync(candidate));
}
