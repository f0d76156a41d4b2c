import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bittensorMigrations } from '../../src/core/bittensor/bittensorMigrations';
import { metagraphCallPlan } from '../../src/core/bittensor/metagraphCalls';
import { decodeMetagraph } from '../../src/core/bittensor/metagraphDecoder';
import type { MetagraphSnapshot } from '../../src/core/bittensor/model';
import { runtimeTypesFromOpaqueMetadataHex } from '../../src/core/bittensor/runtimeTypes';
import { TypeDecoder } from '../../src/core/bittensor/scale/scaleDecoder';
import { fromHex } from '../../src/core/bittensor/scale/scaleEncoder';
import { SnapshotRepo } from '../../src/core/bittensor/snapshotRepo';
import { coreMigrations } from '../../src/core/store/coreMigrations';
import { Store } from '../../src/core/store/store';

/**
 * `npm run bench bittensor`: decode + store of the recorded 1,024-UID metagraph (no network), database bytes per
 * UID per snapshot (with and without the daily rollups), and proof that @polkadot/api stays unloaded until the
 * chain is used.
 */

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the bench');
    dir = parent;
  }
  return dir;
}

function recordedAnswer(rpc: Record<string, Record<string, Record<string, { result?: string }>>>, name: string): Uint8Array {
  const entry = Object.entries(rpc.metagraph.state_call).find(([params]) => (JSON.parse(params) as string[])[0] === name);
  if (!entry?.[1].result) throw new Error(`no recorded ${name}`);
  return fromHex(entry[1].result);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

export async function runBittensorBench(print: (line: string) => void): Promise<void> {
  const root = repoRoot();
  const fixtures = path.join(root, 'test', 'fixtures', 'subtensor');
  const rpc = JSON.parse(fs.readFileSync(path.join(fixtures, 'finney-recorded-rpc.subset.json'), 'utf8'));
  const metadataHex = fs.readFileSync(path.join(fixtures, 'metadata-v15-spec343.hex'), 'utf8').trim();

  let started = performance.now();
  const runtime = runtimeTypesFromOpaqueMetadataHex(metadataHex, 343);
  print(`bittensor: runtime types from metadata v15 (once per runtime version): ${(performance.now() - started).toFixed(0)} ms`);

  const plan = metagraphCallPlan(runtime, 1);
  const neuronsLite = recordedAnswer(rpc, plan.neuronsLite.name);
  const metagraph = recordedAnswer(rpc, plan.metagraph!.name);
  const { store } = await Store.open({ path: undefined, migrations: [...coreMigrations, ...bittensorMigrations] });
  try {
    const repo = new SnapshotRepo(store.db);
    const decoder = new TypeDecoder(runtime);
    const decodeMs: number[] = [];
    const storeMs: number[] = [];
    let snapshot: MetagraphSnapshot | undefined;
    const runs = 20;
    const baseBytes = store.usedBytes();
    for (let i = 0; i < runs; i++) {
      started = performance.now();
      snapshot = decodeMetagraph(decoder, plan, { netuid: 1, block: 6_852_690 + i * 100, neuronsLite, metagraph });
      const decoded = performance.now();
      repo.save(snapshot, { takenAt: 1_800_000_000 + i * 1_200, blockTime: 1_800_000_000 + i * 1_200 });
      storeMs.push(performance.now() - decoded);
      decodeMs.push(decoded - started);
    }
    const total = decodeMs.map((ms, i) => ms + storeMs[i]);
    print(`bittensor: snapshot of ${snapshot!.n} UIDs decoded + stored: median ${percentile(total, 0.5).toFixed(1)} ms, ` +
      `max ${Math.max(...total).toFixed(1)} ms, first ${total[0].toFixed(1)} ms (goal < 300 ms)`);
    print(`bittensor:   decode median ${percentile(decodeMs, 0.5).toFixed(1)} ms (first ${decodeMs[0].toFixed(1)}), ` +
      `store median ${percentile(storeMs, 0.5).toFixed(1)} ms (first ${storeMs[0].toFixed(1)})`);

    const rowsStored = runs * snapshot!.n;
    const withRollups = store.usedBytes() - baseBytes;
    store.db.run('DELETE FROM bittensor_uid_days');
    store.vacuum();
    const withoutRollups = store.usedBytes() - baseBytes;
    const rollupBytes = withRollups - withoutRollups;
    print(`bittensor: database bytes per UID per snapshot: ${(withoutRollups / rowsStored).toFixed(1)} (${runs} snapshots × ${snapshot!.n} UIDs, incl. key/axon dictionaries)`);
    print(`bittensor:   daily rollups: ${(rollupBytes / snapshot!.n).toFixed(1)} bytes per UID per day; ` +
      `at 72 snapshots a day (every 100 blocks) that is ${((withoutRollups / rowsStored) + rollupBytes / snapshot!.n / 72).toFixed(1)} bytes per UID per snapshot with rollups`);
    print(`bittensor:   one subnet of 1,024 UIDs for the default 48 h window: ${((withoutRollups / rowsStored) * 1024 * 144 / 1e6).toFixed(1)} MB; ` +
      `90 days of rollups: ${(rollupBytes / snapshot!.n * 1024 * 90 / 1e6).toFixed(1)} MB`);
  } finally {
    await store.close();
  }

  // Laziness: loading the engine's module graph must not evaluate @polkadot/api (it registers in globalThis.__polkadotjs).
  const cli = path.join(root, 'dist', 'cli.js');
  if (fs.existsSync(cli)) {
    const probe = `const t=performance.now();require(${JSON.stringify(cli)});` +
      'console.log(JSON.stringify({ms:performance.now()-t,polkadot:Object.keys(globalThis.__polkadotjs||{})}))';
    const result = JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })) as { ms: number; polkadot: string[] };
    print(`bittensor: requiring dist/cli.js (whole engine + bittensor module): ${result.ms.toFixed(0)} ms, @polkadot packages evaluated: ${result.polkadot.length === 0 ? 'none (lazy)' : result.polkadot.join(', ')}`);
  }
  const extension = path.join(root, 'dist', 'extension.js');
  if (fs.existsSync(extension)) {
    const text = fs.readFileSync(extension, 'utf8');
    print(`bittensor: dist/extension.js contains @polkadot/api code: ${/ApiPromise|@polkadot\/api/.test(text) ? 'YES (not lazy)' : 'no'}`);
  }
}
