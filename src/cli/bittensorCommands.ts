import type { MetagraphSnapshot, WeightsMatrix } from '../core/bittensor/model';
import { singleLine } from '../core/util/untrustedText';
import { ARCHIVE, BLOCK, blockFlag, chainSettings, ENDPOINT, NETUID, requiredNetuid } from './bittensorOptions';
import { formatTable, hasFlag, report, reportFailure, UsageError, withEngine, type CliCommand } from './cliCommand';
import { metagraphCsv } from '../core/bittensor/metagraphCsv';
import { subnetHistoryCommands } from './subnetHistoryCommands';

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
    `subnet ${snapshot.netuid} "${singleLine(snapshot.name)}" at block ${snapshot.block}: ${snapshot.n} UIDs, ${snapshot.validators} validators, ${snapshot.coldkeys} coldkeys`,
    `register cost ${snapshot.burnTao ?? '?'} TAO, price ${snapshot.priceTao?.toFixed(6) ?? '?'} TAO, tempo ${snapshot.tempo ?? '?'}`,
    '',
    formatTable(top),
    snapshot.n > top.length ? `… top ${top.length} by stake of ${snapshot.n}; --json for all` : '',
  ].join('\n').trimEnd();
}

export const bittensorCommands: readonly CliCommand[] = [
  {
    name: 'subnets',
    summary: 'List Bittensor subnets (name, tempo, UIDs, validators, register cost, price) from a subtensor node.',
    options: [ENDPOINT],
    run: (args, io) =>
      withEngine(args, io, { collect: false, settings: chainSettings(args) }, async (engine) => {
        const subnets = await engine.call('bittensor.subnets', { refresh: true });
        return report(args, io, subnets, () => formatTable(subnets.map((s) => ({
          netuid: s.netuid, name: s.name, tempo: s.tempo, uids: `${s.uids}/${s.maxUids ?? '?'}`,
          validators: `${s.validators}${s.validatorsEstimated ? '~' : ''}/${s.maxValidators ?? '?'}`, burnTao: s.burnTao,
          burn24h: s.burnChange24hTao, priceTao: s.priceTao, snapshot: s.latestSnapshotBlock, stale: s.stale ? 'stale' : '',
        }))));
      }),
  },
  {
    name: 'snapshot',
    summary: 'Take a metagraph snapshot of a subnet from a subtensor node (the head, or --block B), store it and print it.',
    options: [NETUID, BLOCK, ENDPOINT, ARCHIVE],
    run: (args, io) => {
      const netuid = requiredNetuid(args);
      const block = blockFlag(args);
      return withEngine(args, io, { collect: false, settings: chainSettings(args) }, async (engine) => {
        const snapshot = await engine.call('bittensor.snapshot', { netuid, ...(block === undefined ? {} : { block }) });
        return report(args, io, snapshotJson(snapshot), () => snapshotText(snapshot));
      });
    },
  },
  {
    name: 'metagraph',
    summary: 'Print a stored metagraph snapshot (at --block B or the newest before it; the newest without it), as text, JSON or CSV.',
    options: [
      NETUID, { ...BLOCK, help: 'the snapshot at this block, or the newest before it (default: the newest)' },
      { name: 'csv', help: 'print CSV: a header, then one row per UID with every column' },
    ],
    run: (args, io) => {
      const netuid = requiredNetuid(args);
      const block = blockFlag(args);
      if (hasFlag(args, 'csv') && hasFlag(args, 'json')) throw new UsageError('--csv and --json each choose the output: give one');
      return withEngine(args, io, { collect: false }, async (engine) => {
        const snapshot = await engine.call('bittensor.metagraph', { netuid, ...(block === undefined ? {} : { block }) });
        if (!snapshot) {
          return reportFailure(io, `no stored snapshot of subnet ${netuid}${block === undefined ? '' : ` at or before block ${block}`}; take one with: swarmscope snapshot --netuid ${netuid}`);
        }
        if (hasFlag(args, 'csv')) return { code: 0, print: () => io.out(metagraphCsv(snapshot.neurons)) };
        return report(args, io, snapshotJson(snapshot), () => snapshotText(snapshot));
      });
    },
  },
  {
    name: 'weights',
    summary: 'Read the weights matrix of a subnet from a subtensor node (the head, or --block B) with validator agreement.',
    options: [NETUID, BLOCK, ENDPOINT, ARCHIVE],
    run: (args, io) => {
      const netuid = requiredNetuid(args);
      const block = blockFlag(args);
      return withEngine(args, io, { collect: false, settings: chainSettings(args) }, async (engine) => {
        const matrix = await engine.call('bittensor.weights', { netuid, ...(block === undefined ? {} : { block }) });
        return report(args, io, matrix, () => weightsText(matrix));
      });
    },
  },
  ...subnetHistoryCommands,
];

function weightsText(matrix: WeightsMatrix): string {
  if (matrix.rows.length === 0) return `subnet ${matrix.netuid} at block ${matrix.block}: no UID has set weights`;
  const consensus = new Map(matrix.agreement.withConsensus.map((entry) => [entry.uid, entry.cosine]));
  const rows = matrix.rows.slice(0, 40).map((row) => {
    const top = [...row.weights].sort((a, b) => b[1] - a[1]).slice(0, 3);
    return {
      uid: row.uid, hotkey: row.hotkey ?? '', stake: row.stake ?? '', targets: row.weights.length,
      top: top.map(([target, weight]) => `${target}:${(weight * 100).toFixed(1)}%`).join(' '),
      consensus: consensus.get(row.uid)?.toFixed(3) ?? '',
    };
  });
  const copies = matrix.agreement.nearDuplicates.slice(0, 10).map((pair) => `  UID ${pair.a} ~ UID ${pair.b} (cosine ${pair.cosine.toFixed(4)})`);
  return [
    `subnet ${matrix.netuid} at block ${matrix.block}: ${matrix.rows.length} UIDs set weights on ${matrix.targets.length} UIDs`,
    '',
    formatTable(rows),
    matrix.rows.length > rows.length ? `… ${rows.length} of ${matrix.rows.length} rows by stake; --json for all` : '',
    copies.length > 0 ? `near-identical weights (cosine ≥ 0.99):\n${copies.join('\n')}` : 'no near-identical weight rows',
  ].join('\n').trimEnd();
}
