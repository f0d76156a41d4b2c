import { TRACE_FIELDS, type GroupBy, type GroupsTable, type SubnetOverview, type Traces, type TraceSelection } from '../core/bittensor/subnetHistoryModel';
import { singleLine } from '../core/util/untrustedText';
import { blockFlag, chainSettings, choiceFlag, countFlag, ENDPOINT, FROM, NETUID, RANGE_FORMS, rangeFlags, requiredNetuid, TO } from './bittensorOptions';
import { flag, flagList, formatTable, report, reportFailure, UsageError, withEngine, type CliArgs, type CliCommand } from './cliCommand';

/** The subnet dashboard's figures from the stored history (issue 13), for a terminal or a script. */

const noSnapshot = (netuid: number) => `no stored snapshot of subnet ${netuid}; take one with: swarmscope snapshot --netuid ${netuid}`;

/** Exactly one of --hotkey (repeatable), --uid (repeatable) or --top chooses whose history. */
function traceSelection(args: CliArgs): TraceSelection {
  const hotkeys = flagList(args, 'hotkey');
  const uids = flagList(args, 'uid').map((value) => {
    const uid = Number(value);
    if (!Number.isInteger(uid) || uid < 0 || uid > 65_535) throw new UsageError(`--uid must be a UID, 0–65535 (got ${JSON.stringify(value)})`);
    return uid;
  });
  const top = countFlag(args, 'top', 64);
  const given = [hotkeys.length > 0, uids.length > 0, top !== undefined].filter(Boolean).length;
  if (given !== 1) throw new UsageError('give one of --hotkey H, --uid U (each repeatable) or --top N');
  if (hotkeys.length > 0) return { hotkeys };
  if (uids.length > 0) return { uids };
  return { top: top! };
}

function overviewText(o: SubnetOverview): string {
  const change = (value: number | null) => (value === null ? 'n/a' : `${value >= 0 ? '+' : ''}${value}`);
  const behind = o.headBlock === null
    ? 'head not read (give --endpoint to compare with the chain)'
    : o.stale ? `OUT OF DATE: ${o.blocksBehind} blocks behind head ${o.headBlock}` : `${o.blocksBehind} blocks behind head ${o.headBlock}`;
  return [
    `subnet ${o.netuid} "${singleLine(o.name)}": newest snapshot at block ${o.newestBlock} (${new Date(o.newestTime * 1000).toISOString()}), ${behind}`,
    `register cost ${o.burnTao ?? '?'} TAO (24 h ${change(o.burnChange24hTao)}), price ${o.priceTao ?? '?'} TAO, tempo ${o.tempo ?? '?'}`,
    `validators ${o.validators} (24 h ${change(o.validatorsChange24h)}), miners ${o.miners} (24 h ${change(o.minersChange24h)})`,
    `slots: validators ${o.occupancy.validators.used}/${o.occupancy.validators.max ?? '?'}, miners ${o.occupancy.miners.used}/${o.occupancy.miners.max ?? '?'}`,
    `emission ${o.emissionPerTempo} per tempo; ${o.snapshots.stored} snapshots stored since block ${o.snapshots.oldestBlock}, ${o.snapshots.complete} in full`,
  ].join('\n');
}

function tracesText(t: Traces): string {
  if (t.series.length === 0) return `subnet ${t.netuid}: no stored ${t.field} for that choice`;
  return formatTable(t.series.map((s) => {
    const values = s.points.flatMap((p) => (p.value === null ? [] : [p.value]));
    return {
      key: s.key, coldkey: s.coldkey ?? '', points: s.points.length, from: s.points[0]?.block ?? '', to: s.points.at(-1)?.block ?? '',
      first: values[0] ?? '', last: values.at(-1) ?? '', min: values.length ? Math.min(...values) : '', max: values.length ? Math.max(...values) : '',
    };
  }));
}

function groupsText(table: GroupsTable): string {
  return [
    `subnet ${table.netuid} at block ${table.block}: ${table.total} ${table.by === 'coldkey' ? 'coldkeys' : 'axon IPs'}`,
    formatTable(table.groups.map((g) => ({ key: g.key, name: g.name ?? '', hotkeys: g.hotkeys, validators: g.validators, stake: g.stake, emission: g.emission }))),
    table.total > table.groups.length ? `… the ${table.groups.length} largest; --limit N for more` : '',
  ].join('\n').trimEnd();
}

export const subnetHistoryCommands: readonly CliCommand[] = [
  {
    name: 'overview',
    summary: "A subnet's newest stored snapshot: staleness, register cost, validators and miners with 24 h changes, slots, emission.",
    options: [
      NETUID,
      { ...ENDPOINT, help: 'read the head from this node (ws:// or wss://) to say how far behind the snapshot is' },
      { ...FROM, help: `compare only with snapshots from here on: ${RANGE_FORMS}` },
      { ...TO, help: 'the overview as of the newest snapshot up to here, in the same forms (default: the newest stored)' },
    ],
    run: (args, io) => {
      const netuid = requiredNetuid(args);
      const range = rangeFlags(args);
      const readHead = flag(args, 'endpoint') !== undefined;
      return withEngine(args, io, { collect: false, settings: chainSettings(args) }, async (engine) => {
        const overview = await engine.call('bittensor.overview', { netuid, readHead, ...range });
        return overview ? report(args, io, overview, () => overviewText(overview)) : reportFailure(io, noSnapshot(netuid));
      });
    },
  },
  {
    name: 'history',
    summary: 'One field over the stored history for chosen hotkeys or UIDs, or the top N (raw snapshots, then daily means).',
    options: [
      NETUID,
      { name: 'hotkey', value: 'H', repeatable: true, help: 'a hotkey, wherever it sat' },
      { name: 'uid', value: 'U', repeatable: true, help: 'a UID, whichever hotkey held it' },
      { name: 'top', value: 'N', help: 'the N highest by the field in the newest snapshot (1–64)' },
      { name: 'field', value: 'F', help: `${TRACE_FIELDS.join(' | ')} (default stake)` },
      FROM,
      TO,
      { name: 'points', value: 'N', help: 'at most N points per series (default 1000)' },
    ],
    run: (args, io) => {
      const netuid = requiredNetuid(args);
      const select = traceSelection(args);
      const field = choiceFlag(args, 'field', TRACE_FIELDS, 'stake');
      const range = rangeFlags(args);
      const maxPoints = countFlag(args, 'points', 5_000);
      return withEngine(args, io, { collect: false }, async (engine) => {
        const traces = await engine.call('bittensor.traces', { netuid, field, select, ...range, maxPoints });
        return report(args, io, traces, () => tracesText(traces));
      });
    },
  },
  {
    name: 'groups',
    summary: 'Hotkeys grouped by coldkey or axon IP in a stored snapshot, largest first, with the grouping over time (--key K: one group).',
    options: [
      NETUID,
      { name: 'by', value: 'coldkey|ip', required: true, help: 'group by coldkey or by axon IP' },
      { name: 'block', value: 'B', help: 'the snapshot at this block, or the newest before it (default: the newest)' },
      { ...FROM, help: `the grouping over time from here on: ${RANGE_FORMS}` },
      { ...TO, help: 'the groups of the newest snapshot up to here, in the same forms (default: the newest stored)' },
      { name: 'limit', value: 'N', help: 'the N largest groups (default 20, at most 1024)' },
      { name: 'key', value: 'K', help: "list this group's hotkeys instead (a coldkey or an IP)" },
    ],
    run: (args, io) => {
      const netuid = requiredNetuid(args);
      const by = choiceFlag<GroupBy>(args, 'by', ['coldkey', 'ip']);
      const block = blockFlag(args);
      const range = rangeFlags(args);
      const limit = countFlag(args, 'limit', 1_024) ?? 20;
      const key = flag(args, 'key');
      return withEngine(args, io, { collect: false }, async (engine) => {
        if (key !== undefined) {
          const members = await engine.call('bittensor.groupMembers', { netuid, by, key, block });
          if (!members) return reportFailure(io, noSnapshot(netuid));
          return report(args, io, members, () => formatTable(members.rows.map((n) => ({
            uid: n.uid, hotkey: n.hotkey, coldkey: n.coldkey, ip: n.axon?.ip ?? '', permit: n.validatorPermit ? 'V' : '', stake: n.stake, incentive: n.incentive,
          }))));
        }
        const groups = await engine.call('bittensor.groups', { netuid, by, block, ...range, limit });
        return groups ? report(args, io, groups, () => groupsText(groups)) : reportFailure(io, noSnapshot(netuid));
      });
    },
  },
];
