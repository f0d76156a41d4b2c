import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { bittensorCommands } from '../../src/cli/bittensorCommands';
import { parseArgs, type CliCommand, type CliIo } from '../../src/cli/cliCommand';
import { collectCommand } from '../../src/cli/collectCommand';
import { runBuiltCli } from '../support/cliRun';
import { startRelay, type TestRelay } from '../support/nostrRelay';
import { createDatabase, startPostgres, type PostgresServer } from '../support/postgresServer';
import { startReplayNode, type ReplayNode } from '../support/replayNode';

/*
 * `swarmscope collect --subnet N` (issue 14: a collector for many subnets, around the clock, with no settings file):
 * the chain collector snapshots the subnets named, and a bad netuid is refused naming --subnet. And a CLI command on a
 * team store holds no LISTEN connection: it shows no live view, so it has nothing to hear. The refusal test runs the built
 * CLI from dist (runBuiltCli): test/run.mjs builds before any tests; run alone, `node esbuild.mjs` first.
 */

// A dead loopback port keeps the engine's chain collector off the network where the chain is not the point.
const OFFLINE_CHAIN = 'ws://127.0.0.1:1';
const metagraphCommand = bittensorCommands.find((command) => command.name === 'metagraph')!;

async function runCommand(command: CliCommand, argv: readonly string[], onErr: (text: string) => void = () => undefined) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (text) => out.push(text), err: (text) => { err.push(text); onErr(text); } };
  const code = await command.run(parseArgs(argv, command), io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('swarmscope collect --subnet', () => {
  let node: ReplayNode;
  let relay: TestRelay;
  let server: PostgresServer;
  let dir: string;

  before(async () => {
    node = await startReplayNode({ seed: 'metagraph' });
    relay = await startRelay();
    server = await startPostgres();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarmscope-collect-subnets-'));
  });
  after(async () => {
    await relay?.stop();
    await node?.stop();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('snapshots the subnets it names into --db, where `metagraph --netuid` finds them', async () => {
    const db = path.join(dir, 'subnets.db');
    const collected = await runCommand(collectCommand, ['--subnet', '1', '--subnet', '2', '--relay', relay.url, '--endpoint', node.url, '--duration', '4', '--db', db, '--json']);
    assert.equal(collected.code, 0, collected.err);
    assert.match(collected.err, /snapshots of subnets 1, 2 /);
    // Subnet 2 was not recorded on finney, so it cannot be stored; the collector asking the node for it is the proof.
    const askedNeurons = node.requests.filter((request) => request.method === 'state_call' && request.params[0] === 'NeuronInfoRuntimeApi_get_neurons_lite');
    assert.ok(askedNeurons.some((request) => request.params[1] === '0x0200'), 'the chain collector asked for netuid 2 (a u16, little-endian)');

    const shown = await runCommand(metagraphCommand, ['--netuid', '1', '--db', db, '--json']);
    assert.equal(shown.code, 0, shown.err);
    const snapshot = JSON.parse(shown.out) as { netuid: number; block: number; neurons: unknown[] };
    assert.equal(snapshot.netuid, 1);
    assert.equal(snapshot.block, node.headNumber);
    assert.equal(snapshot.neurons.length, 1024);
  });

  it('refuses a value that is not a netuid: exit code 2 and a message naming --subnet and the value, before collecting', async () => {
    // The built CLI in its own process, as a shell runs it: what a user (or a supervisor restarting the collector)
    // sees is the exit code and stderr, not the exception inside.
    for (const bad of ['x', '', '-1', '1.5', '0x1', '65536']) {
      const run = await runBuiltCli(['collect', '--subnet', bad, '--relay', relay.url, '--endpoint', OFFLINE_CHAIN, '--duration', '1', '--db', ':memory:']);
      assert.equal(run.code, 2, `--subnet ${JSON.stringify(bad)}: exit code 2 (usage) expected, got ${run.code}; stderr: ${run.stderr}`);
      assert.ok(run.stderr.startsWith(`swarmscope collect: --subnet ${JSON.stringify(bad)} is not a netuid (an integer from 0 to 65535)`), run.stderr);
      assert.doesNotMatch(run.stderr, /collecting from/, 'refused before the collector started');
      assert.equal(run.stdout, '');
    }
  });

  it('holds no LISTEN connection on a --store server while it collects', async () => {
    const url = await createDatabase(server);
    const database = new URL(url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    try {
      let seen: Promise<{ application_name: string; query: string }[]> | undefined;
      // "collecting from …" is written once the engine and its store are open: every connection it holds exists then.
      const onErr = (text: string) => {
        if (!seen && text.startsWith('collecting from')) {
          seen = admin.query<{ application_name: string; query: string }>(
            'SELECT application_name, query FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database],
          ).then((result) => result.rows);
        }
      };
      const collected = await runCommand(collectCommand, ['--store', url, '--relay', relay.url, '--endpoint', OFFLINE_CHAIN, '--duration', '1', '--json'], onErr);
      assert.equal(collected.code, 0, collected.err);
      assert.ok(seen, 'the collector said it was collecting');
      const connections = await seen;
      assert.ok(connections.some((row) => row.application_name.startsWith('swarmscope/')), JSON.stringify(connections));
      assert.deepEqual(connections.filter((row) => /\bLISTEN\b/i.test(row.query)), []);
    } finally {
      await admin.end();
    }
  });
});
