import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EngineClient } from '../../src/engine/engineClient';
import { engineWorkerPath } from '../support/paths';

const offline = { relays: [], subtensorEndpoint: 'ws://127.0.0.1:9', trackedSubnets: [], sizeBudgetMB: 4096 };

function client(dbPath: string): EngineClient {
  return new EngineClient({
    workerPath: engineWorkerPath(),
    startParams: () => ({ dbPath, settings: offline, collect: false, debugMethods: true }),
    log: { log: () => undefined },
    onNotification: () => undefined,
  });
}

/**
 * Engine start (worker spawn → engine.start answered), store flush and load at 10 MB and 100 MB, and the longest
 * block of this (host) thread's event loop meanwhile: the flush runs in the worker, so the host should stay free.
 */
export async function runFoundationBench(print: (line: string) => void): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-bench-'));
  try {
    const starts: number[] = [];
    for (let i = 0; i < 5; i++) {
      const engine = client(path.join(dir, `start-${i}.db`));
      const started = performance.now();
      await engine.start();
      starts.push(performance.now() - started);
      await engine.stop();
    }
    starts.sort((a, b) => a - b);
    print(`engine ready (spawn worker + open db + migrate): median ${starts[2].toFixed(0)} ms, max ${starts[4].toFixed(0)} ms over 5 starts (bar: < 1000 ms)`);

    for (const megabytes of [10, 100]) {
      const dbPath = path.join(dir, `size-${megabytes}.db`);
      const engine = client(dbPath);
      await engine.start();
      await engine.request('engine.debugFill', { megabytes });
      const histogram = monitorEventLoopDelay({ resolution: 1 });
      histogram.enable();
      const flushes: number[] = [];
      for (let i = 0; i < 3; i++) flushes.push((await engine.request('engine.flush', {})).ms);
      histogram.disable();
      await engine.stop();
      const bytes = fs.statSync(dbPath).size;
      const loadStarted = performance.now();
      const reload = client(dbPath);
      await reload.start();
      const loadMs = performance.now() - loadStarted;
      await reload.stop();
      print(`store ${megabytes} MB (${(bytes / 1024 / 1024).toFixed(1)} MB file): flush ${Math.min(...flushes).toFixed(0)}–${Math.max(...flushes).toFixed(0)} ms, ` +
        `load (engine start on it) ${loadMs.toFixed(0)} ms, host event-loop max delay during flushes ${(histogram.max / 1e6).toFixed(1)} ms (bar: < 50 ms)`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
