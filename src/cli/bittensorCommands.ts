import type { MetagraphSnapshot } from '../core/bittensor/model';
import type { RawSettings } from '../core/config/settings';
import { flag, formatTable, intFlag, printResult, UsageError, withEngine, type CliArgs, type CliCommand } from './cliCommand';

/** `--endpoint URL` becomes the engine's subtensorEndpoint (and its archive endpoint, for --block reads). */
function chainSettings(args: CliArgs): RawSettings {
  const endpoint = flag(args, 'endpoint');
  return endpoint ? { subtensorEndpoint: endpoint, archiveEndpoint: flag(args, 'archive') ?? endpoint } : {};
}

function requiredNetuid(args: CliArgs): number {
  const netuid = intFlag(args, 'netuid');
  if (netuid === undefined || netuid < 0 || netuid > 65_535) throw new UsageError('--netuid N is required (0–65535)');
  return netuid;
}

/** The JSON shape the issue fixes: snapshot header plus one object per UID (every NeuronRow field). */
function snapshotJson(snapshot: MetagraphSnapshot) {
  return {
    netuid: snapshot.netuid, block: snapshot.block, name: snapshot.name, n: snapshot.n, validators: snapshot.validators,
    coldkeys: snapshot.coldkeys, tempo: snapshot.tempo, maxUids: snapshot.maxUids, maxValidators: snapshot.maxValidators,
    burnTao: snapshot.burnTao, priceTao: snapshot.priceTao, occupancy: snapshot.occupancy,
    neurons: snapshot.neurons,
  };
}

function snapshotText(snapshot: MetagraphSnapshot): string {
  const top = [...snapshot.neurons].sort((a, b) => b.stake - a.stake).slice(0, 40).map((neuron) => ({
    uid: neuron.uid, hotkey: neuron.hotkey, coldkey: neuron.coldkey, permit: neuron.validatorPermit ? 'V' : '', stake: neuron.stake,
    incentive: neuron.incentive, dividends: neuron.dividends, vtrust: neuron.validatorTrust, emission: neuron.emission,
  }));
  return [
    `subnet ${snapshot.netuid} "${snapshot.name}" at block ${snapshot.block}: ${snapshot.n} UIDs, ${snapshot.validators} validators, ${snapshot.coldkeys} coldkeys`,
    `register cost ${snapshot.burnTao ?? '?'} TAO, price ${snapshot.priceTao?.toFixed(6) ?? '?'} TAO, tempo ${snapshot.tempo ?? '?'}`,
    '',
    formatTable(top),
    snapshot.n > top.length ? `… top ${top.length} by stake of ${snapshot.n}; --json for all` : '',
  ].join('\n').trimEnd();
}

/**
 * A snapshot prints ~200 KB; stdout to a pipe is asynchronous in Node and src/cli.ts exits right after the command
 * returns, which would cut the JSON short. Wait until what was written has been handed to the OS.
 */
function drainStdout(): Promise<void> {
  return new Promise((resolve) => process.stdout.write('', () => resolve()));
}

export const bittensorCommands: readonly CliCommand[] = [
  {
    name: 'subnets',
    summary: 'List Bittensor subnets (name, tempo, UIDs, validators, register cost, price) from a subtensor node.',
    usage: 'swarmscope subnets [--endpoint URL] [--db PATH] [--json]',
    run: (args, io) =>
      withEngine(args, io, { collect: false, settings: chainSettings(args) }, async (engine) => {
        const subnets = await engine.call('bittensor.subnets', { refresh: true });
        printResult(args, io, subnets, () => formatTable(subnets.map((s) => ({
          netuid: s.netuid, name: s.name, tempo: s.tempo, uids: `${s.uids}/${s.maxUids ?? '?'}`,
          validators: `${s.validators}${s.validatorsEstimated ? '~' : ''}/${s.maxValidators ?? '?'}`, burnTao: s.burnTao,
          burn24h: s.burnChange24hTao, priceTao: s.priceTao, snapshot: s.latestSnapshotBlock, stale: s.stale ? 'stale' : '',
        }))));
        await drainStdout();
        return 0;
      }),
  },
  {
    name: 'snapshot',
    summary: 'Take a metagraph snapshot of a subnet from a subtensor node (the head, or --block B), store it and print it.',
    usage: 'swarmscope snapshot --netuid N [--block B] [--endpoint URL] [--archive URL] [--db PATH] [--json]',
    run: (args, io) => {
      const netuid = requiredNetuid(args);
      const block = intFlag(args, 'block');
      return withEngine(args, io, { collect: false, settings: chainSettings(args) }, async (engine) => {
        const snapshot = await engine.call('bittensor.snapshot', { netuid, ...(block === undefined ? {} : { block }) });
        printResult(args, io, snapshotJson(snapshot), () => snapshotText(snapshot));
        await drainStdout();
        return 0;
      });
    },
  },
  {
    name: 'metagraph',
    summary: 'Print a stored metagraph snapshot (at --block B or the newest before it; the newest without it).',
    usage: 'swarmscope metagraph --netuid N [--block B] [--db PATH] [--json]',
    run: (args, io) => {
      const netuid = requiredNetuid(args);
      const block = intFlag(args, 'block');
      return withEngine(args, io, { collect: false }, async (engine) => {
        const snapshot = await engine.call('bittensor.metagraph', { netuid, ...(block === undefined ? {} : { block }) });
        if (!snapshot) {
          io.err(`no stored snapshot of subnet ${netuid}${block === undefined ? '' : ` at or before block ${block}`}; take one with: swarmscope snapshot --netuid ${netuid}`);
          return 1;
        }
        printResult(args, io, snapshotJson(snapshot), () => snapshotText(snapshot));
        await drainStdout();
        return 0;
      });
    },
  },
];
