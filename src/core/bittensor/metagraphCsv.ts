import type { NeuronRow } from './model';

/**
 * `swarmscope metagraph --csv`: one row per UID with every NeuronRow field (the axon flattened into four columns),
 * in the units the JSON uses. Cells follow RFC 4180 (quoted when they hold a comma, quote or line break). Text from
 * the chain (identity names) that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
 * apostrophe, as OWASP's CSV-injection advice says; no other cell is changed.
 */
const COLUMNS: readonly [string, (neuron: NeuronRow) => unknown][] = [
  ['uid', (n) => n.uid],
  ['hotkey', (n) => n.hotkey],
  ['coldkey', (n) => n.coldkey],
  ['identity', (n) => n.identity],
  ['active', (n) => n.active],
  ['validatorPermit', (n) => n.validatorPermit],
  ['stake', (n) => n.stake],
  ['stakeAlpha', (n) => n.stakeAlpha],
  ['stakeTao', (n) => n.stakeTao],
  ['rank', (n) => n.rank],
  ['trust', (n) => n.trust],
  ['consensus', (n) => n.consensus],
  ['incentive', (n) => n.incentive],
  ['dividends', (n) => n.dividends],
  ['validatorTrust', (n) => n.validatorTrust],
  ['emission', (n) => n.emission],
  ['lastUpdate', (n) => n.lastUpdate],
  ['registrationBlock', (n) => n.registrationBlock],
  ['axonIp', (n) => n.axon?.ip],
  ['axonPort', (n) => n.axon?.port],
  ['axonIpType', (n) => n.axon?.ipType],
  ['axonVersion', (n) => n.axon?.version],
];

export const METAGRAPH_CSV_COLUMNS: readonly string[] = COLUMNS.map(([name]) => name);

export function metagraphCsv(neurons: readonly NeuronRow[]): string {
  const lines = [METAGRAPH_CSV_COLUMNS.join(',')];
  for (const neuron of neurons) lines.push(COLUMNS.map(([, read]) => csvCell(read(neuron))).join(','));
  return lines.join('\n');
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
