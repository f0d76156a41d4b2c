import * as fs from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { SwarmscopeApi } from '../../src/api';

/**
 * Runs inside code-server's extension host as an `extensionTestsPath` module (the `run()` contract of
 * @vscode/test-electron) for test/bench/activationBench.ts. It measures what only the extension host can see:
 * the extension's activation and its engine's first start from this thread, which modules this thread loaded
 * (@polkadot/api must stay in the engine worker), and the longest event-loop block of this thread
 * (perf_hooks.monitorEventLoopDelay) while the engine starts and collects. It reports one JSON line,
 * prefixed `BENCH_REPORT_PREFIX`, through the console, which VS Code forwards to the page's `codeAutomationLog`.
 * Measures only: never fails on a figure (run() rejects only when it could not measure).
 */

export const BENCH_REPORT_PREFIX = 'SWARMSCOPE_ACTIVATION_BENCH ';
/** Logged once the extension is active, so that the bench may open its views without activating it itself. */
export const BENCH_ACTIVATED_MARKER = 'SWARMSCOPE_ACTIVATION_BENCH_ACTIVATED';
const EXTENSION_ID = 'swarmscope.swarmscope';

interface LongBlock {
  /** When the block began, ms after the bench module started. */
  readonly atMs: number;
  readonly blockMs: number;
}

interface LoopFigures {
  readonly windowMs: number;
  readonly maxMs: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly longBlocks?: readonly LongBlock[];
}

const moduleStarted = performance.now();

interface ModuleFigures {
  /** require.cache keys of this thread that name @polkadot. */
  readonly polkadotModules: string[];
  /** Packages @polkadot/util registered in this thread's global (`__polkadotjs`): set by every @polkadot package, bundled or not. */
  readonly polkadotPackages: string[];
  /** This extension's own modules in require.cache (the bundle; never dist/engine.js). */
  readonly extensionModules: string[];
}

export interface ActivationReport {
  /** The extension was already active when this module ran (activated by onStartupFinished first). */
  readonly activeBeforeBench: boolean;
  /** When this module called activate(), ms after it started (long blocks are dated the same way). */
  readonly activateAtMs: number;
  /** SwarmscopeApi.activationMs: time spent inside activate(). */
  readonly activationMs: number;
  /** Extension.activate() as called from here (module load + activate), when this module triggered activation. */
  readonly activateCallMs: number | null;
  /** From the activate() call to whenEngineReady() resolving, when this module triggered activation. */
  readonly activationToReadyMs: number | null;
  /** The engine's own start (open db + migrate + modules), as it reports in engine.status. */
  readonly engineReadyMs: number;
  /** Host event loop before activation: VS Code's own start-up work, for comparison. */
  readonly baseline: LoopFigures;
  /** Host event loop from the activate() call until the engine is ready. */
  readonly activationToReady: LoopFigures;
  /** Host event loop from engine ready to the end of the window (collection, live tree refreshes). */
  readonly collection: LoopFigures;
  /** "Swarmscope: Restart Engine" (stop worker, spawn, engine.start answered) as the host sees it. */
  readonly restartMs: number;
  readonly restart: LoopFigures;
  readonly modulesAtActivation: ModuleFigures;
  readonly modulesAfterCollection: ModuleFigures;
  /** What the engine collected meanwhile (proves the window had real work in it). */
  readonly collected: { readonly collectors: string[]; readonly dvms: number; readonly subnets: number; readonly chainState: string };
}

export async function run(): Promise<void> {
  const windowMs = Number(process.env.SWARMSCOPE_BENCH_WINDOW_MS ?? 10_000);
  const baselineMs = Number(process.env.SWARMSCOPE_BENCH_BASELINE_MS ?? 3_000);
  const extension = vscode.extensions.getExtension<SwarmscopeApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed in this VS Code`);

  // VS Code's own start-up work (built-in extensions activating) shares this thread: measure it alone first.
  const baseline = await measure(async () => {
    await new Promise((resolve) => setTimeout(resolve, baselineMs));
  });

  const activeBeforeBench = extension.isActive;
  const activateStarted = performance.now();
  const activateAtMs = Math.round(activateStarted - moduleStarted);
  let activateCallMs: number | null = null;
  let modulesAtActivation: ModuleFigures | undefined;
  const { value: api, loop: activationToReady } = await measure(async () => {
    const activated = await extension.activate();
    activateCallMs = activeBeforeBench ? null : performance.now() - activateStarted;
    modulesAtActivation = loadedModules(extension.extensionPath);
    console.log(BENCH_ACTIVATED_MARKER);
    await within('whenEngineReady()', activated.whenEngineReady(), 30_000);
    return activated;
  });
  const activationToReadyMs = activeBeforeBench ? null : performance.now() - activateStarted;
  const status = await api.request('engine.status', {});

  // Collection: the relay, the simulated DVM and the replay node feed the engine meanwhile (the bench drives them).
  const { loop: collection } = await measure(async () => {
    const remaining = activateStarted + windowMs - performance.now();
    if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
  });
  const modulesAfterCollection = loadedModules(extension.extensionPath);
  const collected = await collectedSoFar(api);

  const restartStarted = performance.now();
  const { loop: restart } = await measure(() =>
    within('Swarmscope: Restart Engine', Promise.resolve(vscode.commands.executeCommand('swarmscope.engine.restart')), 30_000));
  const restartMs = performance.now() - restartStarted;

  const report: ActivationReport = {
    activeBeforeBench,
    activateAtMs,
    activationMs: api.activationMs,
    activateCallMs,
    activationToReadyMs,
    engineReadyMs: status.readyMs,
    baseline: baseline.loop,
    activationToReady,
    collection,
    restartMs,
    restart,
    modulesAtActivation: modulesAtActivation!,
    modulesAfterCollection,
    collected,
  };
  console.log(`${BENCH_REPORT_PREFIX}${JSON.stringify(report)}`);
  // The extension host ends with this module; the bench still reads VS Code's Running Extensions editor first.
  await waitForRelease(process.env.SWARMSCOPE_BENCH_RELEASE_FILE, 30_000);
}

async function waitForRelease(file: string | undefined, timeoutMs: number): Promise<void> {
  if (!file) return;
  const deadline = performance.now() + timeoutMs;
  while (!fs.existsSync(file) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** A block longer than this is listed with when it happened, so that it can be matched with what ran then. */
const LONG_BLOCK_MS = 30;
const DRIFT_TICK_MS = 5;

/**
 * Runs `action` with this thread's event-loop delay recorded at 1 ms resolution, and the long blocks listed (a
 * timer that should fire every DRIFT_TICK_MS: a late tick is a block, dated from the bench module's start).
 */
async function measure<T>(action: () => Promise<T>): Promise<{ value: T; loop: LoopFigures }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const started = performance.now();
  const longBlocks: LongBlock[] = [];
  let lastTick = started;
  const drift = setInterval(() => {
    const now = performance.now();
    const late = now - lastTick - DRIFT_TICK_MS;
    if (late > LONG_BLOCK_MS) longBlocks.push({ atMs: Math.round(lastTick - moduleStarted), blockMs: Math.round(late) });
    lastTick = now;
  }, DRIFT_TICK_MS);
  histogram.enable();
  try {
    const value = await action();
    return { value, loop: { ...figures(histogram, performance.now() - started), longBlocks } };
  } finally {
    histogram.disable();
    clearInterval(drift);
  }
}

function loadedModules(extensionPath: string): ModuleFigures {
  const keys = Object.keys(require.cache);
  const registry = (globalThis as { __polkadotjs?: Record<string, unknown> }).__polkadotjs ?? {};
  return {
    polkadotModules: keys.filter((key) => key.includes('@polkadot')),
    polkadotPackages: Object.keys(registry),
    extensionModules: keys.filter((key) => key.startsWith(extensionPath)).map((key) => key.slice(extensionPath.length + 1)),
  };
}

async function collectedSoFar(api: SwarmscopeApi): Promise<ActivationReport['collected']> {
  const status = await api.request('engine.status', {});
  const [dvms, subnets, chain] = await Promise.all([
    api.request('nostr.dvms', {}),
    api.request('bittensor.subnets', {}),
    api.request('bittensor.status', {}),
  ]);
  return {
    collectors: status.collectors.map((collector) => `${collector.name}: ${collector.state}`),
    dvms: dvms.length,
    subnets: subnets.length,
    chainState: chain.state,
  };
}

function figures(histogram: IntervalHistogram, windowMs: number): LoopFigures {
  // The histogram is in nanoseconds; an empty one reports NaN mean and a huge min, so guard the count.
  const toMs = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
  return {
    windowMs,
    maxMs: toMs(histogram.max),
    p99Ms: toMs(histogram.percentile(99)),
    meanMs: histogram.count > 0 ? toMs(histogram.mean) : 0,
  };
}

function within<T>(what: string, promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
