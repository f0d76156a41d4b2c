import * as os from 'node:os';
import { Engine } from '../../src/engine/engine';
import { createNostrModule } from '../../src/engine/nostrModule';
import type { HistoryBackfillStatus } from '../../src/protocol/historyBackfillProtocol';
import { startRelay } from '../support/nostrRelay';
import { pastJobTraffic } from '../support/pastJobTraffic';

const DAY = 86_400;
const JOBS = 2_000;
const DAYS_ON_RELAY = 40;
const BACKFILL_DAYS = 30;

/**
 * Issue 12 "History from day one": how fast the history backfill brings a relay's past into the rollups. A loopback
 * relay holds 40 days of signed job traffic (request, payment-required, result or error per job); an engine with an
 * empty in-memory database backfills the last 30 days with the product's page size (500), verifying every event
 * (WASM) and keeping raw rows only for the raw window. Timed from the engine's start to the backfill's end.
 */
export async function runHistoryBackfillBench(print: (line: string) => void): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const traffic = pastJobTraffic({ now, days: DAYS_ON_RELAY, jobs: JOBS, customers: 200, dvms: 20 });
  const relay = await startRelay();
  try {
    for (const event of traffic) await relay.inject(event);
    const inWindow = traffic.filter((event) => event.created_at >= now - BACKFILL_DAYS * DAY).length;
    let finished: (status: HistoryBackfillStatus) => void = () => undefined;
    const done = new Promise<HistoryBackfillStatus>((resolve) => { finished = resolve; });
    const started = performance.now();
    const engine = await Engine.start(
      { dbPath: undefined, collect: true, settings: { relays: [relay.url], backfillDays: BACKFILL_DAYS } },
      {
        modules: [createNostrModule()],
        log: { log: () => undefined },
        notify: (notification) => {
          if (notification.topic === 'nostr.historyBackfill' && notification.payload.state === 'done') finished(notification.payload);
        },
      },
    );
    try {
      const status = await done;
      const seconds = (performance.now() - started) / 1000;
      const megabytes = engine.status().dbBytes / 1024 / 1024;
      print(`history backfill: ${inWindow} events of the last ${BACKFILL_DAYS} d (of ${traffic.length} on the relay) from 1 loopback relay, pages of 500: ` +
        `${seconds.toFixed(1)} s from engine start, ${Math.round(status.events / seconds)} events/s received, ${Math.round(status.accepted / seconds)} events/s stored new ` +
        `(${status.accepted} new to the store; the live collector, running alongside, may store some of the last day first), database ${megabytes.toFixed(1)} MB, ` +
        `load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`);
    } finally {
      await engine.dispose();
    }
  } finally {
    await relay.stop();
  }
}
