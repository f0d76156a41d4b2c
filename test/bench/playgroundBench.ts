import { buildJobRequest } from '../../src/core/jobs/jobRequest';
import { SecretKey } from '../../src/core/jobs/secretKey';
import { Engine } from '../../src/engine/engine';
import type { EngineNotification } from '../../src/protocol/engineProtocol';
import { DvmSimulator } from '../support/dvmSimulator';
import { startRelay } from '../support/nostrRelay';

/**
 * Issue 11 bar: publish → the first feedback the panel hears, over loopback, is the relay's round trip plus
 * < 300 ms. Jobs are posted one at a time through the engine (`nostr.publish`, as the panel will), each timed from
 * the call to the `nostr.changed` notification after which the job's trace holds a feedback; the relay's round trip
 * is that job's EVENT → OK time. The in-process engine, the loopback relay and the simulated DVM share one process.
 */

const JOBS = 40;
const PER_JOB_TIMEOUT_MS = 10_000;
/** Longer than the change coalescer's interval, so each job starts from a quiet engine, as a user's would. */
const PAUSE_MS = 150;

export async function runPlaygroundBench(print: (line: string) => void): Promise<void> {
  const relay = await startRelay();
  const dvm = await DvmSimulator.start({ relayUrl: relay.url });
  let listener: (notification: EngineNotification) => void = () => undefined;
  const engine = await Engine.start({ dbPath: undefined, settings: {}, collect: false }, { notify: (notification) => listener(notification), log: { log: () => undefined } });
  const key = SecretKey.generate();
  const toFeedback: number[] = [];
  const roundTrips: number[] = [];
  const beyond: number[] = [];
  let missed = 0;
  try {
    for (let i = 0; i < JOBS; i++) {
      const request = buildJobRequest({ kind: 5050, inputs: [{ data: `bench ${i}`, type: 'text' }], dvms: [dvm.pubkey], relays: [relay.url] }, key);
      const heard = new Promise<number | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), PER_JOB_TIMEOUT_MS);
        listener = (notification) => {
          if (notification.topic !== 'nostr.changed' || !notification.payload.jobs.includes(request.id)) return;
          const at = performance.now();
          void engine.call('nostr.trace', { id: request.id }).then((trace) => {
            if (trace?.events.some((event) => event.role === 'feedback')) {
              clearTimeout(timer);
              resolve(at);
            }
          });
        };
      });
      const started = performance.now();
      const published = await engine.call('nostr.publish', { event: request, relays: [relay.url], watchSeconds: 30 });
      const arrived = await heard;
      listener = () => undefined;
      await engine.call('nostr.awaitJob', { id: request.id, timeoutMs: PER_JOB_TIMEOUT_MS, dvms: [dvm.pubkey] });
      await engine.call('nostr.stopWatching', { id: request.id });
      const roundTrip = published.relays[0].ms;
      if (arrived === undefined || roundTrip === undefined) {
        missed++;
      } else {
        toFeedback.push(arrived - started);
        roundTrips.push(roundTrip);
        beyond.push(arrived - started - roundTrip);
      }
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
  } finally {
    await engine.dispose();
    await dvm.stop();
    await relay.stop();
  }
  const figures = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
    return `p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${(sorted[sorted.length - 1] ?? NaN).toFixed(1)} ms`;
  };
  print(`playground publish → first feedback heard (nostr.changed), ${toFeedback.length} jobs one by one over loopback: ${figures(toFeedback)}` +
    `${missed > 0 ? `; ${missed} jobs without feedback within ${PER_JOB_TIMEOUT_MS} ms` : ''}`);
  print(`playground relay round trip (EVENT → OK): ${figures(roundTrips)}`);
  print(`playground publish → first feedback minus the relay's round trip: ${figures(beyond)} (goal < 300 ms; includes connecting, the simulated DVM's own work and the 100 ms change coalescing)`);
}
