import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { generateSecretKey } from 'nostr-tools/pure';
import type { Browser, Page } from 'playwright-core';
import { ensureVsix } from '../e2e/freshBuild';
import { assertE2eToolsInstalled } from '../e2e/requirements';
import type { ActivationReport } from '../extension/benchActivation';
import { launchBrowser, openActivity, openWorkbench, runPaletteCommand } from '../support/browser';
import { OFFLINE_SWARMSCOPE_SETTINGS, REPO_ROOT, startCodeServer, type CodeServer } from '../support/codeServer';
import { buildJobRequest, DvmSimulator, RelayPublisher } from '../support/dvmSimulator';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { startReplayNode, type ReplayNode } from '../support/replayNode';

/**
 * Activation in a real VS Code: the packaged .vsix in code-server, with a real relay (and a simulated DVM taking
 * jobs) and the replay node on loopback so that the engine has real work while it is measured. A small module
 * (test/extension/benchActivation.ts, bundled here with esbuild's API into a temp folder) runs inside the
 * extension host as `extensionTestsPath` and reports back through `codeAutomationLog`: activation time, time to
 * engine ready, @polkadot modules loaded on the host thread, and the host's event-loop blocks in four phases:
 * before activation (VS Code's own start-up, for comparison), activate() → engine ready, collection with the views
 * open (WINDOW_MS from activation in all), and an engine restart. VS Code's own activation figure is read from
 * its "Developer: Show Running Extensions" editor. Prints figures; asserts nothing.
 */

const WINDOW_MS = 10_000;
const RUN_TIMEOUT_MS = 120_000;
/** Jobs a customer posts (one every 250 ms) while the host is measured; the simulated DVM answers each. */
const JOBS = 20;
/** The same prefix as BENCH_REPORT_PREFIX in benchActivation.ts (not imported: that module imports `vscode`). */
const REPORT_PREFIX = 'SWARMSCOPE_ACTIVATION_BENCH ';
const ACTIVATED_MARKER = 'SWARMSCOPE_ACTIVATION_BENCH_ACTIVATED';

export async function runActivationBench(print: (line: string) => void): Promise<void> {
  assertE2eToolsInstalled();
  const vsix = process.env.SWARMSCOPE_E2E_VSIX ?? ensureVsix();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-activation-bench-'));
  let relay: TestRelay | undefined;
  let dvm: DvmSimulator | undefined;
  let customer: RelayPublisher | undefined;
  let node: ReplayNode | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    const testsPath = await bundleBenchModule(dir);
    const releaseFile = path.join(dir, 'release');
    relay = await startRelay();
    dvm = await DvmSimulator.start({ relayUrl: relay.url, name: 'Bench DVM' });
    customer = await RelayPublisher.connect(relay.url);
    node = await startReplayNode({ seed: 'metagraph' });
    server = await startCodeServer({
      userSettings: {
        ...OFFLINE_SWARMSCOPE_SETTINGS,
        'swarmscope.nostr.relays': [relay.url],
        'swarmscope.bittensor.endpoint': node.url,
        'swarmscope.bittensor.trackedSubnets': [1],
      },
      vsix,
      env: { SWARMSCOPE_BENCH_WINDOW_MS: String(WINDOW_MS), SWARMSCOPE_BENCH_RELEASE_FILE: releaseFile },
    });
    leaveActivationToTheBench(server);
    const url = withTestsPayload(server, testsPath);

    const log: string[] = [];
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    let reportActivated: () => void = () => undefined;
    const activated = new Promise<void>((resolve) => (reportActivated = resolve));
    let reportMeasured: () => void = () => undefined;
    const measured = new Promise<void>((resolve) => (reportMeasured = resolve));
    browser = await launchBrowser();
    const page = await openWorkbench(browser, url, async (newPage) => {
      await newPage.exposeFunction('codeAutomationLog', (_level: string, message: string) => {
        log.push(String(message));
        if (String(message).includes(ACTIVATED_MARKER)) reportActivated();
        if (String(message).includes(REPORT_PREFIX)) reportMeasured();
      });
      await newPage.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    });
    // While the host measures: the trees are open (so refreshes happen) and a customer posts jobs. The views are
    // opened only after the bench module activated the extension (opening them would activate it first).
    const timeline: string[] = [];
    const traffic = Promise.race([activated, sleep(30_000)]).then(async () => {
      const origin = performance.now();
      await driveTraffic(page, customer!, (what) => timeline.push(`${what} +${Math.round(performance.now() - origin)} ms`));
    });
    // VS Code's Running Extensions editor is read once the module has measured (opening it makes the extension
    // host work) and before the module lets the extension host end.
    let vscodeTiming = 'unavailable (the bench module did not report)';
    const readTiming = Promise.race([measured, exited]).then(async () => {
      vscodeTiming = await runningExtensionsTiming(page).catch((error: unknown) => `unavailable (${(error as Error).message.split('\n')[0]})`);
      fs.writeFileSync(releaseFile, '');
    });
    const code = await Promise.race([exited, sleep(RUN_TIMEOUT_MS).then(() => 'timeout' as const)]);
    await traffic;
    await Promise.race([readTiming, sleep(20_000)]);
    const line = log.find((entry) => entry.includes(REPORT_PREFIX));
    if (code !== 0 || !line) {
      throw new Error(`the bench module did not report (exit ${code}):\n${log.join('\n').slice(-4000)}\n${server.output().slice(-2000)}`);
    }
    const report = JSON.parse(line.slice(line.indexOf(REPORT_PREFIX) + REPORT_PREFIX.length)) as ActivationReport;
    printReport(print, report, vscodeTiming);
    print(`bench actions, from the activation marker's arrival: ${timeline.join(', ')}`);
  } finally {
    await browser?.close();
    await server?.stop();
    customer?.close();
    await dvm?.stop();
    await relay?.stop();
    await node?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * code-server ran no `extensionTestsPath` module without an extension development path, so the installed copy of
 * the .vsix (the shipped, minified bundle) is named as the development path too: what is measured is what ships.
 */
function withTestsPayload(server: CodeServer, testsPath: string): string {
  const remote = (absolute: string) => `vscode-remote://127.0.0.1:${server.port}${absolute}`;
  const url = new URL(server.url);
  url.searchParams.set('payload', JSON.stringify([
    ['extensionDevelopmentPath', remote(installedCopy(server))],
    ['extensionTestsPath', remote(testsPath)],
  ]));
  return url.toString();
}

function installedCopy(server: CodeServer): string {
  const installed = fs.readdirSync(server.extensionsDir).filter((name) => name.startsWith('swarmscope.swarmscope-'));
  if (installed.length !== 1) throw new Error(`expected one installed copy of the .vsix, found ${JSON.stringify(installed)}`);
  return path.join(server.extensionsDir, installed[0]);
}

/**
 * `onStartupFinished` activates the extension before an extensionTestsPath module runs, so activation and the
 * engine's first start could not be timed from the host. In this bench's own installed copy only, activation is
 * left to the bench module (it calls `activate()` first thing); the code that runs is unchanged.
 */
function leaveActivationToTheBench(server: CodeServer): void {
  const manifestPath = path.join(installedCopy(server), 'package.json');
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { activationEvents?: string[] };
  manifest.activationEvents = [];
  fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
}

/** test/extension/benchActivation.ts as one CommonJS file for the extension host (vscode external). */
async function bundleBenchModule(dir: string): Promise<string> {
  const outfile = path.join(dir, 'benchActivation.js');
  await esbuild.build({
    entryPoints: [path.join(REPO_ROOT, 'test', 'extension', 'benchActivation.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  return outfile;
}

async function driveTraffic(page: Page, customer: RelayPublisher, mark: (what: string) => void): Promise<void> {
  const key = generateSecretKey();
  await openActivity(page, 'Swarmscope').then(
    () => mark('Swarmscope views opened'),
    (error: unknown) => mark(`Swarmscope views NOT opened (${(error as Error).message.split('\n')[0]})`),
  );
  let published = 0;
  for (let i = 0; i < JOBS; i++) {
    await customer.publish(buildJobRequest({ secretKey: key, input: `bench job ${i}` })).then(() => published++, () => undefined);
    await sleep(250);
  }
  mark(`${published} of ${JOBS} jobs published`);
}

/**
 * VS Code's own figures for the extension, as its "Running Extensions" editor shows them (activation reason and
 * time as the extension host measured them). Returns the row's text.
 */
async function runningExtensionsTiming(page: Page): Promise<string> {
  await runPaletteCommand(page, 'Developer: Show Running Extensions');
  // Its figures arrive from the extension host a moment after the editor opens.
  const row = page.locator('.editor-group-container .monaco-list-row', { hasText: /Swarmscope/ }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
  return /(Startup )?Activation: \S+/.exec(text)?.[0] ?? text;
}

function printReport(print: (line: string) => void, report: ActivationReport, vscodeTiming: string): void {
  const ms = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(1)} ms`);
  const loop = (figures: ActivationReport['restart']) =>
    `max ${ms(figures.maxMs)}, p99 ${ms(figures.p99Ms)}, mean ${ms(figures.meanMs)} over ${(figures.windowMs / 1000).toFixed(1)} s` +
    (figures.longBlocks?.length
      ? `; blocks > 30 ms: ${figures.longBlocks.map((block) => `${block.blockMs} ms at activate()${signed(block.atMs - report.activateAtMs)} ms`).join(', ')}`
      : '');
  print(`activation (inside activate(), SwarmscopeApi.activationMs): ${ms(report.activationMs)} (bar: < 50 ms)`);
  print(report.activeBeforeBench
    ? 'activate() call from the host: n/a (something activated the extension before the bench module ran)'
    : `activate() call from the host (module load + activate): ${ms(report.activateCallMs)}`);
  print(`VS Code's own figure (Running Extensions: loading dist/extension.js + activate()): ${vscodeTiming}`);
  print(`activation → engine ready (whenEngineReady): ${ms(report.activationToReadyMs)}; engine's own start (engine.status readyMs): ${ms(report.engineReadyMs)} (bar: < 1000 ms)`);
  print(`engine restart from the host (stop + spawn + ready): ${ms(report.restartMs)}`);
  const polkadot = (modules: ActivationReport['modulesAtActivation']) =>
    modules.polkadotModules.length + modules.polkadotPackages.length === 0
      ? 'none'
      : `${modules.polkadotModules.length} modules, packages ${modules.polkadotPackages.join(', ') || '–'}`;
  print(`@polkadot on the extension-host thread: at activation ${polkadot(report.modulesAtActivation)}; after ${(WINDOW_MS / 1000).toFixed(0)} s of start and collection ${polkadot(report.modulesAfterCollection)} ` +
    `(chain client in the worker: ${report.collected.chainState}) (bar: none)`);
  print(`extension modules loaded on the host: ${report.modulesAfterCollection.extensionModules.join(', ') || 'none'}`);
  print(`host event loop (longest block), before activation (VS Code's own start-up): ${loop(report.baseline)}`);
  print(`host event loop, activate() → engine ready: ${loop(report.activationToReady)}`);
  print(`host event loop, collection with the views open: ${loop(report.collection)}`);
  print(`host event loop, engine restart: ${loop(report.restart)}`);
  print(`collected meanwhile: ${report.collected.dvms} DVMs, ${report.collected.subnets} subnets; ${report.collected.collectors.join('; ')}`);
}

function signed(value: number): string {
  return value >= 0 ? `+${value}` : `${value}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
