import type { SubnetOverview } from '../../src/protocol/bittensorProtocol';
import { element } from '../common/dom';

/** Signed change text: "+3", "−0.12", "±0"; "no 24 h data" without a snapshot a day older. */
export function changeText(change: number | null, digits = 0): string {
  if (change === null) return 'no snapshot 24 h older';
  if (change === 0) return '±0 in 24 h';
  const text = Math.abs(change).toFixed(digits);
  return `${change > 0 ? '+' : '−'}${text} in 24 h`;
}

function slots(used: number, max: number | null): string {
  return max === null ? `${used}` : `${used} / ${max}`;
}

function card(label: string, value: string, note?: string): HTMLElement {
  const box = element('div', { className: 'card' }, element('div', { className: 'label', text: label }), element('div', { className: 'value', text: value, title: value }));
  if (note) box.append(element('div', { className: 'note', text: note }));
  return box;
}

/**
 * The overview's cards and its staleness line. The subnet name comes from the chain: it goes in by textContent
 * like every other string here.
 */
export function renderOverview(target: HTMLElement, overview: SubnetOverview, onUpdate: () => void): void {
  const title = element('h2', { className: 'subnet-name', text: `${overview.netuid} · ${overview.name || 'unnamed'}${overview.symbol ? ` (${overview.symbol})` : ''}` });
  const head = overview.headBlock === null ? 'unknown' : overview.headBlock.toLocaleString('en-US');
  const freshness = element('p', { className: 'freshness' });
  freshness.append(element('span', { text: `Head block ${head} · newest snapshot at block ${overview.newestBlock.toLocaleString('en-US')} (${new Date(overview.newestTime * 1000).toLocaleString()})` }));
  if (overview.stale && overview.blocksBehind !== null) {
    const warning = element('strong', { className: 'stale', text: `Out of date (${overview.blocksBehind.toLocaleString('en-US')} blocks)` });
    warning.setAttribute('role', 'alert');
    freshness.append(warning);
  }
  const update = element('button', { text: 'Update', className: overview.stale ? 'update' : 'update secondary', title: 'Take a snapshot of the head now' });
  update.id = 'update';
  update.addEventListener('click', onUpdate);
  freshness.append(update);

  const { occupancy } = overview;
  const cards = element('div', { className: 'cards' },
    card('Register cost', overview.burnTao === null ? '–' : `${overview.burnTao.toFixed(4)} τ`, changeText(overview.burnChange24hTao, 4)),
    card('Validators', String(overview.validators), changeText(overview.validatorsChange24h)),
    card('Miners', String(overview.miners), changeText(overview.minersChange24h)),
    card('Emission per tempo', overview.emissionPerTempo.toFixed(4), 'alpha, sum over UIDs'),
    card('Price', overview.priceTao === null ? '–' : `${overview.priceTao.toFixed(6)} τ`, overview.movingPriceTao === null ? undefined : `moving ${overview.movingPriceTao.toFixed(6)} τ`),
    card('Tempo', overview.tempo === null ? '–' : `${overview.tempo} blocks`),
    card('Validator slots', slots(occupancy.validators.used, occupancy.validators.max), 'used / available'),
    card('Miner slots', slots(occupancy.miners.used, occupancy.miners.max), 'used / available'),
    card('Snapshots', `${overview.snapshots.stored}`, `${overview.snapshots.complete} complete`),
  );
  target.replaceChildren(title, freshness, cards);
}
